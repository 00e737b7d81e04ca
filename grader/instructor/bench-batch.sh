#!/bin/sh
# bench-batch.sh - `make bench-batch`: how many submissions a minute the
# batch grader takes, one grading at a time against BATCH_JOBS at once.
#
# The class: COPIES copies of the reference solution of BENCH_LAB and
# COPIES copies of a submission that hangs (every function of its first
# file blocks at once, so the lab's test run is cut short at LAB_BOUND).
# Each configuration runs RUNS times; the machine is shared and noisy, so
# medians are printed, never one time. Every run must give the same
# gradebook (solutions 100; the hanging copies short of 100, as in the
# first run): a parallel batch that grades differently from a serial one
# is a bug.
#
#   COPIES=10 RUNS=3 BENCH_LAB=01 LAB_BOUND=20 BATCH_JOBS=<cores>
# (LAB_BOUND is what a hanging copy costs; a solution needs a few s.)
# Target: parallel throughput at least 1.7 times serial on 2 cores.
# The class report (written by every batch; its time is in batch.log) and
# the similarity pass (make similarity, run after each parallel batch on
# the same class and OUT) are timed too, as shares of the parallel
# batch's own time: target at most 10% together. BENCH_SIMILARITY=0
# leaves the similarity pass out. This class is similarity's worst case:
# every copy is the same code, so every pair is listed with its page.
# Exit status: 0 measured (whatever the ratio), 1 a gradebook was wrong.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES OUT
LC_ALL=C
export LC_ALL
COPIES=${COPIES:-10}
RUNS=${RUNS:-3}
LAB=${BENCH_LAB:-01}
export LAB_BOUND=${LAB_BOUND:-20}
PAR=${BATCH_JOBS:-$(nproc)}
unset BATCH_JOBS SUB_BOUND
"$ROOT/grader/doctor.sh" --quiet || exit 3
lab=$(cd "$ROOT/labs" && ls -d "$LAB"*/ | head -n 1 | tr -d /)
[ -n "$lab" ] && [ -d "$ROOT/solutions/$lab" ] || { echo "bench-batch: no lab $LAB with a solution" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-benchbatch.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

files=$(make -s -f "$ROOT/grader/build.mk" LAB_DIR="$ROOT/labs/$lab" print-student-files)
first=$(echo "$files" | cut -d' ' -f1)
i=1
while [ $i -le "$COPIES" ]; do
    n=$(printf '%02d' $i)
    mkdir -p "$T/class/solution-$n/$lab" "$T/class/hangs-$n/$lab"
    for f in $files; do
        cp "$ROOT/solutions/$lab/$f" "$T/class/solution-$n/$lab/"
        cp "$ROOT/solutions/$lab/$f" "$T/class/hangs-$n/$lab/"
    done
    # Every function of the first file blocks at once (a constructor
    # would be simpler, but check-objects.sh refuses one before it runs).
    { echo '#include <unistd.h>'
      sed '/^{$/a\    for (;;)\n        pause();' "$ROOT/solutions/$lab/$first"; } \
        >"$T/class/hangs-$n/$lab/$first"
    i=$((i + 1))
done
total=$((2 * COPIES))
# What every run must give: the solutions 100; the copies that hang
# short of 100 (the tests that never call the library still pass, and
# how the cut lab is classified is grade.sh's business), the same in every
# run as in the first.
{ echo "submission,$lab,total,max,status"
  i=1
  while [ $i -le "$COPIES" ]; do echo "solution-$(printf '%02d' $i),100,100,100,ok"; i=$((i + 1)); done
} >"$T/want.csv"

now_ms() { date +%s%N | cut -c1-13; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
wrong=0
measure() {  # JOBS
    : >"$T/times.$1"
    r=1
    while [ $r -le "$RUNS" ]; do
        rm -rf "$T/out"
        start=$(now_ms)
        BATCH_JOBS=$1 LAB=$LAB "$ROOT/grader/instructor/batch.sh" "$T/class" "$T/out" >/dev/null 2>&1
        rc=$?
        end=$(now_ms)
        echo $((end - start)) >>"$T/times.$1"
        cut -d, -f1-5 "$T/out/gradebook.csv" 2>/dev/null | grep -v '^hangs-' >"$T/got.csv"
        grep '^hangs-' "$T/out/gradebook.csv" 2>/dev/null | cut -d, -f1-5 >"$T/got.hangs"
        [ -f "$T/want.hangs" ] || cp "$T/got.hangs" "$T/want.hangs"
        if ! cmp -s "$T/want.hangs" "$T/got.hangs" || [ "$(wc -l <"$T/got.hangs")" != "$COPIES" ] ||
           grep -q '^[^,]*,100,' "$T/got.hangs"; then
            echo "bench-batch: run $r with $1 at once graded the hanging copies otherwise:" >&2
            diff "$T/want.hangs" "$T/got.hangs" | head -n 6 >&2
            wrong=1
        fi
        # The report's own time, as batch.log has it ("report: ... (N ms)").
        rep=$(sed -n 's/^report: .*(\([0-9]*\) ms)$/\1/p' "$T/out/batch.log" 2>/dev/null)
        echo "${rep:-0}" >>"$T/report.$1"
        if [ "$1" != 1 ] && [ "${BENCH_SIMILARITY:-1}" = 1 ]; then
            start=$(now_ms)
            LAB=$LAB "$ROOT/grader/instructor/similarity.sh" "$T/class" "$T/out" >"$T/sim.out" 2>&1 ||
                { echo "bench-batch: make similarity failed: $(tail -n 2 "$T/sim.out")" >&2; wrong=1; }
            echo $(($(now_ms) - start)) >>"$T/sim.ms"
        fi
        if [ $rc != 0 ] || ! cmp -s "$T/want.csv" "$T/got.csv"; then
            echo "bench-batch: run $r with $1 at once graded wrongly (exit $rc):" >&2
            diff "$T/want.csv" "$T/got.csv" | head -n 6 >&2
            wrong=1
        fi
        r=$((r + 1))
    done
}

echo "bench-batch: $total submissions of lab $lab ($COPIES solutions, $COPIES that hang," \
    "LAB_BOUND=$LAB_BOUND s), $RUNS runs each, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# Serial and parallel runs alternate, so that a change in the machine's
# load falls on both alike.
r0=$RUNS
RUNS=1
k=1
: >"$T/times.1"
: >"$T/times.$PAR"
while [ $k -le "$r0" ]; do
    cp "$T/times.1" "$T/keep.1"; measure 1; cat "$T/times.1" >>"$T/keep.1"; mv "$T/keep.1" "$T/times.1"
    cp "$T/times.$PAR" "$T/keep.p"; measure "$PAR"; cat "$T/times.$PAR" >>"$T/keep.p"; mv "$T/keep.p" "$T/times.$PAR"
    k=$((k + 1))
done
s=$(median <"$T/times.1")
p=$(median <"$T/times.$PAR")
report() {  # LABEL MEDIAN_MS FILE
    awk -v label="$1" -v ms="$2" -v n="$total" -v runs="$(tr '\n' ' ' <"$3")" 'BEGIN {
        printf "%-28s median %7.1f s   %6.1f submissions/min   (runs ms: %s)\n",
            label, ms / 1000, n * 60000 / ms, runs }'
}
report "serial (1 at once)" "$s" "$T/times.1"
report "parallel ($PAR at once)" "$p" "$T/times.$PAR"
awk -v s="$s" -v p="$p" -v par="$PAR" 'BEGIN {
    r = s / p
    printf "parallel/serial throughput: %.2fx (target 1.70x on 2 cores: %s)\n", r,
        (par < 2 ? "one core, no target" : (r >= 1.7 ? "met" : "NOT met"))
}'
rep=$(median <"$T/report.$PAR")
if [ -s "$T/sim.ms" ]; then sim=$(median <"$T/sim.ms"); else sim=0; fi
pairs=$(tail -n +2 "$T/out/similarity.csv" 2>/dev/null | wc -l)
awk -v p="$p" -v rep="$rep" -v sim="$sim" -v pairs="$pairs" -v simon="${BENCH_SIMILARITY:-1}" 'BEGIN {
    b = p - rep   # the parallel batch without its report
    printf "class report: median %.2f s = %.1f%% of the parallel batch\n", rep / 1000, 100 * rep / b
    if (simon == 1)
        printf "similarity:   median %.2f s = %.1f%% of the parallel batch (%d pairs listed)\n",
            sim / 1000, 100 * sim / b, pairs
    r = 100 * (rep + sim) / b
    printf "report + similarity: %.1f%% of the batch (target at most 10%%: %s)\n", r,
        (r <= 10 ? "met" : "NOT met")
}'
[ $wrong = 0 ] || { echo "bench-batch: some run graded wrongly (above)"; exit 1; }
