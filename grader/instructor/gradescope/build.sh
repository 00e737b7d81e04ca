#!/bin/sh
# build.sh - `make gradescope [LAB=NN]`: the Gradescope autograder zip.
#
#   setup.sh        installs what the grader needs (apt-get) and builds it
#   run_autograder  grades /autograder/submission into
#                   /autograder/results/results.json
#   gradescope.env  LAB=NN (empty: every lab), chosen here
#   ipc-labs/       the hand-out (grader/instructor/handout.sh) plus grader/instructor/batch.sh
#
# GRADESCOPE_ZIP=FILE says where (default build/gradescope/
# ipc-labs-autograder[-NN].zip). Needs zip: installed with apt-get when we
# are root, as grader/doctor.sh does for the grader's own packages.
# Exit status: 0 written, 3 zip missing and not installable, 5 failed.
set -u
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES OUT
LC_ALL=C
export LC_ALL
say() { echo "gradescope: $*" >&2; }

case ${LAB:-} in [0-9]) LAB=0${LAB} ;; esac
if [ -n "${LAB:-}" ] && ! ls -d "$ROOT/labs/${LAB}"* >/dev/null 2>&1; then
    say "no lab $LAB"
    exit 2
fi
OUT=${GRADESCOPE_ZIP:-$ROOT/build/gradescope/ipc-labs-autograder${LAB:+-${LAB%%-*}}.zip}

if ! command -v zip >/dev/null 2>&1; then
    cmd="apt-get update && apt-get install -y zip"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing zip ..."
        sh -c "DEBIAN_FRONTEND=noninteractive $cmd" >/dev/null 2>&1 ||
            { say "installing zip failed. Run: $cmd"; exit 3; }
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo sh -c "DEBIAN_FRONTEND=noninteractive $cmd" >/dev/null 2>&1 ||
            { say "installing zip failed. Run: sudo sh -c '$cmd'"; exit 3; }
    else
        say "zip is missing. Run: sudo sh -c '$cmd'"
        exit 3
    fi
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-gradescope.XXXXXX") || exit 5
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
HANDOUT=$T/handout.tar.gz "$ROOT/grader/instructor/handout.sh" >/dev/null || exit 5
mkdir -p "$T/zip"
tar -xzf "$T/handout.tar.gz" -C "$T/zip" || exit 5
mkdir -p "$T/zip/ipc-labs/grader/instructor" &&
    cp "$ROOT/grader/instructor/batch.sh" "$T/zip/ipc-labs/grader/instructor/batch.sh" || exit 5
cp "$ROOT/grader/instructor/gradescope/setup.sh" "$ROOT/grader/instructor/gradescope/run_autograder" "$T/zip/" || exit 5
chmod 755 "$T/zip/setup.sh" "$T/zip/run_autograder" "$T/zip/ipc-labs/grader/instructor/batch.sh"
{
    echo "# The labs this assignment grades (empty: every lab), and optional"
    echo "# bounds in seconds (grader/instructor/INSTRUCTORS.md)."
    echo "LAB=${LAB:-}"
    echo "LAB_BOUND=${LAB_BOUND:-}"
    echo "SUB_BOUND=${SUB_BOUND:-}"
} >"$T/zip/gradescope.env"
mkdir -p "$(dirname "$OUT")" || exit 5
rm -f "$OUT.tmp.zip"
(cd "$T/zip" && zip -q -r -X "$OUT.tmp.zip" setup.sh run_autograder gradescope.env ipc-labs) &&
    mv -f "$OUT.tmp.zip" "$OUT" || { say "cannot write $OUT"; exit 5; }
what="every lab"
[ -n "${LAB:-}" ] && what="lab $LAB"
echo "gradescope: wrote $OUT ($what). Upload it as the autograder;"
echo "gradescope: the timeout there must exceed SUB_BOUND (grader/instructor/INSTRUCTORS.md)."
