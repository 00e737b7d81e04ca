#!/bin/sh
# grade.sh - grades the labs of one submission. Glue only: the build is
# grader/build.mk, the isolation grader/sandbox.sh, the scores and reports
# grader/report.c, the checks inside grader/harness/.
#
# Settings come from the environment (the Makefile passes them on):
#   LAB=NN        one lab (01, 1 or 01-mq-basics); default: every lab
#                 present in SRC
#   SRC=DIR       the submission, in the NN-slug/ layout (default: labs)
#   RESULTS=FILE  also write a Gradescope results.json there
#   TEST=NAME     run one test (suite/name or name)
#   LEAKCHECK=0   skip the valgrind run (its tests then score 0)
#   SUMMARY=FILE  a line per lab and per failed test, for scripts
#   LAB_BOUND=S   seconds for one lab's tests (150); RUN_BOUND=S for all
#   GRADER_KEEP=1 keep the run directory (builds, logs, valgrind output)
#   STATE=DIR     where the last result of each lab is kept for
#                 `make status` (default .grade/state, only for SRC=labs)
#
# Exit status: 0 full marks; 1 short of full marks; 2 bad usage;
# 3 environment not ready (see `make doctor`); 4 submission in the wrong
# shape; 5 grading itself failed (results.json says so too).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# Plain ASCII quotes in compiler messages, whatever the user's locale.
LC_ALL=C
export LC_ALL
TOOLS=$ROOT/build/tools
LAB=${LAB:-}
SRC=${SRC:-labs}
RESULTS=${RESULTS:-}
TEST=${TEST:-}
LEAKCHECK=${LEAKCHECK:-1}
LAB_BOUND=${LAB_BOUND:-150}     # seconds for one lab's whole test run
RUN_BOUND=${RUN_BOUND:-900}     # seconds for the whole grading
JOBS=${JOBS:-2}
started=$(date +%s)

say() { echo "grade: $*" >&2; }

grader_failed() {
    say "grading failed: $1"
    if [ -n "$RESULTS" ]; then
        if [ -x "$TOOLS/report" ]; then
            "$TOOLS/report" --grader-error "$1" --results "$RESULTS"
        else
            printf '{"score": 0, "output": "grading failed: %s", "extra_data": {"grader_status": "error"}, "tests": []}\n' \
                "the grader could not build its tools" >"$RESULTS"
        fi
    fi
    exit 5
}

"$ROOT/grader/doctor.sh" --quiet
rc=$?
if [ $rc -ne 0 ]; then
    [ -n "$RESULTS" ] && [ -x "$TOOLS/report" ] &&
        "$TOOLS/report" --grader-error "environment not ready (make doctor)" \
            --results "$RESULTS" 2>/dev/null
    exit 3
fi

[ -d "$SRC" ] || { say "SRC=$SRC is not a directory"; exit 2; }
SRC=$(cd "$SRC" && pwd)

# Which labs: those of this suite, narrowed by LAB, present in SRC.
all_labs=$(cd "$ROOT/labs" && ls -d [0-9][0-9]-*/ 2>/dev/null | tr -d /)
case $LAB in [0-9]) LAB=0$LAB ;; esac
labs=""
for lab in $all_labs; do
    case $LAB in ""|"$lab"|"${lab%%-*}") ;; *) continue ;; esac
    [ -d "$SRC/$lab" ] && labs="$labs $lab"
done
if [ -z "$labs" ]; then
    if [ -n "$LAB" ] && ! echo "$all_labs" | grep -q "^$LAB"; then
        say "no lab $LAB; the labs are: $(echo $all_labs)"
        exit 2
    fi
    say "SRC=$SRC holds no lab folder${LAB:+ for lab $LAB}."
    say "expected the NN-slug/ layout, e.g. $SRC/01-mq-basics/mq_basics.c"
    inner=$(ls -d "$SRC"/*/[0-9][0-9]-*/ 2>/dev/null | head -n 1)
    [ -n "$inner" ] && say "did you mean SRC=$(dirname "$inner")?"
    ls "$SRC"/*.c >/dev/null 2>&1 &&
        say "SRC looks like a single lab folder; give its parent directory."
    [ -n "$RESULTS" ] && [ -x "$TOOLS/report" ] &&
        "$TOOLS/report" --grader-error "submission in the wrong shape: no NN-slug/ folder" \
            --results "$RESULTS" 2>/dev/null
    exit 4
fi

# Not under /tmp: the sandbox gives the tests a private /tmp.
mkdir -p "$ROOT/build/runs" || grader_failed "cannot write $ROOT/build"
RUN=$(mktemp -d "$ROOT/build/runs/XXXXXXXX") || grader_failed "mktemp"
RUN_ID=${RUN##*/}
SANDBOX=$("$ROOT/grader/sandbox.sh" detect)
cleanup() {
    for names in "$RUN"/*/names; do
        [ -f "$names" ] && "$TOOLS/ipctool" sweep "$names"
    done
    "$TOOLS/ipctool" reap "$RUN_ID"
    if [ -n "${GRADER_KEEP:-}" ]; then
        echo "grade: kept the run directory $RUN (GRADER_KEEP)" >&2
    else
        rm -rf "$RUN"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

HARNESS=$ROOT/build/cache/harness
make -s -f "$ROOT/grader/harness.mk" OUT="$HARNESS" -j"$JOBS" \
    >"$RUN/harness.log" 2>&1 || grader_failed "cannot build the harness: $(head -c 600 "$RUN/harness.log")"

for lab in $labs; do
    L=$RUN/$lab
    mkdir -p "$L/done" "$L/blocked"
    if [ $(( $(date +%s) - started )) -gt "$RUN_BOUND" ]; then
        echo cut-short >"$L/state"   # the report explains it per test
        "$ROOT/grader/inventory.sh" "$ROOT/labs/$lab" >"$L/inventory.tsv"
        continue
    fi
    "$ROOT/grader/inventory.sh" "$ROOT/labs/$lab" >"$L/inventory.tsv" 2>"$L/inventory.err" ||
        grader_failed "lab $lab: $(cat "$L/inventory.err")"
    [ -s "$L/inventory.tsv" ] || grader_failed "lab $lab has no tests"

    build="make -s -f $ROOT/grader/build.mk LAB_DIR=$ROOT/labs/$lab SRC_DIR=$SRC/$lab OUT=$L HARNESS=$HARNESS/harness.a"
    files=$($build print-student-files)
    : >"$L/missing.txt"
    for f in $files; do
        # A symbolic link is not a student's file: it could point anywhere
        # (/etc/passwd would end up in the compiler's message).
        if [ ! -f "$SRC/$lab/$f" ] || [ -h "$SRC/$lab/$f" ]; then
            echo "$lab/$f" >>"$L/missing.txt"
        fi
    done
    if [ -s "$L/missing.txt" ]; then
        echo missing-files >"$L/state"
        continue
    fi
    if ! $build -j"$JOBS" student-objs >"$L/build.raw" 2>&1 ||
       { $build -j"$JOBS" test-objs >"$L/tests-build.raw" 2>&1 ||
             grader_failed "lab $lab: the tests do not compile: $(head -c 600 "$L/tests-build.raw")"
         ! $build -j"$JOBS" all >"$L/build.raw" 2>&1; }; then
        # Show the student their own paths, not the grader's copies.
        sed -e "s|$L/src/|$SRC/$lab/|g" -e '/^make\(\[[0-9]*\]\)\{0,1\}: /d' \
            "$L/build.raw" | head -n 40 >"$L/build.log"
        echo compile-error >"$L/state"
        continue
    fi
    echo built >"$L/state"

    filter=""
    [ -n "$TEST" ] && filter="--filter=*/${TEST#*/}"
    # The runner's own output is not read for scores; it is kept, bounded
    # by the file-size limit, for a student who wants to see what printed.
    env GRADER_REPORT="$L/report.tsv" GRADER_RUN_DIR="$L" SANDBOX_WRITABLE="$L" \
        GRADER_RUN_ID="$RUN_ID" GRADER_BIN_DIR="$L/bin" \
        GRADER_STUDENT_FILES="$files" GRADER_LEAKCHECK="$LEAKCHECK" \
        timeout -k 5 "$LAB_BOUND" \
        "$ROOT/grader/sandbox.sh" "$SANDBOX" \
        prlimit --cpu=300 --fsize=16000000 --nofile=1024 -- \
        "$L/bin/tests" -q -j"$JOBS" $filter >"$L/output.log" 2>&1
    rc=$?
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        echo cut-short >"$L/state"
    fi
    "$TOOLS/ipctool" reap "$RUN_ID"
done

state_opt=""
if [ -n "${STATE:-}" ]; then
    state_opt="--state $STATE"
elif [ "$SRC" = "$ROOT/labs" ]; then
    state_opt="--state $ROOT/.grade/state"
    mkdir -p "$ROOT/.grade"
fi
# shellcheck disable=SC2086
"$TOOLS/report" "$RUN" $labs ${RESULTS:+--results "$RESULTS"} \
    ${TEST:+--test "$TEST"} ${SUMMARY:+--summary "$SUMMARY"} --seconds $(( $(date +%s) - started )) $state_opt
rc=$?
# Whatever happened above, a requested results.json exists afterwards.
if [ -n "$RESULTS" ] && [ ! -s "$RESULTS" ]; then
    grader_failed "the report was not written (report exit $rc)"
fi
[ $rc -eq 5 ] && exit 5
exit $rc
