#!/bin/sh
# check-notes.sh - the notes cannot rot: every C snippet in notes/*.md is
# extracted and compiled with the suite's flags, and every whole program
# (one with a main) is run and must exit 0 within 10 s.
#
#   ```c                 compiled (a whole program is also run)
#   ```c signature       shown only: prototypes as the man pages give them
#
# A snippet without main is a fragment: it is compiled at file scope after
# the usual headers, or, if that fails, as the body of a function, with
# warnings about unused names allowed (a fragment shows a few lines, not
# their use), and about a missing last return or an unused label (it may
# be an excerpt of a function whose end or whose gotos are not shown). What a fragment needs from the text around it is given in
# HTML comments (invisible on the page) right before its fence:
#
#   <!-- c-context: struct entry { size_t len; }; -->   C before it
#   <!-- c-function: void *map(int fd, size_t len) -->  it is this body
#
# Exit status: 0 all good, 1 a snippet failed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-notes.XXXXXX")
trap 'rm -rf "$T"' EXIT
CC=${CC:-gcc}
FLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra"
LIBS="-lrt -lpthread"
failed=0
count=0
programs=0

prelude='#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>'

for note in notes/*.md; do
    base=$(basename "$note" .md)
    # Each ```c block (info string exactly "c") to its own file, with the
    # c-context and c-function comments just before it.
    awk -v dir="$T" -v base="$base" '
        function reset() { ctx = ""; fn = "" }
        /^<!-- c-(context|function):/ && !on {
            kind = ($0 ~ /^<!-- c-context:/) ? "ctx" : "fn"
            text = $0
            while (text !~ /-->/ && (getline more) > 0) text = text "\n" more
            sub(/^<!-- c-(context|function):[ ]*/, "", text)
            sub(/[ ]*-->.*$/, "", text)
            if (kind == "ctx") ctx = ctx text "\n"; else fn = text
            next
        }
        /^```c[ \t]*$/ { n++; file = sprintf("%s/%s.%d.c", dir, base, n);
                         printf "%s", ctx > (file ".ctx"); close(file ".ctx")
                         printf "%s", fn > (file ".sig"); close(file ".sig")
                         printf "" > file
                         start = NR; on = 1; reset(); next }
        /^```/ && on  { on = 0; close(file); print file " " start; next }
        on            { print > file; next }
        /[^ \t]/      { reset() }
    ' "$note" >"$T/list.$base"
    while read -r file line; do
        count=$((count + 1))
        where="$note:$line"
        if grep -q 'int main' "$file"; then
            programs=$((programs + 1))
            if ! $CC $FLAGS -Werror "$file" -o "$file.bin" $LIBS 2>"$file.err"; then
                echo "FAIL  $where: the program does not compile:"
                sed 's/^/      /' "$file.err" | head -n 15
                failed=$((failed + 1))
                continue
            fi
            # Run in a scratch directory: a snippet may create files.
            mkdir -p "$T/run"
            if ! (cd "$T/run" && timeout -k 2 10 "$file.bin" >"$file.out" 2>&1 </dev/null); then
                echo "FAIL  $where: the program did not exit 0 within 10 s:"
                sed 's/^/      /' "$file.out" | head -n 10
                failed=$((failed + 1))
                continue
            fi
        else
            sig=$(cat "$file.sig")
            { echo "$prelude"; cat "$file.ctx"; cat "$file"; } >"$file.top.c"
            { echo "$prelude"; cat "$file.ctx"
              echo "${sig:-void snippet(void)};"
              echo "${sig:-void snippet(void)} {"; cat "$file"; echo "}"; } >"$file.fn.c"
            relaxed="-Wno-unused-variable -Wno-unused-but-set-variable -Wno-unused-function -Wno-unused-parameter -Wno-unused-value -Wno-return-type -Wno-unused-label"
            if ! $CC $FLAGS $relaxed -Werror -c "$file.top.c" -o "$file.o" 2>"$file.err" &&
               ! $CC $FLAGS $relaxed -Werror -c "$file.fn.c" -o "$file.o" 2>"$file.err"; then
                echo "FAIL  $where: the fragment does not compile:"
                sed 's/^/      /' "$file.err" | head -n 15
                failed=$((failed + 1))
            fi
        fi
    done <"$T/list.$base"
done
echo "notes: $count C snippets checked ($programs whole programs run), $failed failed"
[ "$failed" = 0 ]
