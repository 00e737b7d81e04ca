#!/bin/sh
# mutants.sh - `make mutants [LAB=NN]`: how much of each solution the
# tests really check. Every mutant (grader/selfcheck/mutate.c: one small mistake
# in one student file of solutions/NN-slug) is graded as a submission;
# a mutant the tests do not catch shows a hole in them, unless it is
# equivalent (behaves exactly as the solution) and listed as such in
# grader/selfcheck/equivalent-mutants.txt.
#
# A mutant is graded natively first (LEAKCHECK=0: its clean tests are
# skipped); if every other test passes, again with valgrind (LEAKCHECK=1,
# which catches a deleted free or close). Its outcome:
#   killed      a test failed (the first one is named)
#   survived    full marks all the same
#   equivalent  survived, and listed in equivalent-mutants.txt
#   stillborn   did not compile (not counted)
# Mutation score = killed / (killed + survived).
#
# Settings (environment):
#   LAB=NN              one lab (default: every lab of solutions/)
#   MUTANTS_SAMPLE=N    every Nth mutant only (a quick look, for CI)
#   MUTANTS_KEEP=1      keep each mutant's submission in build/mutants/work
#   MUTANTS_JOBS=N      gradings at once (4: on two cores, since a mutant
#                       that hangs waits out its tests' timeouts idle)
#   MUTANTS_GRADE_JOBS=N  JOBS of each grading (1)
#   MUTANTS_BOUND=S     LAB_BOUND of each grading (60): a mutant that
#                       hangs costs at most that
#
# Output: build/mutants/report.txt, and a summary line per lab here.
# Exit status: 0 every survivor is listed as equivalent; 1 some is not
# (each is printed with its description and diff); 3 environment not
# ready; 5 the analysis itself failed (a solution short of full marks).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 5
LC_ALL=C
export LC_ALL
TOOLS=$ROOT/build/tools
OUT=$ROOT/build/mutants
EQUIVALENT=$ROOT/grader/selfcheck/equivalent-mutants.txt
SAMPLE=${MUTANTS_SAMPLE:-1}
WORKERS=${MUTANTS_JOBS:-4}
GRADE_JOBS=${MUTANTS_GRADE_JOBS:-1}
BOUND=${MUTANTS_BOUND:-60}
tab=$(printf '\t')
started=$(date +%s)

say() { echo "mutants: $*" >&2; }

"$ROOT/grader/doctor.sh" --quiet || exit 3
make -s -f grader/tools.mk OUT="$TOOLS" all "$TOOLS/mutate" || { say "cannot build the tools"; exit 5; }

labs=$(cd solutions && ls -d [0-9][0-9]-*/ | tr -d /)
case ${LAB:-} in [0-9]) LAB=0$LAB ;; esac
if [ -n "${LAB:-}" ]; then
    labs=$(echo "$labs" | grep "^${LAB%%-*}-")
    [ -n "$labs" ] || { say "no lab $LAB in solutions/"; exit 2; }
fi

rm -rf "$OUT"
mkdir -p "$OUT/work" "$OUT/claim" || exit 5

# One grading of submission DIR's LAB, its summary in SUM.
grade() {  # DIR LAB LEAKCHECK SUM
    env -u TEST -u RESULTS -u STATE SRC="$1" LAB="$2" LEAKCHECK="$3" \
        JOBS="$GRADE_JOBS" LAB_BOUND="$BOUND" SUMMARY="$4" \
        "$ROOT/grader/grade.sh" >"$4.out" 2>&1
}

# The first failing test of SUM, clean tests left out when ALL is 0
# (natively they are skipped, not failed).
first_failure() {  # SUM ALL
    awk -v all="$2" '$1 == "fail" && (all || $3 !~ /^clean\//) { if (!n++) first = $3 " (" $4 ")" }
        END { if (n) print first (n > 1 ? ", " n - 1 " more" : "") }' "$1"
}

# The solution itself must score full marks, or no mutant means anything.
# It also builds the harness once, before two gradings race to do it.
for lab in $labs; do
    grade solutions "$lab" 1 "$OUT/solution.$lab"
    grep -q "^lab $lab 100 100 built" "$OUT/solution.$lab" || {
        say "solutions/$lab does not score 100; see $OUT/solution.$lab.out"
        exit 5
    }
done

# The tasks: number, lab, file, ID; the descriptions apart, by ID.
k=0
: >"$OUT/tasks"
: >"$OUT/descriptions"
for lab in $labs; do
    for path in solutions/"$lab"/*.c; do
        file=${path##*/}
        "$TOOLS/mutate" "$path" >"$OUT/list" || { say "mutate $path failed"; exit 5; }
        while IFS="$tab" read -r id what; do
            k=$((k + 1))
            [ $(( (k - 1) % SAMPLE )) = 0 ] || continue
            printf '%s\t%s\t%s\t%s\n' "$k" "$lab" "$file" "$id" >>"$OUT/tasks"
            printf '%s\t%s\t%s\n' "$lab" "$id" "$what" >>"$OUT/descriptions"
        done <"$OUT/list"
    done
done
total=$(wc -l <"$OUT/tasks")
say "$total mutants$( [ "$SAMPLE" = 1 ] || echo " (every ${SAMPLE}th of $k)"), $WORKERS at a time"

# One mutant: its submission, its gradings, its outcome in $d/result.
run_mutant() {  # K LAB FILE ID
    d=$OUT/work/$1
    t0=$(date +%s)
    mkdir -p "$d/src/$2" && cp "solutions/$2"/*.c "$d/src/$2/" || return
    "$TOOLS/mutate" "solutions/$2/$3" "$4" >"$d/src/$2/$3" || return
    diff -u --label "a/$2/$3" --label "b/$2/$3" "solutions/$2/$3" "$d/src/$2/$3" >"$d/diff"
    grade "$d/src" "$2" 0 "$d/native"
    state=$(awk -v lab="$2" '$1 == "lab" && $2 == lab { print $5 }' "$d/native" 2>/dev/null)
    case $state in
    "") echo "error grade.sh wrote no summary" ;;
    compile-error) echo stillborn ;;
    *)
        first=$(first_failure "$d/native" 0)
        if [ -z "$first" ]; then
            grade "$d/src" "$2" 1 "$d/valgrind"
            first=$(first_failure "$d/valgrind" 1)
        fi
        if [ -n "$first" ]; then
            echo "killed $first"
        elif awk -v lab="$2" -v id="$4" '$1 == lab && $2 == id { f = 1 } END { exit !f }' \
                "$EQUIVALENT"; then
            echo equivalent
        else
            echo survived
        fi ;;
    esac >"$d/result"
    echo "$2 $(( $(date +%s) - t0 ))" >"$d/seconds"
    [ -n "${MUTANTS_KEEP:-}" ] || rm -rf "$d/src"
}

# Each worker takes the next mutant nobody has claimed (mkdir is atomic),
# so a slow mutant never holds the others up.
worker() {
    while IFS="$tab" read -r n lab file id; do
        mkdir "$OUT/claim/$n" 2>/dev/null || continue
        run_mutant "$n" "$lab" "$file" "$id"
    done <"$OUT/tasks"
}
trap 'exit 130' INT TERM HUP
w=0
while [ $w -lt "$WORKERS" ]; do
    worker &
    w=$((w + 1))
done
wait

# ---- the report -----------------------------------------------------
R=$OUT/report.txt
seconds=$(( $(date +%s) - started ))
{
    echo "Mutation analysis of solutions/ ($(date -u +%Y-%m-%dT%H:%MZ), ${seconds}s," \
        "$WORKERS gradings at once$( [ "$SAMPLE" = 1 ] || echo ", every ${SAMPLE}th mutant"))"
    echo
    echo "One line per mutant, tab-separated: lab, ID, outcome (killed: by which"
    echo "test first, and how many more fail), description."
    while IFS="$tab" read -r n lab file id; do
        result=$(cat "$OUT/work/$n/result" 2>/dev/null || echo "error no result")
        what=$(awk -F"$tab" -v lab="$lab" -v id="$id" '$1 == lab && $2 == id { print $3; exit }' \
            "$OUT/descriptions")
        printf '%s\t%s\t%s\t%s\n' "$lab" "$id" "$result" "$what"
    done <"$OUT/tasks"
} >"$R.tmp"
awk -F"$tab" 'NF == 4' "$R.tmp" >"$OUT/outcomes"

# Survivors not listed as equivalent: what the tests miss.
unlisted=$(awk -F"$tab" '$3 == "survived"' "$OUT/outcomes" | wc -l)
{
    cat "$R.tmp"
    echo
    echo "Survivors not listed in grader/selfcheck/equivalent-mutants.txt: $unlisted"
    while IFS="$tab" read -r n lab file id; do
        [ "$(cat "$OUT/work/$n/result" 2>/dev/null)" = survived ] || continue
        echo
        awk -F"$tab" -v lab="$lab" -v id="$id" \
            '$1 == lab && $2 == id { print lab " " id "\n    " $3; exit }' "$OUT/descriptions"
        sed -n '3,$s/^/    /p' "$OUT/work/$n/diff"
    done <"$OUT/tasks"
    echo
    cat "$OUT"/work/*/seconds >"$OUT/seconds" 2>/dev/null
    # Per lab: the outcomes, and the seconds its gradings took (one
    # worker's time; the wall time is about this over MUTANTS_JOBS).
    awk -F"$tab" '
        FILENAME ~ /seconds$/ { split($0, f, " "); t[f[1]] += f[2]; t["all"] += f[2]; next }
        { lab = $1; split($3, o, " "); n[lab]++; c[lab, o[1]]++; n["all"]++; c["all", o[1]]++
          if (!(lab in seen)) { seen[lab] = 1; order[++labs] = lab } }
        END {
            printf "%-20s %7s %6s %8s %10s %9s %5s %6s %8s\n", "lab", "mutants", "killed",
                "survived", "equivalent", "stillborn", "error", "score", "seconds"
            order[++labs] = "all"
            for (i = 1; i <= labs; i++) {
                l = order[i]; k = c[l, "killed"]; s = c[l, "survived"]
                score = k + s ? sprintf("%.1f%%", 100 * k / (k + s)) : "-"
                printf "%-20s %7d %6d %8d %10d %9d %5d %6s %8d\n", l, n[l], k, s,
                    c[l, "equivalent"], c[l, "stillborn"], c[l, "error"], score, t[l]
            }
        }' "$OUT/outcomes" "$OUT/seconds"
} >"$R"
rm -f "$R.tmp"
[ -n "${MUTANTS_KEEP:-}" ] || rm -rf "$OUT/claim"

if [ "$unlisted" -gt 0 ]; then
    sed -n '/^Survivors not listed/,/^lab  /p' "$R" | sed '$d'
fi
sed -n '/^lab  /,$p' "$R"
echo "mutants: report in $R (${seconds}s)"
[ "$unlisted" = 0 ]
