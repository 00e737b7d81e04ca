#!/bin/sh
# need.sh COMMAND PACKAGE WHO - make sure a self-check's Debian package is
# there: install it when that needs no password (root, or sudo -n),
# otherwise print the exact command to run. Exit 0 if COMMAND is
# available afterwards, 3 if not (the suite's "environment not ready").
# WHO names the check in the messages ("coverage", "overlap").
set -u
command -v "$1" >/dev/null 2>&1 && exit 0
cmd="apt-get update && apt-get install -y $2"
if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "$3: installing $2 ..." >&2
        sh -c "$cmd" >/dev/null 2>&1
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        echo "$3: installing $2 ..." >&2
        sudo -n sh -c "$cmd" >/dev/null 2>&1
    fi
fi
command -v "$1" >/dev/null 2>&1 && exit 0
echo "$3: $1 (Debian package $2) is missing. Run: sudo sh -c '$cmd'" >&2
exit 3
