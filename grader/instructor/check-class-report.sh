#!/bin/sh
# check-class-report.sh - `make check-class-report`: the class report and
# the similarity pass, proved on a class whose answers are known. Not
# part of `make test` (it grades a small batch and starts a browser).
#
# The class (labs 01 02 03 05):
#   reference       the solutions of labs 01 and 05 (one copy only: two
#                   copies of the reference would rightly be "similar")
#   near-copy-a/-b  lab 01's solution, renamed and re-commented (the pairs
#                   the similarity pass must find, and only they)
#   skeleton-a/-b   the untouched skeletons of the four labs (the same
#                   files twice: hand-out code must never count)
#   faulty-02-*, faulty-03-*  one faulty variant each (from the solution
#                   of a lab the reference does not hand in)
#   compile-error   lab 05's skeleton with a line that is not C
#   garbage         random bytes named .tar.gz (malformed)
# It checks that
#   - make batch writes report.html and report.md;
#   - every histogram bar's count (data-count) is what the gradebook's
#     column gives for that score range;
#   - every test bar's failed and graded counts (data-failed,
#     data-graded) are those of the submissions' summary.txt (a test of a
#     lab that built; "fail LAB TEST"), and every failed test has a bar;
#   - the "could not be graded" rows are the gradebook's rows whose status
#     is not ok, with that status;
#   - make similarity lists exactly the three pairs of reference,
#     near-copy-a and near-copy-b (lab 01), writes their pages, and leaves
#     the gradebook byte for byte as it was;
#   - headless Chromium renders the report and each figure: every
#     screenshot is a PNG and is not blank (its file is more than twice
#     the size of the screenshot of an empty page of the same size: a
#     white PNG compresses to almost nothing).
# CLASS_REPORT_FULL=1 makes it the whole class the issue asked for: all
# ten labs, the reference handing in every solution, and every faulty
# variant as a submission of its own (about 200 submissions; minutes, not
# seconds). Each variant is then, rightly, a near-copy of the reference:
# the similarity check asks for the three pairs above, and that no pair
# involves a skeleton or the compile error.
# BATCH_JOBS (default 2) gradings at once. Exit status: 0 all good, 1 a
# check failed, 3 environment not ready (doctor, sim_c, chromium).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES OUT SUBMISSIONS
LC_ALL=C
export LC_ALL
cd "$ROOT" || exit 1
"$ROOT/grader/doctor.sh" --quiet || exit 3
"$ROOT/grader/selfcheck/need.sh" sim_c similarity-tester class-report || exit 3
"$ROOT/grader/selfcheck/need.sh" chromium chromium class-report || exit 3
mkdir -p "$ROOT/build" || exit 1
W=$(mktemp -d "$ROOT/build/class-report-check.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else bad "$desc"; fi; }
LABS="01-mq-basics 02-mq-priorities 03-mq-nonblocking 05-shm-mapping"
FULL=${CLASS_REPORT_FULL:-0}
REF_LABS="01-mq-basics 05-shm-mapping"
if [ "$FULL" = 1 ]; then
    LABS=$(cd labs && ls -d [0-9][0-9]-*/ | tr -d / | tr '\n' ' ')
    REF_LABS=$LABS
fi
NLABS=$(echo $LABS | wc -w)

echo "Class report and similarity (a batch of known submissions, labs $LABS)"
S=$W/subs
mkdir -p "$S"
for lab in $REF_LABS; do
    mkdir -p "$S/reference/$lab" && cp solutions/$lab/*.c "$S/reference/$lab/"
done
for who in a b; do
    for lab in $LABS; do
        mkdir -p "$S/skeleton-$who/$lab" && cp labs/$lab/*.c "$S/skeleton-$who/$lab/"
    done
done
# Near-copies: what a student does to hide a copy. a: every comment gone,
# the locals renamed; b: other names, other comments, other layout.
mkdir -p "$S/near-copy-a/01-mq-basics" "$S/near-copy-b/01-mq-basics"
for f in solutions/01-mq-basics/*.c; do
    leaf=${f##*/}
    sed -e '/^ *\/\*.*\*\/ *$/d' -e '/^ *\/\*/,/\*\//d' -e 's/\battr\b/a/g' -e 's/\bq\b/queue/g' \
        -e 's/\bname\b/qname/g' "$f" >"$S/near-copy-a/01-mq-basics/$leaf"
    sed -e 's/\battr\b/attributes/g' -e 's/\bq\b/mq/g' -e 's/^    /  /' \
        -e 's|/\*|/* my own note:|' -e 's/) {$/)\n{/' "$f" >"$S/near-copy-b/01-mq-basics/$leaf"
done
grader/make-variant.sh 02-mq-priorities faulty/02-mq-priorities/leaks-receive-buffer \
    "$S/faulty-02-leaks-receive-buffer" || { bad "make-variant 02"; exit 1; }
grader/make-variant.sh 03-mq-nonblocking faulty/03-mq-nonblocking/nap-never-grows \
    "$S/faulty-03-nap-never-grows" || { bad "make-variant 03"; exit 1; }
if [ "$FULL" = 1 ]; then
    # Where nothing isolates student code (no namespaces, not root), the
    # variants that attack the grader stay out, as in make test.
    unisolated=0
    [ "$(grader/sandbox.sh detect)" = none ] && [ "$(id -u)" != 0 ] && unisolated=1
    for v in faulty/*/*/; do
        v=${v%/}; vlab=${v#faulty/}; vlab=${vlab%%/*}
        [ $unisolated = 1 ] && [ -f "$v/attack" ] && continue
        grader/make-variant.sh "$vlab" "$v" "$S/faulty-${vlab%%-*}-${v##*/}" >/dev/null ||
            { bad "make-variant $v"; exit 1; }
    done
fi
mkdir -p "$S/compile-error/05-shm-mapping"
cp labs/05-shm-mapping/*.c "$S/compile-error/05-shm-mapping/"
echo "this line is not C" >>"$S/compile-error/05-shm-mapping/shm_mapping.c"
head -c 3000 /dev/urandom >"$S/garbage.tar.gz"

O=$W/out
echo "  ($(ls "$S" | wc -l) submissions, $NLABS labs, ${BATCH_JOBS:-2} gradings at once)"
batch_started=$(date +%s)
LAB="$LABS" BATCH_JOBS=${BATCH_JOBS:-2} LAB_BOUND=60 \
    ./grader/instructor/batch.sh "$S" "$O" >"$W/batch.out" 2>&1
rc=$?
echo "  (the batch took $(( $(date +%s) - batch_started )) s)"
check "make batch exits 0 (got $rc)" [ $rc = 0 ]
both=no
[ -s "$O/report.html" ] && [ -s "$O/report.md" ] && both=yes
check "it writes report.html and report.md" [ $both = yes ]
[ -s "$O/report.html" ] || { tail -n 20 "$W/batch.out"; echo "$passed passed, $failed failed"; exit 1; }
H=$O/report.html
G=$O/gradebook.csv

# The histograms against the gradebook: one count per lab and range.
header=$(head -n 1 "$G")
col=1
wrong=""
nbars=0
for lab in $(echo "$header" | tr ',' ' '); do
    col=$((col + 1))
    case $lab in [0-9][0-9]-*) ;; *) continue ;; esac
    # The gradebook's columns before the reason hold no comma here.
    field=$(echo "$header" | tr ',' '\n' | grep -n -x "$lab" | cut -d: -f1)
    for b in 0 1 2 3 4 5 6 7 8 9 10; do
        if [ $b = 10 ]; then range=100; else range=$((10 * b))-$((10 * b + 9)); fi
        want=$(tail -n +2 "$G" | awk -F, -v c="$field" -v b="$b" '
            { s = $c + 0; k = s >= 100 ? 10 : int(s / 10); if (k == b) n++ }
            END { print n + 0 }')
        got=$(grep -o "data-lab=\"$lab\" data-bucket=\"$range\" data-count=\"[0-9]*\"" "$H" |
            head -n 1 | sed 's/.*data-count="\([0-9]*\)"/\1/')
        nbars=$((nbars + 1))
        [ "$got" = "$want" ] || wrong="$wrong $lab:$range=${got:-none}(gradebook $want)"
    done
done
check "the $nbars histogram bars hold the gradebook's counts${wrong:+ (wrong:$wrong)}" [ -z "$wrong" ]

# The test bars against the summaries: a test of a lab that built.
: >"$W/want"
for lab in $LABS; do
    built=0
    for s in "$O"/submissions/*/summary.txt; do
        grep -q "^lab $lab [0-9]* [0-9]* built$" "$s" || continue
        built=$((built + 1))
        grep "^fail $lab " "$s" | cut -d' ' -f3 >>"$W/fails.$lab"
    done
    echo "$lab $built" >>"$W/built"
done
grep -o 'data-lab="[^"]*" data-test="[^"]*" data-failed="[0-9]*" data-graded="[0-9]*"' "$H" |
    sed -e 's/data-[a-z]*="\([^"]*\)"/\1/g' -e 's/ (bonus)/(bonus)/' >"$W/bars"
wrong=""
while read -r lab test nf ng; do
    t=${test%(bonus)}   # a bonus test's bar says so; its name does not
    wf=$(grep -c -x -F "$t" "$W/fails.$lab" 2>/dev/null)
    wg=$(awk -v l="$lab" '$1 == l { print $2 }' "$W/built")
    [ "$nf $ng" = "${wf:-0} $wg" ] || wrong="$wrong $lab:$t=$nf/$ng(summaries ${wf:-0}/$wg)"
done <"$W/bars"
check "the $(wc -l <"$W/bars") test bars hold the summaries' failed/graded counts${wrong:+ (wrong:$wrong)}" [ -z "$wrong" ]
missing=""
for lab in $LABS; do
    [ -f "$W/fails.$lab" ] || continue
    for t in $(sort -u "$W/fails.$lab"); do
        awk -v l="$lab" -v t="$t" '$1 == l && ($2 == t || $2 == t "(bonus)") { f = 1 } END { exit !f }' \
            "$W/bars" || missing="$missing $lab:$t"
    done
done
check "every failed test has a bar${missing:+ (missing:$missing)}" [ -z "$missing" ]
nfailedlabs=$(cat "$W"/fails.* 2>/dev/null | wc -l)
some=no
[ "$nfailedlabs" -gt 0 ] && awk '$3 < $4 { f = 1 } END { exit !f }' "$W/bars" && some=yes
check "the class failed some tests ($nfailedlabs failures) and passed some" [ $some = yes ]

# Could not be graded: the gradebook's rows whose status is not ok.
tail -n +2 "$G" | awk -F, -v n="$(echo "$header" | tr ',' '\n' | grep -n -x status | cut -d: -f1)" \
    '$n != "ok" { print $1 " " $n }' | sort >"$W/want.ungraded"
grep -o '<tr data-submission="[^"]*" data-status="[^"]*"' "$H" |
    sed 's/.*data-submission="\([^"]*\)" data-status="\([^"]*\)"/\1 \2/' | sort >"$W/got.ungraded"
check "the 'could not be graded' rows are the gradebook's ($(tr '\n' ';' <"$W/want.ungraded"))" \
    cmp -s "$W/want.ungraded" "$W/got.ungraded"
check "they include a compile error and a malformed submission" \
    grep -q '^compile-error compile-error$' "$W/got.ungraded"
check "  ... and the malformed one" grep -q '^garbage malformed$' "$W/got.ungraded"
check "the likely causes are listed with note links" \
    grep -q '<a href="file://[^"]*/notes/[0-9][0-9]-[a-z-]*\.md#' "$H"
check "report.md has every figure as an SVG file beside it" sh -c '
    for f in $(grep -o "(report/[^)]*\.svg)" "$1/report.md" | tr -d "()"); do
        [ -s "$1/$f" ] || exit 1
    done
    [ "$(grep -c "(report/[^)]*\.svg)" "$1/report.md")" = "$2" ]' sh "$O" $((2 * NLABS))

# Similarity: exactly the three pairs among reference and the copies.
cp "$G" "$W/gradebook.before"
sim_started=$(date +%s)
LAB="$LABS" ./grader/instructor/similarity.sh "$S" "$O" >"$W/sim.out" 2>&1
rc=$?
echo "  (make similarity took $(( $(date +%s) - sim_started )) s; the report $(sed -n 's/^report: .*(\(.*\))$/\1/p' "$O/batch.log"))"
check "make similarity exits 0 (got $rc)" [ $rc = 0 ]
tail -n +2 "$O/similarity.csv" 2>/dev/null | cut -d, -f1-3 | sort >"$W/got.pairs"
printf '%s\n' "01-mq-basics,near-copy-a,near-copy-b" "01-mq-basics,near-copy-a,reference" \
    "01-mq-basics,near-copy-b,reference" >"$W/want.pairs"
if [ "$FULL" = 1 ]; then
    check "similarity.csv lists the near-copies and the reference ($(wc -l <"$W/got.pairs") pairs in all)" \
        sh -c '[ -z "$(comm -23 "$1" "$2")" ]' sh "$W/want.pairs" "$W/got.pairs"
    check "no pair involves a skeleton or the compile error" \
        sh -c '! grep -q ",skeleton-\|,compile-error" "$1"' sh "$W/got.pairs"
else
check "similarity.csv lists exactly the near-copies and the reference (got: $(tr '\n' ';' <"$W/got.pairs"))" \
    cmp -s "$W/want.pairs" "$W/got.pairs"
fi
pages=$(tail -n +2 "$O/similarity.csv" 2>/dev/null | awk -F, '{ print $NF }')
nopage=""
for p in $pages; do [ -s "$O/$p" ] || nopage="$nopage $p"; done
[ -n "$pages" ] || nopage=" (no pair at all)"
check "each pair has its side-by-side page${nopage:+ (missing:$nopage)}" [ -z "$nopage" ]
check "the report's similarity section lists the pairs of similarity.csv" \
    [ "$(grep -c '<tr data-lab="[0-9a-z-]*" data-a=' "$H")" = "$(wc -l <"$W/got.pairs")" ]
check "the gradebook is byte for byte as the batch wrote it" cmp -s "$G" "$W/gradebook.before"
check "the report and the pages say it never changes a score" \
    grep -q 'never changes a score' "$H" "$O/similarity/01-mq-basics-1.html"

# Headless Chromium: the report and each figure, each against an empty
# page of the same size.
shot() {  # URL PNG WIDTH HEIGHT
    rm -f "$2"
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$W/chromium" --screenshot="$2" --window-size="$3,$4" "$1" \
        >>"$W/chromium.log" 2>&1
    [ -s "$2" ] && [ "$(head -c 8 "$2" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
}
size() { wc -c <"$1" | tr -d ' '; }
echo '<!DOCTYPE html><html><body></body></html>' >"$W/empty.html"
# Tall enough for the whole page: the figures' heights, and the rest.
height=$(grep -o '<svg [^>]*height="[0-9]*"' "$H" | sed 's/.*height="\([0-9]*\)"/\1/' |
    awk '{ s += $1 } END { print s + 2500 }')
[ "$height" -le 16000 ] || height=16000
if shot "file://$H" "$W/report.png" 1200 "$height" &&
   shot "file://$W/empty.html" "$W/empty.png" 1200 "$height"; then
    r=$(size "$W/report.png")
    e=$(size "$W/empty.png")
    check "the report's screenshot (1200x$height) is not blank ($r bytes, an empty page $e)" \
        [ "$r" -gt $((2 * e)) ]
else
    bad "chromium made no screenshot of the report ($(tail -n 3 "$W/chromium.log" | tr '\n' ' '))"
fi
blank=""
nfig=0
for svg in "$O"/report/*.svg; do
    w=$(sed -n '1s/.* width="\([0-9]*\)".*/\1/p' "$svg")
    h=$(sed -n '1s/.* height="\([0-9]*\)".*/\1/p' "$svg")
    printf '<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s"><rect width="100%%" height="100%%" fill="white"/></svg>\n' \
        "$w" "$h" >"$W/white.svg"
    nfig=$((nfig + 1))
    if shot "file://$svg" "$W/fig.png" "$w" "$h" && shot "file://$W/white.svg" "$W/white.png" "$w" "$h"; then
        [ "$(size "$W/fig.png")" -gt $((2 * $(size "$W/white.png"))) ] || blank="$blank ${svg##*/}"
    else
        blank="$blank ${svg##*/}(no screenshot)"
    fi
done
[ "$nfig" = $((2 * NLABS)) ] || blank="$blank ($((2 * NLABS)) figures expected)"
check "each of the $nfig figures renders, none blank${blank:+ (blank:$blank)}" [ -z "$blank" ]
if [ -n "${CLASS_REPORT_KEEP:-}" ]; then
    mkdir -p "$CLASS_REPORT_KEEP" && cp -r "$O" "$W/report.png" "$CLASS_REPORT_KEEP/" &&
        echo "  (kept in $CLASS_REPORT_KEEP)"
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]
