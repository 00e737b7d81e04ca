#!/bin/sh
# watch.sh - `make watch LAB=NN`: grade the lab again each time one of its
# files is saved, and show the score and the first failing test on a
# cleared screen. Waits with inotifywait or entr when installed, else
# polls the files' checksums twice a second. Ctrl-C stops it and leaves
# nothing running.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LAB=${LAB:-}
case $LAB in [0-9]) LAB=0$LAB ;; esac
[ -n "$LAB" ] || { echo "usage: make watch LAB=NN" >&2; exit 2; }
lab=$(cd "$ROOT/labs" && ls -d "$LAB"*/ 2>/dev/null | head -n 1 | tr -d /)
[ -n "$lab" ] || { echo "watch: no lab $LAB" >&2; exit 2; }
dir=$ROOT/labs/$lab
out=$(mktemp "${TMPDIR:-/tmp}/ipclab-watch.XXXXXX")
waiter=""
stop() {
    [ -n "$waiter" ] && kill "$waiter" 2>/dev/null
    rm -f "$out"
    echo
    echo "watch: stopped."
    exit 0
}
trap stop INT TERM HUP

grade_once() {
    printf '\033[H\033[2J'
    echo "watch: lab $lab, graded at $(date +%H:%M:%S). Ctrl-C to stop."
    echo
    LAB=$LAB SRC=$ROOT/labs "$ROOT/grader/grade.sh" >"$out" 2>&1
    # The score, then only the first failure: one thing to fix at a time.
    awk '
        /^  (FAIL|CRASH|TIMEOUT|SKIP) / && !shown { shown = 1; show = 1; print; next }
        show && /^          / { print; next }
        { show = 0 }
        /^  [0-9][0-9]-.*: [0-9]+\/[0-9]+$/ { score = $0 }
        /^Score:/ { print ""; print score }
        /^(Next|First to fix):/ { print }
        /^grade: / { print }
        END { if (!shown && score != "")
                  print "Full marks. `make status` shows what comes next." }
    ' "$out"
    grep -q '^  Your files do not compile' "$out" && sed -n '/Your files do not compile/,/^  FAIL/p' "$out" | sed '$d'
    echo
    echo "watch: waiting for you to save a file in labs/$lab ..."
}

fingerprint() { cat "$dir"/*.c 2>/dev/null | cksum; }

wait_for_change() {
    if command -v inotifywait >/dev/null 2>&1; then
        inotifywait -qq -e close_write -e moved_to -e create "$dir" &
        waiter=$!
        wait "$waiter"
        waiter=""
    elif command -v entr >/dev/null 2>&1; then
        # entr -p waits for the first change, runs the command once, and
        # -z makes it exit after that.
        ls "$dir"/*.c | entr -pz true >/dev/null 2>&1 &
        waiter=$!
        wait "$waiter"
        waiter=""
    else
        before=$(fingerprint)
        while [ "$(fingerprint)" = "$before" ]; do
            sleep 0.5
        done
    fi
}

while :; do
    grade_once
    wait_for_change
done
