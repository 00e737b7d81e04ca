#!/bin/sh
# bench.sh - `make bench`: how long a student waits for feedback.
#
# Grades the reference solutions RUNS times in each configuration and
# prints the median wall-clock time (the machine is shared and noisy: a
# median of several runs, never a single time):
#   one lab, behaviour only (LEAKCHECK=0)   what `make watch` needs
#   one lab, with the valgrind run          what `make grade LAB=NN` does
#   the whole suite, with the valgrind runs what `make grade` does
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
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

measure() {  # LABEL ENV...
    label=$1
    shift
    # One untimed run first: the grader's own cache (harness, test
    # objects) is built once per checkout, not per grading.
    env "$@" SRC=solutions "$ROOT/grader/grade.sh" >/dev/null 2>&1
    : >"$ROOT/build/bench.times"
    i=0
    while [ $i -lt "$RUNS" ]; do
        start=$(now_ms)
        env "$@" SRC=solutions "$ROOT/grader/grade.sh" >/dev/null 2>&1
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
}

echo "bench: $RUNS runs each on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
measure "lab $ONE_LAB, build + behaviour tests" LAB="$ONE_LAB" LEAKCHECK=0
measure "lab $ONE_LAB, build + behaviour + valgrind" LAB="$ONE_LAB" LEAKCHECK=1
measure "all labs, with valgrind" LEAKCHECK=1
rm -f "$ROOT/build/bench.times"
