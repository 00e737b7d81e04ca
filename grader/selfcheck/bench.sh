#!/bin/sh
# bench.sh - `make bench`: how long a student waits for feedback.
#
# Grades the reference solutions RUNS times in each configuration and
# prints the median wall-clock time (the machine is shared and noisy: a
# median of several runs, never a single time):
#   one lab, behaviour only (LEAKCHECK=0)   what `make watch` needs
#   one lab, with the valgrind run          what `make grade LAB=NN` does
#   the whole suite, with the valgrind runs what `make grade` does
#   one lab whose every function hangs (pause at its entry), and one whose
#   every function spins (a busy loop): what a stuck student waits, also
#   as a ratio to the solution's time (BENCH_HANG_LABS="01 08 ..." or
#   "all" measures those labs too, one line each)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
RUNS=${RUNS:-5}
# Not LAB: make exports it, and a value set here would reach the "all
# labs" measurement too.
ONE_LAB=${BENCH_LAB:-01}
unset LAB
"$ROOT/grader/doctor.sh" --quiet || exit 3

now_ms() { date +%s%N | cut -c1-13; }

median() {  # numbers on stdin
    sort -n | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); print v[m] }'
}

# The solutions with every function stuck at its entry: KIND pause or spin.
make_stuck() {  # KIND OUT
    if [ "$1" = pause ]; then
        stuck='    for (;;) pause();'
    else
        stuck='    for (volatile int spin = 1; spin;) { }'
    fi
    for dir in solutions/*/; do
        lab=$(basename "$dir")
        mkdir -p "$2/$lab"
        for f in "$dir"*.c; do
            sed -e '1i #include <unistd.h>' -e "/^{/a\\
$stuck" "$f" >"$2/$lab/$(basename "$f")"
        done
    done
}

measure() {  # LABEL ENV...
    label=$1
    shift
    # One untimed run first: the grader's own cache (harness, test
    # objects) is built once per checkout, not per grading.
    env SRC=solutions "$@" "$ROOT/grader/grade.sh" >/dev/null 2>&1
    : >"$ROOT/build/bench.times"
    i=0
    while [ $i -lt "$RUNS" ]; do
        start=$(now_ms)
        env SRC=solutions "$@" "$ROOT/grader/grade.sh" >/dev/null 2>&1
        rc=$?
        end=$(now_ms)
        # Without valgrind the cleanliness tests score 0: exit 1 is right.
        [ $rc = 0 ] || [ $rc = 1 ] ||
            echo "bench: warning: $label: grading failed (exit $rc)" >&2
        echo $((end - start)) >>"$ROOT/build/bench.times"
        i=$((i + 1))
    done
    med=$(median <"$ROOT/build/bench.times")
    all=$(tr '\n' ' ' <"$ROOT/build/bench.times")
    printf '%-44s median %5d ms   (runs: %s)\n' "$label" "$med" "$all"
    last_median=$med
}

echo "bench: $RUNS runs each on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
measure "lab $ONE_LAB, build + behaviour tests" LAB="$ONE_LAB" LEAKCHECK=0
measure "lab $ONE_LAB, build + behaviour + valgrind" LAB="$ONE_LAB" LEAKCHECK=1
solution_ms=$last_median
measure "all labs, with valgrind" LEAKCHECK=1

STUCK=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-bench.XXXXXX")
trap 'rm -rf "$STUCK"' EXIT
make_stuck pause "$STUCK/hangs"
make_stuck spin "$STUCK/spins"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
measure "lab $ONE_LAB, every function hangs" LAB="$ONE_LAB" SRC="$STUCK/hangs"
echo "    $(ratio "$last_median" "$solution_ms") times the solution's"
measure "lab $ONE_LAB, every function spins" LAB="$ONE_LAB" SRC="$STUCK/spins"
echo "    $(ratio "$last_median" "$solution_ms") times the solution's"
hang_labs=${BENCH_HANG_LABS:-}
[ "$hang_labs" = all ] && hang_labs=$(cd labs && ls -d [0-9][0-9]-*/ | cut -c1-2)
for l in $hang_labs; do
    RUNS=1 measure "lab $l, every function hangs (1 run)" LAB="$l" SRC="$STUCK/hangs"
    RUNS=1 measure "lab $l, every function spins (1 run)" LAB="$l" SRC="$STUCK/spins"
done
rm -f "$ROOT/build/bench.times"
