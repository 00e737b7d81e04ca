#!/bin/sh
# coverage.sh - `make coverage [LAB=NN]`: which lines and branches of each
# solution the lab's tests reach.
#
# Each solution is graded as a submission, built with --coverage
# (COVERAGE=1, which grade.sh allows only without a sandbox: this is our
# own code) and without valgrind, so only the Criterion tests count, not
# the cleanliness scenario. gcovr (Debian package gcovr) reads what they
# recorded. An error path no test reaches shows here: fault injection
# (grader/harness/lab_fault.h) is how a test gets there.
#
# Writes build/coverage/NN-slug.txt (the lines never run) and
# build/coverage/NN-slug/index.html (the source, annotated); prints one
# line per lab. Exit 0 if every lab reaches LINES_MIN and BRANCHES_MIN,
# 1 if one does not, 3 if gcovr is missing and cannot be installed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
LC_ALL=C
export LC_ALL
LINES_MIN=${LINES_MIN:-95}        # per cent of the solution's lines
BRANCHES_MIN=${BRANCHES_MIN:-90}  # per cent of its branches
OUT=$ROOT/build/coverage

"$ROOT/grader/selfcheck/need.sh" gcovr gcovr coverage || exit 3

labs=$(cd solutions && ls -d [0-9][0-9]-*/ | tr -d /)
case ${LAB:-} in [0-9]) LAB=0$LAB ;; esac
[ -n "${LAB:-}" ] && labs=$(echo "$labs" | grep "^$LAB")
[ -n "$labs" ] || { echo "coverage: no solution for lab ${LAB:-}" >&2; exit 2; }

mkdir -p "$OUT"
status=0
printf '%-20s %8s %9s   %s\n' lab lines branches "(at least $LINES_MIN% and $BRANCHES_MIN%)"
for lab in $labs; do
    log=$OUT/$lab.grade.log
    env -u TEST -u RESULTS COVERAGE=1 SANDBOX=none GRADER_KEEP=1 LEAKCHECK=0 \
        LAB="$lab" SRC=solutions "$ROOT/grader/grade.sh" >"$log" 2>&1
    run=$(sed -n 's/^grade: kept the run directory \(.*\) (GRADER_KEEP)$/\1/p' "$log")
    if [ -z "$run" ] || [ ! -d "$run/$lab/obj" ]; then
        echo "$lab: the graded build was not kept; see $log"
        status=1
        continue
    fi
    rm -rf "${OUT:?}/$lab"
    mkdir -p "$OUT/$lab"
    gcovr -r "$run/$lab/src" "$run/$lab/obj" --exclude-unreachable-branches \
        --txt "$OUT/$lab.txt" --html-details "$OUT/$lab/index.html" \
        --print-summary >"$OUT/$lab.summary" 2>"$OUT/$lab.gcovr.err"
    rm -rf "$run"
    lines=$(sed -n 's/^lines: \([0-9.]*\)%.*/\1/p' "$OUT/$lab.summary")
    branches=$(sed -n 's/^branches: \([0-9.]*\)%.*/\1/p' "$OUT/$lab.summary")
    verdict=ok
    if [ -z "$lines" ] || [ -z "$branches" ]; then
        verdict="gcovr failed: $(head -c 300 "$OUT/$lab.gcovr.err")"
        status=1
    elif awk -v l="$lines" -v b="$branches" -v lm="$LINES_MIN" -v bm="$BRANCHES_MIN" \
            'BEGIN { exit !(l + 0 < lm || b + 0 < bm) }'; then
        verdict="BELOW: lines never run in build/coverage/$lab.txt"
        status=1
    fi
    printf '%-20s %7s%% %8s%%   %s\n' "$lab" "$lines" "$branches" "$verdict"
done
echo "annotated sources: build/coverage/NN-slug/index.html"
exit $status
