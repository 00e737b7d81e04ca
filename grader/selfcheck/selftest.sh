#!/bin/sh
# selftest.sh - `make test`: the project checks itself.
#
#  1. every lab is well formed: points add up to 100, test names are
#     unique, every note link a test gives exists, every skeleton has a
#     TODO(student), the solution has exactly the student's files;
#  2. every solution scores full marks, cleanliness included, and its
#     results.json is valid;
#  3. every untouched skeleton compiles and scores 0;
#  4. every faulty variant (faulty/NN-slug/VARIANT) scores exactly what its
#     `expect` says, losing exactly the tests it names, with the failure
#     messages its `says` lines quote;
#  5. the grader's own edges: bad usage, a submission in the wrong shape,
#     what make grade shows (TEST=, a line per lab, progress), make
#     doctor and make status, two gradings at once; and nothing is left
#     behind;
#  and the notes: every C snippet compiles (whole programs run), every
#  Markdown link and every note link the grader prints leads somewhere, and
#  no chapter holds more than a little of its lab's solution
#  (check-overlap.sh).
#
# LAB=NN narrows it to one lab. Exit status: 0 all good, 1 a check
# failed, 3 environment not ready.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
LC_ALL=C
export LC_ALL
"$ROOT/grader/doctor.sh" --quiet || exit 3
TOOLS=$ROOT/build/tools
GRADE=$ROOT/grader/grade.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-selftest.XXXXXX")
# A killed run still removes the canary it put under /dev (section 4).
unset IPCLAB_DEV_CANARY
trap 'rm -rf "$T"; [ -z "${IPCLAB_DEV_CANARY:-}" ] || rm -f "$IPCLAB_DEV_CANARY"' EXIT
trap 'exit 130' INT TERM
passed=0
failed=0
tab=$(printf '\t')

ok() { passed=$((passed + 1)); echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else bad "$desc"; fi; }

labs=$(cd labs && ls -d [0-9][0-9]-*/ | tr -d /)
case ${LAB:-} in [0-9]) LAB=0$LAB ;; esac
if [ -n "${LAB:-}" ]; then
    labs=$(echo "$labs" | grep "^$LAB")
fi
# Run the grader quietly with its settings in the environment.
# IPCLAB_SELFTEST marks every process of these gradings (it is inherited
# down to the student's code), so leftovers of ours can be told from those
# of other gradings running on the machine.
grade() {
    env -u LAB -u SRC -u TEST -u RESULTS IPCLAB_SELFTEST=$$ "$@" "$GRADE"
}
# >>> hand-out (make handout) >>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>
# A hand-out has no solutions/ and no faulty/. There sections 2 and 4 are
# skipped and section 5 grades the skeletons (REF, scoring REF_SCORE); the
# lines outside this block that use it end in "# hand-out".
HANDOUT=0
[ -d "$ROOT/solutions" ] || HANDOUT=1
REF=solutions REF_SCORE=100
[ $HANDOUT = 1 ] && REF=labs REF_SCORE=0
# <<< hand-out <<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<

# ---- 1. shape ---------------------------------------------------------
echo "Lab shape"
anchors_of() {
    # GitHub's anchors: lower case, punctuation dropped, spaces to '-'.
    sed -n 's/^#\{1,6\} \{1,\}//p' "$1" | tr 'A-Z' 'a-z' |
        sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g'
}
for lab in $labs; do
    t=labs/$lab/tests
    "$ROOT/grader/inventory.sh" "labs/$lab" >"$T/inventory.$lab"
    total=$(awk -F"$tab" '$1 != "bonus" { s += $3 } END { print s + 0 }' "$T/inventory.$lab")
    check "$lab: points add up to 100 (got $total)" [ "$total" = 100 ]
    dups=$(cut -f1,2 "$T/inventory.$lab" | sort | uniq -d)
    check "$lab: test names are unique${dups:+ (twice: $dups)}" [ -z "$dups" ]
    note=notes/$lab.md
    if [ -f "$note" ]; then
        anchors_of "$note" >"$T/anchors"
        missing=""
        # Links written out ("NN-slug.md#anchor") and through a NOTE("anchor")
        # macro; the links the grader really printed are checked below too.
        for ref in $( { grep -oh "$lab\.md#[a-z0-9_-]\{1,\}" "$t"/*.[ch]
                        grep -oh 'NOTE("[a-z0-9_-]\{1,\}")' "$t"/*.[ch] |
                            sed 's/NOTE("\(.*\)")/x#\1/'; } | sort -u); do
            grep -qx "${ref#*#}" "$T/anchors" || missing="$missing ${ref#*#}"
        done
        check "$lab: every note link of its tests exists${missing:+ (missing:$missing)}" \
            [ -z "$missing" ]
    else
        bad "$lab: notes/$lab.md is missing"
    fi
    hints=hints/$lab.md
    if [ -f "$hints" ]; then
        nohint=""
        for t in $(cut -f1,2 "$T/inventory.$lab" | tr "$tab" /); do
            awk -v s="$t" '/^## / { on = ($0 == "## " s) } /^### / { on = 0 }
                           on && /^- / { n++ }
                           END { exit n ? 0 : 1 }' "$hints" || nohint="$nohint $t"
        done
        check "$lab: every test has a hint${nohint:+ (none for:$nohint)}" [ -z "$nohint" ]
        # Every cause key its tests print (LAB_CAUSE/LAB_BLAME, key on the
        # macro's line) has hints: "### cause: KEY" or "## cause: KEY".
        nocause=""
        for k in $(grep -oh 'LAB_\(CAUSE\|BLAME\)("[a-z0-9-]*"' labs/$lab/tests/*.[ch] \
                       2>/dev/null | sed 's/.*("//; s/"$//' | sort -u); do
            awk -v k="cause: $k" '/^##/ { on = ($0 == "## " k || $0 == "### " k); next }
                                  on && /^- / { n++ } END { exit n ? 0 : 1 }' "$hints" ||
                nocause="$nocause $k"
        done
        check "$lab: every likely cause its tests name has a hint${nocause:+ (none for:$nocause)}" \
            [ -z "$nocause" ]
    else
        bad "$lab: hints/$lab.md is missing"
    fi
    files=$(make -s -f grader/build.mk LAB_DIR="$ROOT/labs/$lab" print-student-files)
    for f in $files; do
        check "$lab/$f: skeleton has a TODO(student)" grep -q 'TODO(student)' "labs/$lab/$f"
        [ $HANDOUT = 1 ] || check "$lab/$f: solution exists" [ -f "solutions/$lab/$f" ] # hand-out
    done
done

# ---- the notes and the Markdown: snippets compile, links lead somewhere
echo "Notes"
"$ROOT/grader/selfcheck/check-notes.sh" >"$T/notes.out" 2>&1
rc=$?
check "$(tail -n 1 "$T/notes.out")" [ $rc = 0 ]
grep '^FAIL' "$T/notes.out" | sed 's/^/        /'
"$ROOT/grader/selfcheck/check-links.sh" >"$T/links.out" 2>&1
rc=$?
check "$(tail -n 1 "$T/links.out")" [ $rc = 0 ]
grep '^broken' "$T/links.out" | sed 's/^/        /'
if [ $HANDOUT = 0 ]; then # hand-out
"$ROOT/grader/selfcheck/check-overlap.sh" >"$T/overlap.out" 2>&1
rc=$?
[ $rc = 3 ] && { tail -n 1 "$T/overlap.out"; exit 3; }
check "$(tail -n 1 "$T/overlap.out")" [ $rc = 0 ]
grep ' ABOVE ' "$T/overlap.out" | sed 's/^/        /'
fi # hand-out

# ---- 2. solutions -------------------------------------------------------
if [ $HANDOUT = 0 ]; then # hand-out
echo "Solutions (full marks, results.json valid)"
grade SRC=solutions ${LAB:+LAB=$LAB} RESULTS="$T/solutions.json" \
    SUMMARY="$T/solutions.sum" >"$T/solutions.out" 2>&1
rc=$?
check "grade SRC=solutions exits 0 (got $rc; output in the log below if not)" [ $rc = 0 ]
[ $rc = 0 ] || tail -n 40 "$T/solutions.out"
for lab in $labs; do
    line=$(grep "^lab $lab " "$T/solutions.sum")
    set -- $line
    check "$lab: solution scores ${3:-?}/${4:-?}" [ "${3:-x}" = "${4:-y}" ]
done
check "solutions' results.json is valid JSON with the Gradescope keys" \
    "$TOOLS/jsoncheck" "$T/solutions.json" tests name score max_score status output

fi # hand-out

# ---- 3. skeletons -------------------------------------------------------
echo "Skeletons (compile, score 0)"
grade SRC=labs ${LAB:+LAB=$LAB} STATE="$T/state" SUMMARY="$T/skeletons.sum" \
    RESULTS="$T/skeletons.json" >"$T/skeletons.out" 2>&1
for lab in $labs; do
    line=$(grep "^lab $lab " "$T/skeletons.sum")
    set -- $line
    check "$lab: untouched skeleton compiles (state ${5:-?})" [ "${5:-}" = built ]
    check "$lab: untouched skeleton scores 0 (got ${3:-?})" [ "${3:-x}" = 0 ]
done
check "skeletons' results.json is valid JSON" "$TOOLS/jsoncheck" "$T/skeletons.json"

# ---- 4. faulty variants -------------------------------------------------
if [ $HANDOUT = 0 ]; then # hand-out
echo "Faulty variants (each loses exactly what it should)"
make_variant() {  # LAB VARIANT_DIR OUT_ROOT
    "$ROOT/grader/make-variant.sh" "$@"
}
run_variant() {  # LAB VARIANT [SANDBOX]
    v=$T/v${3:+-$3}/$1/$2
    if ! make_variant "$1" "faulty/$1/$2" "$v/src"; then
        echo "sed script does not change the solution" >"$v/error"
        return
    fi
    grade SRC="$v/src" LAB="$1" SUMMARY="$v/sum" RESULTS="$v/results.json" \
        ${3:+SANDBOX=$3} >"$v/out" 2>&1
    echo $? >"$v/rc"
}
compare_variant() {  # LAB VARIANT [SANDBOX]
    clab=$1
    cvar=$2
    v=$T/v${3:+-$3}/$clab/$cvar
    name="$clab/$cvar${3:+ (SANDBOX=$3)}"
    if [ -f "$v/error" ]; then
        bad "$name: $(cat "$v/error")"
        return
    fi
    want_score=$(sed -n 's/^score //p' "faulty/$clab/$cvar/expect")
    got_score=$(awk -v lab="$clab" '$1 == "lab" && $2 == lab { print $3 }' \
        "$v/sum" 2>/dev/null)
    got_score=${got_score:-none}
    sed -n 's/^fail //p' "faulty/$clab/$cvar/expect" | sort >"$v/want"
    if grep -qx '\*' "$v/want"; then
        cut -f1,2 "$T/inventory.$clab" | tr "$tab" / | sort >"$v/want"
    fi
    grep "^fail " "$v/sum" 2>/dev/null | awk '{ print $3 }' | sort >"$v/got"
    # "says suite/name PHRASE": that test's failure message, as the grader
    # printed it, holds PHRASE (one line of it; quotes around it optional).
    unsaid=$(sed -n 's/^says //p' "faulty/$clab/$cvar/expect" | while read -r t phrase; do
        phrase=${phrase#\"}
        phrase=${phrase%\"}
        awk -v t="$t" '/^  [A-Z]+ +[a-z0-9_]+\/[a-z0-9_]+ / { on = ($2 == t); next }
                       /^  [^ ]/ { on = 0 } on' "$v/out" | grep -qF -- "$phrase" ||
            echo "        $t does not say: $phrase"
    done)
    if [ "$got_score" = "$want_score" ] && cmp -s "$v/want" "$v/got" && [ -z "$unsaid" ]; then
        ok "$name scores $got_score"
    elif [ -n "$unsaid" ] && [ "$got_score" = "$want_score" ] && cmp -s "$v/want" "$v/got"; then
        bad "$name: scores $got_score, but a failure message is not the one expected"
        printf '%s\n' "$unsaid"
    else
        bad "$name: expected $want_score, got $got_score"
        diff "$v/want" "$v/got" | sed -n 's/^< /        should fail but passed: /p; s/^> /        fails but should not: /p'
        [ "$got_score" = none ] && tail -n 15 "$v/out" | sed 's/^/        /'
    fi
    "$TOOLS/jsoncheck" "$v/results.json" ||
        bad "$name: results.json is not valid JSON"
}
UNISOLATED=0
[ "$("$ROOT/grader/sandbox.sh" detect)" = none ] && [ "$(id -u)" != 0 ] && UNISOLATED=1
# Canaries for the variants that attack the grader: a file in the
# checkout, a root-owned file under /dev (no read-only mount covers /dev),
# and the grader's own report tool. None may change.
mkdir -p build
CANARY=$ROOT/build/canary.$$
echo "canary" >"$CANARY"
export IPCLAB_CANARY="$CANARY"
if [ "$(id -u)" = 0 ] && echo canary >"/dev/ipclab-canary.$$" 2>/dev/null; then
    chmod 644 "/dev/ipclab-canary.$$"
    export IPCLAB_DEV_CANARY="/dev/ipclab-canary.$$"
fi
make -s -f grader/tools.mk && cp "$TOOLS/report" "$T/report.before"
tracked_before=$(git status --porcelain --untracked-files=no -- labs 2>/dev/null | md5sum)
# A pool of VARIANT_JOBS gradings (one per core by default), fed from
# every lab at once: a slow variant holds one slot, not a pair. The slots
# are lines in a FIFO; each grading takes one and gives it back. The
# grading itself does not inherit the FIFO (3>&-): student code must see
# only the descriptors a grading gives it.
VARIANT_JOBS=${VARIANT_JOBS:-$(nproc 2>/dev/null || echo 2)}
mkfifo "$T/slots" && exec 3<>"$T/slots"
i=0
while [ $i -lt "$VARIANT_JOBS" ]; do echo >&3; i=$((i + 1)); done
graded=""
for lab in $labs; do
    [ -d "faulty/$lab" ] || { bad "$lab: no faulty variants"; continue; }
    mkdir -p "$T/v/$lab"
    variants=$(cd "faulty/$lab" && ls -d */ | tr -d /)
    # Where nothing isolates the student's code (no namespaces, not
    # root), the attacks on the grader would really damage this checkout.
    if [ "$UNISOLATED" = 1 ]; then
        variants=$(for v in $variants; do [ -f "faulty/$lab/$v/attack" ] || echo "$v"; done)
        echo "  skip  $lab: the attacks on the grader (nothing isolates them here)"
    fi
    for var in $variants; do
        read -r _ <&3
        { run_variant "$lab" "$var" 3>&-; echo >&3; } &
        graded="$graded $lab/$var"
    done
done
wait
exec 3>&-
for lv in $graded; do
    compare_variant "${lv%%/*}" "${lv#*/}"
done

# Where neither namespaces nor root are to be had, nothing keeps student
# code from the checkout (grade.sh says so): there the attacks would win.
if [ "$("$ROOT/grader/sandbox.sh" detect)" = none ] && [ "$(id -u)" != 0 ]; then
    echo "  skip  the attacks' canaries: neither namespaces nor root here"
else
    if [ "$(id -u)" = 0 ]; then
        echo "As where namespaces are refused (SANDBOX=uid)"
        grade SRC=solutions ${LAB:+LAB=$LAB} SANDBOX=uid SUMMARY="$T/uid-solutions.sum" \
            RESULTS="$T/uid-solutions.json" >"$T/uid-solutions.out" 2>&1
        grade SRC=labs ${LAB:+LAB=$LAB} SANDBOX=uid STATE="$T/uid-state" \
            SUMMARY="$T/uid-skeletons.sum" >"$T/uid-skeletons.out" 2>&1
        for lab in $labs; do
            check "$lab: solution scores 100 under SANDBOX=uid ($(grep "^lab $lab " "$T/uid-solutions.sum" | cut -d' ' -f3))" \
                grep -q "^lab $lab 100 100 built" "$T/uid-solutions.sum"
            check "$lab: skeleton scores 0 under SANDBOX=uid ($(grep "^lab $lab " "$T/uid-skeletons.sum" | cut -d' ' -f3))" \
                grep -q "^lab $lab 0 100 built" "$T/uid-skeletons.sum"
        done
        check "results.json says the isolation was uid" \
            grep -q '"isolation": "uid"' "$T/uid-solutions.json"
        # The attacks again, as where namespaces are refused.
        attacks=0
        for variant in faulty/*/*/attack; do
            alab=${variant#faulty/}; alab=${alab%%/*}
            avar=${variant%/attack}; avar=${avar##*/}
            echo "$labs" | grep -qx "$alab" || continue
            mkdir -p "$T/v-uid/$alab"
            run_variant "$alab" "$avar" uid
            compare_variant "$alab" "$avar" uid
            attacks=$((attacks + 1))
        done
        if echo "$labs" | grep -qx 01-mq-basics; then
            check "the attacks on the grader ran under SANDBOX=uid too ($attacks)" \
                [ "$attacks" -gt 0 ]
        fi
    fi
    check "student code changed no file outside its run (canary intact)" \
        sh -c '[ "$(cat "$IPCLAB_CANARY")" = canary ] && [ ! -e /etc/ipclab-canary ] && [ -f labs/01-mq-basics/mq_basics.h ]'
    if [ -n "${IPCLAB_DEV_CANARY:-}" ]; then
        check "student code wrote nothing under /dev (canary intact)" \
            sh -c '[ "$(cat "$IPCLAB_DEV_CANARY")" = canary ]'
    fi
    check "student code left the grader's report tool as it was" \
        cmp -s "$TOOLS/report" "$T/report.before"
    check "student code changed no tracked file under labs/" \
        [ "$(git status --porcelain --untracked-files=no -- labs 2>/dev/null | md5sum)" = "$tracked_before" ]
    left_files=$(find /tmp /dev/shm -maxdepth 1 -name 'ipclab-fill.*' 2>/dev/null | head -n 3)
    check "no file the attacks wrote is left in /tmp or /dev/shm${left_files:+ ($left_files)}" \
        [ -z "$left_files" ]
fi
[ -n "${IPCLAB_DEV_CANARY:-}" ] && rm -f "$IPCLAB_DEV_CANARY"
unset IPCLAB_DEV_CANARY
rm -f "$CANARY"
unset IPCLAB_CANARY
fi # hand-out

# ---- 5. the grader's own edges ------------------------------------------
echo "Grader edges"
first=$(echo "$labs" | head -n 1)
grade SRC="$T/does-not-exist" >/dev/null 2>&1
check "a missing SRC exits 2 (usage)" [ $? = 2 ]
mkdir -p "$T/wrong/submission/$first"
cp "$REF/$first"/*.c "$T/wrong/submission/$first/" # hand-out
grade SRC="$T/wrong" RESULTS="$T/wrong.json" >"$T/wrong.out" 2>&1
check "a submission nested one folder too deep exits 4 (wrong shape)" [ $? = 4 ]
check "... and says which SRC was meant" grep -q "did you mean SRC=$T/wrong/submission" "$T/wrong.out"
check "... and still writes a valid results.json marked as a grader error" \
    sh -c "'$TOOLS/jsoncheck' '$T/wrong.json' && grep -q '\"grader_status\": \"error\"' '$T/wrong.json'"
grade SRC=$REF LAB=99 >/dev/null 2>&1 # hand-out
check "an unknown LAB exits 2 (usage)" [ $? = 2 ]
mkdir -p "$T/partial/$first"
grade SRC="$T/partial" LAB="$first" SUMMARY="$T/partial.sum" >/dev/null 2>&1
check "a lab folder without its files scores 0 as missing-files" \
    grep -q "^lab $first 0 100 missing-files" "$T/partial.sum"

# What make grade shows a student (issue 14): TEST= and its footer, one
# line per lab, progress only on a terminal; make doctor; make status.
grade SRC=$REF LAB="$first" TEST=no_such_test_at_all >"$T/unknown.out" 2>"$T/unknown.err" # hand-out
rc=$?
check "an unknown TEST exits 2 (usage; got $rc)" [ $rc = 2 ]
check "... prints nothing on stdout (no 0/0 score)" [ ! -s "$T/unknown.out" ]
check "... and lists $first's own tests on stderr" \
    grep -qx "grade:   $(head -n 1 "$T/inventory.$first" | cut -f1,2 | tr "$tab" /)" "$T/unknown.err"
example=$(sed -n 's/.*make grade LAB=[0-9]* TEST=\([a-z0-9_]*\).*/\1/p' "$T/unknown.err" | head -n 1)
check "... with an example that is a test of $first (${example:-none})" \
    sh -c "[ -n '$example' ] && cut -f2 '$T/inventory.$first' | grep -qx '$example'"
# A part of names: a suite with several tests, which is no test's name.
part=$(cut -f1 "$T/inventory.$first" | grep -v -e '^clean$' -e '^bonus$' | sort | uniq -c |
       awk '$1 > 1 { print $2; exit }')
nmatch=$(awk -F"$tab" '{ print $1 "/" $2 }' "$T/inventory.$first" | grep -c "$part")
mkdir -p "$T/part.state"
printf 'score\t65\nmax\t100\nwhen\t%s\n' "$(date +%s)" >"$T/part.state/$first"
cp "$T/part.state/$first" "$T/part.before"
grade SRC=$REF LAB="$first" TEST="$part" LEAKCHECK=0 STATE="$T/part.state" >"$T/part.out" 2>&1 # hand-out
rc=$?
ran=$(grep -cE '^  (OK|FAIL|CRASH|TIMEOUT|SKIP) ' "$T/part.out")
check "TEST=$part (a part of names) runs the $nmatch tests it matches ($ran ran)" \
    [ "$ran" = "$nmatch" -a "$nmatch" -gt 1 ]
check "... and says which it matched" grep -q "^TEST=$part is no test's name; the $nmatch tests it matches run:" "$T/part.out"
check "... exits 0 only if each passed (got $rc)" [ $rc = $([ $REF_SCORE = 100 ] && echo 0 || echo 1) ] # hand-out
check "... its footer says it was a partial run, with no Score: line" \
    sh -c "grep -q '^Partial run (TEST=$part): ' '$T/part.out' && ! grep -q '^Score:' '$T/part.out'"
check "... gives the lab's standing and leaves it as it was (65/100)" \
    sh -c "grep -q 'stands at 65/100' '$T/part.out' && cmp -s '$T/part.state/$first' '$T/part.before'"
check "... and never says the lab is at 0" sh -c "! grep -q 'is at 0' '$T/part.out'"
# Two labs without LAB: a line each, the next step, no progress in a pipe.
second=$(cd labs && ls -d [0-9][0-9]-*/ | tr -d / | grep -vx "$first" | head -n 1)
mkdir -p "$T/two/$first" "$T/two/$second"
cp "$REF/$first"/*.c "$T/two/$first/" # hand-out
grade SRC="$T/two" LEAKCHECK=0 >"$T/two.out" 2>&1
check "make grade of several labs prints one line per lab ($(grep -c '^  [0-9][0-9]-' "$T/two.out") lines)" \
    sh -c "[ \$(grep -c '^  [0-9][0-9]-' '$T/two.out') = 2 ] && ! grep -qE '^== |^  (OK|FAIL) ' '$T/two.out'"
check "... each with its score and first failing test, or why it did not run" \
    sh -c "grep -q '^  $second  *0/100  files missing' '$T/two.out' && grep -qE '^  $first  *[0-9]+/100( |\$)' '$T/two.out'"
check "... then the next step and where the details are" \
    sh -c "grep -qE '^(Next|First to fix): ' '$T/two.out' && grep -q 'make grade SRC=$T/two LAB=NN' '$T/two.out'"
check "... and no progress line in a pipe" sh -c "! grep -q ' of 2, ' '$T/two.out'"
if command -v script >/dev/null 2>&1; then
    mkdir -p "$T/two-empty/$first" "$T/two-empty/$second"
    env -u LAB -u TEST -u RESULTS SRC="$T/two-empty" IPCLAB_SELFTEST=$$ \
        script -qec "$GRADE" "$T/two.tty" >/dev/null 2>&1 </dev/null
    later=$(printf '%s\n' "$first" "$second" | sort | tail -n 1)
    check "... but progress on a terminal (lab 2 of 2)" grep -q "grade: lab 2 of 2, $later" "$T/two.tty"
else
    echo "  skip  progress on a terminal: no script(1) here"
fi
# make doctor with a queue file system mounted elsewhere (a private one).
if [ "$(id -u)" = 0 ] && unshare --mount --ipc true 2>/dev/null; then
    mkdir -p "$T/mq"
    unshare --mount --ipc sh -c "mount --make-rprivate / && mount -t mqueue none '$T/mq' &&
        mount -t tmpfs none /dev/shm && touch '$T/mq/ipclab-left' &&
        '$ROOT/grader/doctor.sh'" >"$T/doctor.out" 2>&1
    check "make doctor never lists . or .. of a mounted mqueue" \
        sh -c "grep -q 'message queue /ipclab-left' '$T/doctor.out' && ! grep -q 'message queue /\.' '$T/doctor.out'"
    check "... and gives the command that removes a real leftover" \
        grep -q "message queue /ipclab-left: rm $T/mq/ipclab-left" "$T/doctor.out"
else
    echo "  skip  make doctor with mqueue mounted: needs root and unshare"
fi
# A lab's bonus in its state and in make status; the bonus test alone.
F=$T/fake
mkdir -p "$F/99-fake" "$F/root/labs/99-fake" "$F/root/.grade"
printf 'a\tone\t60\na\ttwo\t40\nbonus\textra\t10\n' >"$F/99-fake/inventory.tsv"
printf 'a\tone\t60\tPASS\t0.1\tok\na\ttwo\t40\tFAIL\t0.1\tgot: x\nbonus\textra\t10\tPASS\t0.1\tok\n' \
    >"$F/99-fake/report.tsv"
echo built >"$F/99-fake/state"
"$TOOLS/report" "$F" 99-fake --state "$F/root/.grade/state" >"$F/full.out" 2>&1
check "report keeps a lab's bonus for make status, and shows it by the score" \
    sh -c "grep -q '^bonus	10' '$F/root/.grade/state/99-fake' && grep -q '^Score: 60/100  (bonus 10/10' '$F/full.out'"
"$TOOLS/status" "$F/root" >"$F/status.out" 2>&1
check "make status shows a lab's bonus" grep -q '60/100 + bonus 10/10' "$F/status.out"
echo bonus/extra >"$F/99-fake/selected"
cp "$F/root/.grade/state/99-fake" "$F/state.before"
"$TOOLS/report" "$F" 99-fake --state "$F/root/.grade/state" --test extra >"$F/bonus.out" 2>&1
rc=$?
check "the bonus test alone: bonus 10/10, never 0/0, exit 0 (got $rc)" \
    sh -c "[ $rc = 0 ] && grep -q '^Partial run (TEST=extra): 1 of 1 test passed, bonus 10/10' '$F/bonus.out' && ! grep -q '0/0' '$F/bonus.out'"
check "... and the lab's state stays as it was" cmp -s "$F/root/.grade/state/99-fake" "$F/state.before"

if [ -z "${LAB:-}" ] && [ $HANDOUT = 0 ]; then # hand-out
    HANDIN_FROM=$ROOT/solutions HANDIN=$T/handin.tar.gz HANDIN_SUMMARY=$T/handin.sum \
        IPCLAB_SELFTEST=$$ "$ROOT/grader/student/handin.sh" >"$T/handin.out" 2>&1
    check "make handin of the solutions packs only the student's files" \
        sh -c "tar -tzf '$T/handin.tar.gz' | grep -v '/\$' | grep -qv '\.c\$' && exit 1; exit 0"
    check "... and its contents grade to full marks" \
        sh -c "[ -s '$T/handin.sum' ] && awk '\$1 == \"lab\" && \$3 != \$4 { bad = 1 } END { exit bad }' '$T/handin.sum'"
fi

if [ $HANDOUT = 0 ] && [ -z "${LAB:-}" ]; then # hand-out
    echo "Hand-out (make handout, extracted and checked on its own)"
    if "$ROOT/grader/selfcheck/check-handout.sh" >"$T/handout.out" 2>&1; then
        ok "make handout: $(tail -n 1 "$T/handout.out")"
    else
        bad "make handout: $(tail -n 1 "$T/handout.out")"
        grep 'FAIL' "$T/handout.out" | sed 's/^/        /'
    fi
fi

if [ $HANDOUT = 0 ] && [ -z "${LAB:-}" ]; then # hand-out
    echo "Gradescope (the autograder zip, run on a simulated /autograder)"
    "$ROOT/grader/instructor/gradescope/check.sh" >"$T/gradescope.out" 2>&1
    rc=$?
    if [ $rc = 0 ]; then
        ok "make gradescope: $(tail -n 1 "$T/gradescope.out")"
    elif [ $rc = 3 ]; then
        echo "  skip  make gradescope: zip is missing and cannot be installed here"
    else
        bad "make gradescope: $(tail -n 1 "$T/gradescope.out")"
        grep 'FAIL' "$T/gradescope.out" | sed 's/^/        /'
    fi
fi

echo "Two gradings at once give what one alone gives"
grade SRC=$REF LAB="$first" STATE="$T/c1.state" SUMMARY="$T/c1.sum" >/dev/null 2>&1 & # hand-out
grade SRC=$REF LAB="$first" STATE="$T/c2.state" SUMMARY="$T/c2.sum" >/dev/null 2>&1 # hand-out
wait
check "concurrent grading 1 scores $REF_SCORE" grep -q "^lab $first $REF_SCORE 100" "$T/c1.sum" # hand-out
check "concurrent grading 2 scores $REF_SCORE" grep -q "^lab $first $REF_SCORE 100" "$T/c2.sum" # hand-out
if [ $HANDOUT = 0 ] && [ "$(id -u)" = 0 ] && [ -d faulty/01-mq-basics/kills-every-process ]; then # hand-out
    # Without namespaces the ids keep gradings apart: kill(-1) in one
    # reaches every process of its own id, none of the other's.
    make_variant 01-mq-basics faulty/01-mq-basics/kills-every-process "$T/killer"
    grade SRC="$T/killer" LAB=01 SANDBOX=uid SUMMARY="$T/k1.sum" >/dev/null 2>&1 &
    grade SRC=solutions LAB=01 SANDBOX=uid SUMMARY="$T/k2.sum" >/dev/null 2>&1
    wait
    check "SANDBOX=uid: a grading whose code calls kill(-1, SIGKILL) scores 0" \
        grep -q "^lab 01-mq-basics 0 100" "$T/k1.sum"
    check "... and the solution graded beside it still scores 100" \
        grep -q "^lab 01-mq-basics 100 100" "$T/k2.sum"
fi

left=$(ls /dev/shm 2>/dev/null | grep '^ipclab\.' || true)
check "no shm object of the suite left in /dev/shm${left:+ ($left)}" [ -z "$left" ]
procs=$(grep -l "IPCLAB_SELFTEST=$$" /proc/[0-9]*/environ 2>/dev/null | wc -l)
check "no process of a grading run left ($procs found)" [ "$procs" = 0 ]

# Every "read: notes/..." the grader printed anywhere above must lead to
# an existing section.
bad_links=""
for link in $(cat "$T"/*.out "$T"/v/*/*/out 2>/dev/null |
              grep -o 'read: notes/[^ ]*' | sed 's/^read: notes\///' | sort -u); do
    file=notes/${link%%#*}
    anchor=${link#*#}
    if [ ! -f "$file" ] || ! anchors_of "$file" | grep -qx "$anchor"; then
        bad_links="$bad_links $link"
    fi
done
check "every note link the grader printed exists${bad_links:+ (broken:$bad_links)}" \
    [ -z "$bad_links" ]

echo
echo "$passed passed, $failed failed"
[ $failed = 0 ]
