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
#   TEST=NAME     run only some tests: the one named NAME (suite/name or
#                 name), else every test whose suite/name holds NAME
#                 (TEST=torn), or matches it as a pattern (TEST='clean/*');
#                 without LAB, only the labs holding such a test. A TEST=
#                 run leaves the lab's standing (`make status`) alone
#   DETAILS=1     every test of every lab, even without LAB (by default a
#                 grading of several labs prints one line per lab)
#   LEAKCHECK=0   skip the valgrind run (its tests then score 0)
#   SUMMARY=FILE  a line per lab and per failed test, for scripts
#   LAB_BOUND=S   seconds for one lab's tests (150); RUN_BOUND=S for all
#   GRADER_KEEP=1 keep the run directory (builds, logs, valgrind output)
#   STATE=DIR     where the last result of each lab is kept for
#                 `make status` (default .grade/state, only for SRC=labs)
#   SANDBOX=uid   behave as where namespaces are refused (for tests);
#                 SANDBOX=none: no isolation at all
#   GRADER_UID=N  the user id the student's code runs under (root only;
#                 default: one of the grader's own, unique to this run)
#   COVERAGE=1    build with --coverage, for the project's own solutions
#                 (`make coverage`); only with SANDBOX=none, since the
#                 constructors it adds would otherwise be refused
#
# Isolation, the strongest this machine allows (results.json says which):
#   namespaces  private IPC, PID, mount namespaces, read-only file systems
#               (root: and the student's code under a user id of its own)
#   uid         root without namespaces (a container, a chroot): the
#               student's code under a user id of its own, no groups, no
#               capabilities, writing only its run's folder
#   none        neither (a laptop without user namespaces): graded all the
#               same, and said so
#
# Exit status: 0 full marks (with TEST: every test run passed); 1 short
# of full marks; 2 bad usage (an unknown LAB, a TEST that matches no test);
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

# Which isolation (see the top of this file).
umask 022
detected=$("$ROOT/grader/sandbox.sh" detect)
case ${SANDBOX:-} in
"") MODE=$detected ;;
uid|none) MODE=$SANDBOX ;;
*) say "SANDBOX=$SANDBOX: use uid or none (or leave it unset)"; exit 2 ;;
esac
[ "$MODE" = none ] && [ "$(id -u)" = 0 ] && [ -z "${SANDBOX:-}" ] && MODE=uid
if [ "$MODE" = uid ] && [ "$(id -u)" != 0 ]; then
    say "SANDBOX=uid needs root (it runs the student's code under another user id)"
    exit 2
fi
if [ -n "${COVERAGE:-}" ] && [ "$MODE" != none ]; then
    say "COVERAGE=1 needs SANDBOX=none (it is for the project's own solutions)"
    exit 2
fi
case $MODE in
root|user) ISOLATION=namespaces ;;
*) ISOLATION=$MODE ;;
esac
# The student's own user id: root can give it one nobody else has, which
# no file of the grader's belongs to and which no other grading shares.
STUDENT_UID=""
if [ "$(id -u)" = 0 ] && [ "$MODE" != none ] && [ "$MODE" != user ]; then
    STUDENT_UID=${GRADER_UID:-$((10000000 + $$))}
    command -v setpriv >/dev/null 2>&1 ||
        { say "setpriv (util-linux) is missing: run make doctor"; exit 3; }
fi

# The run directory. With a user id of the student's own it is under
# /tmp, which every id can reach (a checkout in /root could not be); the
# sandbox keeps it visible in its private /tmp.
if [ -n "$STUDENT_UID" ]; then
    RUN=$(mktemp -d "${GRADER_RUN_BASE:-/tmp}/ipclab-run.XXXXXXXX") ||
        grader_failed "mktemp in ${GRADER_RUN_BASE:-/tmp}"
    chmod 755 "$RUN"
else
    mkdir -p "$ROOT/build/runs" || grader_failed "cannot write $ROOT/build"
    RUN=$(mktemp -d "$ROOT/build/runs/XXXXXXXX") || grader_failed "mktemp"
fi
RUN_ID=${RUN##*/}
# Every process of the student's code: all of its id's where it has one
# (it cannot leave that id: no capabilities, no_new_privs), else those
# whose environment holds this run's id.
reap_student() {
    if [ -z "$STUDENT_UID" ]; then
        "$TOOLS/ipctool" reap "$RUN_ID"
        return
    fi
    "$TOOLS/ipctool" reap-uid "$STUDENT_UID"
    if [ "$MODE" = uid ]; then
        "$TOOLS/ipctool" sweep-uid "$STUDENT_UID"
        # What it wrote outside its run, where every id may write.
        find /tmp /var/tmp /dev/shm -xdev -mindepth 1 -maxdepth 1 \
            -user "$STUDENT_UID" -exec rm -rf {} + 2>/dev/null
    fi
}
cleanup() {
    reap_student
    for names in "$RUN"/*/w/names; do
        [ -f "$names" ] && "$TOOLS/ipctool" sweep "$names"
    done
    if [ -n "${GRADER_KEEP:-}" ]; then
        echo "grade: kept the run directory $RUN (GRADER_KEEP)" >&2
    else
        rm -rf "$RUN"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Each lab's tests and points, from its sources.
for lab in $labs; do
    mkdir -p "$RUN/$lab"
    "$ROOT/grader/inventory.sh" "$ROOT/labs/$lab" >"$RUN/$lab/inventory.tsv" 2>"$RUN/$lab/inventory.err" ||
        grader_failed "lab $lab: $(cat "$RUN/$lab/inventory.err")"
    [ -s "$RUN/$lab/inventory.tsv" ] || grader_failed "lab $lab has no tests"
done

# Which tests run (TEST): RUN/LAB/selected lists their suite/name. A
# test's own name first; else a pattern (with * ? [); else every test
# whose suite/name holds TEST, in any case: what a student who typed a
# part of a name wants to run. Labs without such a test are not graded.
tests_of() { awk -F'\t' '{ print $1 "/" $2 }' "$RUN/$1/inventory.tsv"; }
select_tests() {  # HOW: exact | pattern | part
    want=$(printf '%s' "$TEST" | tr 'A-Z' 'a-z')
    for lab in $labs; do
        for t in $(tests_of "$lab"); do
            case $1 in
            exact) case $t in "$TEST"|*/"$TEST") echo "$t" ;; esac ;;
            # shellcheck disable=SC2254
            pattern) case $t in $TEST|*/$TEST) echo "$t" ;; esac ;;
            part) case $t in *"$want"*) echo "$t" ;; esac ;;
            esac
        done >"$RUN/$lab/selected"
    done
    cat "$RUN"/*/selected | grep -q .
}
if [ -n "$TEST" ]; then
    case $TEST in *[*?[]*) how=pattern ;; *) how=part ;; esac
    select_tests exact && how=exact
    if [ $how != exact ] && ! select_tests $how; then
        # Bad usage, said on stderr like every other, with the lab's own
        # names; nothing on stdout, no score.
        first=$(set -- $labs; echo "$1")
        example=$(tests_of "$first" | grep -v -e '^clean/' -e '^bonus/' | head -n 1)
        if [ -n "$LAB" ]; then
            say "TEST=$TEST: no test of $first is named so or has \"$TEST\" in its name."
            say "the tests of $first:"
            tests_of "$first" | sed 's/^/grade:   /' >&2
        else
            say "TEST=$TEST: no test of any lab is named so or has \"$TEST\" in its name."
            say "\`make grade LAB=NN\` prints the names of a lab's tests."
        fi
        say "e.g. make grade LAB=${first%%-*} TEST=${example#*/}, or a part of a name:" \
            "TEST=$(echo "${example#*/}" | cut -d_ -f1-2)"
        [ -n "$RESULTS" ] && [ -x "$TOOLS/report" ] &&
            "$TOOLS/report" --grader-error "no test matches TEST=$TEST" \
                --results "$RESULTS" 2>/dev/null
        exit 2
    fi
    kept=""
    for lab in $labs; do
        [ -s "$RUN/$lab/selected" ] && kept="$kept $lab"
    done
    labs=$kept
    if [ $how != exact ] || [ -z "$LAB" ]; then
        n=$(cat "$RUN"/*/selected | wc -l)
        tests="$n tests"
        [ "$n" = 1 ] && tests="1 test"
        if [ $how = exact ]; then
            echo "TEST=$TEST: $tests of that name run:"
        else
            echo "TEST=$TEST is no test's name; the $tests it matches run:"
        fi
        for lab in $labs; do
            sed "s|^|  $lab |" "$RUN/$lab/selected"
        done
        echo
    fi
fi

# Progress, on a terminal only (never into a pipe or a file): one line,
# written over, gone before the report.
nlabs=$(echo $labs | wc -w)
i=0
progress() {
    [ -t 1 ] || return 0
    if [ $# = 0 ]; then
        printf '\r%78s\r' ''
    elif [ "$nlabs" -gt 1 ]; then
        printf '\r%-78.78s\r' "grade: lab $i of $nlabs, $lab: $*"
    else
        printf '\r%-78.78s\r' "grade: $lab: $*"
    fi
}

HARNESS=$ROOT/build/cache/harness
make -s -f "$ROOT/grader/harness.mk" OUT="$HARNESS" -j"$JOBS" \
    >"$RUN/harness.log" 2>&1 || grader_failed "cannot build the harness: $(head -c 600 "$RUN/harness.log")"
RESERVED=$HARNESS/reserved-names
if [ ! -s "$RESERVED" ] || [ ! -s "$RESERVED.harness" ] || [ "$HARNESS/harness.a" -nt "$RESERVED" ]; then
    "$ROOT/grader/reserved-names.sh" "$RESERVED" "$HARNESS/harness.a" 2>>"$RUN/harness.log" ||
        grader_failed "cannot list the reserved names: $(head -c 600 "$RUN/harness.log")"
fi
[ -n "$STUDENT_UID" ] && reap_student   # a stale process of that id
# The grader's own program that runs in the sandbox, where the student's
# id may not reach the checkout (a clone in /root, say).
mkdir -p "$RUN/tools" && cp "$TOOLS/scenario_check" "$RUN/tools/" ||
    grader_failed "cannot copy the grader's tools into $RUN"
if [ "$ISOLATION" = none ]; then
    say "warning: NOT ISOLATED: no namespaces and not root here, so the code"
    say "graded runs with your own rights and could change its own score;"
    say "fine for practice, not for grading others (README.md, How grading works)"
fi

# Runs CMD in the sandbox as the student's code runs, from the lab's
# writable folder, within the lab's limits.
in_sandbox() {  # L NO_CUT CMD...
    l=$1 no_cut=$2
    shift 2
    (cd "$l/w" && env GRADER_REPORT_FD=3 GRADER_RUN_DIR="$l/w" GRADER_CLEAN_DIR="$l" \
        SANDBOX_WRITABLE="$l/w" SANDBOX_KEEP="$RUN" GRADER_UID="$STUDENT_UID" \
        HOME="$l/w" TMPDIR="$l/w/tmp" ${no_cut:+GRADER_NO_CUT=1} \
        GRADER_RUN_ID="$RUN_ID" GRADER_BIN_DIR="$l/bin" \
        GRADER_STUDENT_FILES="$files" GRADER_LEAKCHECK="$LEAKCHECK" \
        timeout -k 5 "$LAB_BOUND" \
        "$ROOT/grader/sandbox.sh" "$MODE" \
        prlimit --cpu=300 --fsize=16000000 --nofile=1024 $nproc -- "$@")
}

# The runner's option that runs only the tests FILE lists (suite/name,
# one a line).
filter_of() {  # FILE
    f=$(paste -sd'|' "$1")
    case $f in
    *'|'*) echo "--filter=@($f)" ;;   # Criterion's extglob
    *) echo "--filter=$f" ;;
    esac
}

# One run of a lab's tests in the sandbox. The records come back on
# descriptor 3, a file the student's ids cannot open (report_hook.c). The
# runner's own output is not read for scores; it is kept, bounded by the
# file-size limit, for a student who wants to see what printed.
run_tests() {  # L NO_CUT [append]
    rm -rf "$1/w/tmp"
    mkdir -p "$1/w/tmp"
    [ -z "$STUDENT_UID" ] || chown "$STUDENT_UID:$STUDENT_UID" "$1/w/tmp"
    # A bound on the student's id's processes (a fork loop), never above
    # one the grader was given (make batch's).
    nproc=""
    if [ -n "$STUDENT_UID" ]; then
        hard=$(awk '/^Max processes/ { print $4 }' /proc/self/limits)
        case $hard in ""|unlimited) hard=512 ;; esac
        [ "$hard" -gt 512 ] && hard=512
        nproc=--nproc=$hard
    fi
    # The cleanliness evidence: the scenario, natively then under valgrind,
    # beside the runner; its report and verdict come back on descriptors 4
    # and 5 (grader/scenario_check.c). Once per lab: a second run of the
    # tests reads the same.
    scenario_pid=""
    if [ "$LEAKCHECK" != 0 ] && ! grep -q '^end$' "$1/clean.verdict" 2>/dev/null &&
       { [ -z "$TEST" ] || grep -q '^clean/' "$1/selected"; }; then
        # It runs under the student's id, which may kill it: then the
        # grader ends the verdict itself, so no test waits for it in vain.
        { in_sandbox "$1" "" "$RUN/tools/scenario_check" "$1/bin/scenario" \
              "/ipclab.$RUN_ID.${lab%%-*}.clean" "$1/w/clean.out" \
              >"$1/scenario.log" 2>&1 4>"$1/clean.log" 5>"$1/clean.verdict"
          grep -q '^end$' "$1/clean.verdict" ||
              printf 'status 9\ndone 0\nhung 0\nkilled 1\nend\n' >>"$1/clean.verdict"
        } &
        scenario_pid=$!
    fi
    run_started=$(date +%s)
    if [ "${3:-}" = append ]; then   # a second run adds its records
        in_sandbox "$1" "$2" "$1/bin/tests" -q -j"$JOBS" $filter \
            >>"$1/output.log" 2>&1 3>>"$1/report.tsv"
    else
        in_sandbox "$1" "$2" "$1/bin/tests" -q -j"$JOBS" $filter \
            >"$1/output.log" 2>&1 3>"$1/report.tsv"
    fi
    rc=$?
    [ -z "$scenario_pid" ] || wait "$scenario_pid"
    # timeout says 124 when the bound ran out, but 137 when the run then
    # ignored SIGTERM and needed the KILL 5 s later: the bound ran out all
    # the same, and the student must hear "too slow", not "killed".
    if [ $rc -eq 124 ] ||
       { [ $rc -eq 137 ] && [ $(( $(date +%s) - run_started )) -ge "$LAB_BOUND" ]; }; then
        echo cut-short >"$1/state"
    elif [ $rc -gt 128 ] &&
         [ "$(wc -l <"$1/inventory.tsv")" -gt "$(cat "$1/report.tsv" 2>/dev/null | wc -l)" ]; then
        # Killed before it recorded every test: by the student's code
        # (kill(-1, SIGKILL) reaches every process of its id) or a limit.
        echo runner-killed >"$1/state"
    fi
    reap_student
}

for lab in $labs; do
    L=$RUN/$lab
    # $L/w is all the student's code may write: the grader's files around
    # it (records, inventory, binaries, logs) are the grader's alone.
    mkdir -p "$L/w"
    if [ -n "$STUDENT_UID" ]; then
        chown "$STUDENT_UID:$STUDENT_UID" "$L/w" && chmod 700 "$L/w" ||
            grader_failed "cannot give $L/w to the student's id"
    fi
    if [ $(( $(date +%s) - started )) -gt "$RUN_BOUND" ]; then
        echo cut-short >"$L/state"   # the report explains it per test
        continue
    fi
    i=$((i + 1))
    progress "building ..."

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
    # The student's objects first, alone, so that a failure is known to be
    # theirs; code that would run inside the grader's runner is refused
    # before it is linked (check-objects.sh says why); then the tests
    # (a failure there is the grader's) and the link.
    failed=""
    if ! $build -j"$JOBS" student-objs >"$L/build.raw" 2>&1; then
        failed=compile
    elif [ -z "${COVERAGE:-}" ] &&
         ! "$ROOT/grader/check-objects.sh" "$RESERVED" $($build print-lib-objs) \
            >"$L/objects.log" 2>&1; then
        failed=refused
    else
        $build -j"$JOBS" test-objs >"$L/tests-build.raw" 2>&1 ||
            grader_failed "lab $lab: the tests do not compile: $(head -c 600 "$L/tests-build.raw")"
        $build -j"$JOBS" all >"$L/build.raw" 2>&1 || failed=compile
    fi
    case $failed in
    compile)
        # Show the student their own paths, not the grader's copies.
        sed -e "s|$L/src/|$SRC/$lab/|g" -e '/^make\(\[[0-9]*\]\)\{0,1\}: /d' \
            "$L/build.raw" | head -n 40 >"$L/build.log" ;;
    refused)
        { echo "The grader refuses to link your code:"
          sed -e "s|$L/obj/||g" "$L/objects.log"; } | head -n 40 >"$L/build.log" ;;
    esac
    if [ -n "$failed" ]; then
        echo compile-error >"$L/state"
        continue
    fi
    echo built >"$L/state"

    filter=""
    [ -z "$TEST" ] || filter=$(filter_of "$L/selected")
    progress "testing ..."
    run_tests "$L" ""
    # A lab whose tests mostly hung had its limits cut short; if any
    # behaviour test passed all the same, the code works in part: grade it
    # again with the full limits, so a cut limit never costs a working test.
    if grep -q "	CUT	" "$L/report.tsv" 2>/dev/null &&
       awk -F'\t' '$1 != "clean" && $4 == "PASS" { f = 1 } END { exit !f }' \
           "$L/report.tsv"; then
        run_tests "$L" 1
    fi
    # Criterion 2.4.1's runner can deadlock after a test's timeout on a
    # loaded machine (fixed in 2.4.2): the run is then cut at LAB_BOUND,
    # and the tests it had not reached have no record. Those, and only
    # those, run once more, their records added to the others: a
    # deadlocked runner must not cost a student a test. Code that hangs
    # the whole run pays LAB_BOUND twice at most.
    if [ "$(cat "$L/state")" = cut-short ] && [ -s "$L/report.tsv" ]; then
        awk -F'\t' 'NR == FNR { seen[$1 "/" $2] = 1; next }
                    !(($1 "/" $2) in seen) { print $1 "/" $2 }' \
            "$L/report.tsv" "$L/inventory.tsv" >"$L/unreached"
        if [ -n "$filter" ]; then   # TEST=: only the selected ones count
            grep -Fx -f "$L/selected" "$L/unreached" >"$L/unreached.sel"
            mv "$L/unreached.sel" "$L/unreached"
        fi
        if [ -s "$L/unreached" ]; then
            filter=$(filter_of "$L/unreached")
            echo built >"$L/state"
            progress "testing again what a cut run never reached ..."
            run_tests "$L" 1 append
        fi
    fi
done

progress
state_opt=""
if [ -n "${STATE:-}" ]; then
    state_opt="--state $STATE"
elif [ "$SRC" = "$ROOT/labs" ]; then
    state_opt="--state $ROOT/.grade/state"
    mkdir -p "$ROOT/.grade"
fi
# Several labs at once (make grade alone): one line per lab; a lab's
# details are a LAB=NN away.
brief=""
[ -z "$LAB" ] && [ -z "$TEST" ] && [ "${DETAILS:-0}" != 1 ] && [ "$nlabs" -gt 1 ] &&
    brief=--brief
again=""
[ "$SRC" = "$ROOT/labs" ] || again="SRC=$SRC"
# shellcheck disable=SC2086
"$TOOLS/report" "$RUN" $labs ${RESULTS:+--results "$RESULTS"} --isolation "$ISOLATION" \
    ${TEST:+--test "$TEST"} ${SUMMARY:+--summary "$SUMMARY"} --seconds $(( $(date +%s) - started )) $state_opt \
    $brief ${again:+--again "$again"}
rc=$?
# Whatever happened above, a requested results.json exists afterwards.
if [ -n "$RESULTS" ] && [ ! -s "$RESULTS" ]; then
    grader_failed "the report was not written (report exit $rc)"
fi
[ $rc -eq 5 ] && exit 5
exit $rc
