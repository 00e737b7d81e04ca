#!/bin/sh
# similarity.sh - `make similarity SUBMISSIONS=DIR OUT=DIR`: which
# submissions share code, lab by lab, measured by sim_c (Debian package
# similarity-tester). Glue only: sim_c compares, grader/instructor/simreport.c
# reads what it prints and writes the pages, classreport.c the report.
#
# For each lab, each submission's student files (staged exactly as the
# batch stages them: batch.sh --stage) are put end to end, one file per
# submission. The lab's hand-out (its skeleton files, end to end) is
# compared with them first and its runs are blanked (simreport strip): two
# students who both kept the skeleton share nothing by that. What is left
# is each submission's own code; sim_c -p -e -a gives, for each pair, the
# share of each one's own code found in the other. Pairs where either
# share is at least SIM_THRESHOLD go to OUT/similarity.csv, with a page of
# the two submissions side by side (OUT/similarity/LAB-N.html), and, when
# OUT holds a batch's gradebook, to the class report's similarity section.
#
# It never reads or changes a score: the gradebook and results stay as
# the batch wrote them.
#
# Settings: LAB=NN (the labs; default every lab with tests),
# SIM_THRESHOLD (per cent, below), SIM_RUN (tokens, below), SIM_JOBS
# (labs compared at once; one per core).
# Exit status: 0 written (whatever was found), 2 bad usage, 3 sim_c
# missing and not installable, 5 failed.
set -u
SIM_THRESHOLD=${SIM_THRESHOLD:-60}  # the one default: per cent of a submission's own code
SIM_RUN=${SIM_RUN:-20}              # shortest run of tokens that counts (sim_c -r)
# The hand-out is blanked in runs as short as a prototype and its brace:
# what the skeleton handed out must not count, however little of it stayed.
HANDOUT_RUN=8
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
LC_ALL=C
export LC_ALL
tab=$(printf '\t')
say() { echo "similarity: $*" >&2; }
die() { say "$2"; exit "$1"; }

[ $# = 2 ] && [ -n "$1" ] && [ -n "$2" ] ||
    die 2 "usage: make similarity SUBMISSIONS=DIR OUT=DIR [LAB=NN] [SIM_THRESHOLD=PCT]"
SUBS=$1
OUT=$2
unset SUBMISSIONS
[ -d "$SUBS" ] || die 2 "SUBMISSIONS=$SUBS is not a folder"
for v in "$SIM_THRESHOLD" "$SIM_RUN"; do
    case $v in ''|*[!0-9]*) die 2 "SIM_THRESHOLD and SIM_RUN are whole numbers (got $v)" ;; esac
done
"$ROOT/grader/selfcheck/need.sh" sim_c similarity-tester similarity || exit 3
mkdir -p "$OUT" || die 2 "cannot create OUT=$OUT"
OUT=$(cd "$OUT" && pwd)
SUBS=$(cd "$SUBS" && pwd)
case $OUT/ in "$SUBS"/*) die 2 "OUT=$OUT is inside SUBMISSIONS" ;; esac
TOOLS=$ROOT/build/tools
make -s -f "$ROOT/grader/instructor/tools.mk" OUT="$TOOLS" "$TOOLS/simreport" \
    "$TOOLS/classreport" >&2 || die 5 "cannot build simreport and classreport"

W=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-similarity.XXXXXX") || die 5 "cannot create a work folder"
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM HUP

# The labs, as batch.sh takes LAB.
want=$(echo "${LAB:-}" | tr ',' ' ')
labs=""
for d in "$ROOT"/labs/[0-9][0-9]-*/; do
    lab=$(basename "$d")
    [ -f "$d/tests/lab.mk" ] || continue
    if [ -n "$want" ]; then
        hit=0
        for w in $want; do
            case $w in [0-9]) w=0$w ;; esac
            case $w in "$lab"|"${lab%%-*}") hit=1 ;; esac
        done
        [ $hit = 1 ] || continue
    fi
    labs="$labs $lab"
done
[ -n "$labs" ] || die 2 "no lab matches LAB=${LAB:-}"

# Every submission staged as the batch stages it, numbered; names as the
# gradebook shows them (.tar.gz / .tgz dropped).
n=0
: >"$W/names"
for e in "$SUBS"/*; do
    [ -e "$e" ] || [ -h "$e" ] || continue
    n=$((n + 1))
    name=${e##*/}
    name=${name%.tar.gz}
    name=${name%.tgz}
    printf '%s\t%s\n' "$n" "$(printf '%s' "$name" | tr '\000-\037\177' '?')" >>"$W/names"
    LAB=$(echo $labs) "$ROOT/grader/instructor/batch.sh" --stage "$e" "$W/stage/$n" \
        >/dev/null 2>&1 || true
done
name_of() { awk -F "$tab" -v k="$1" '$1 == k { print $2 }' "$W/names"; }

mkdir -p "$OUT/similarity.tmp"
: >"$W/csv"
csv() {  # quotes a field when it needs it, as batch.sh's gradebook does
    case $1 in
    *[,\"]*) printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')" ;;
    *) printf '%s' "$1" ;;
    esac
}
# One lab: its pairs to $W/csv.LAB and $W/lines.LAB, its pages to
# OUT/similarity.tmp/LAB-K.html (K counts the lab's pairs). The labs are
# independent, so SIM_JOBS of them (one per core) run at once.
one_lab() {  # LAB
    lab=$1
    L=$W/sim/$lab
    mkdir -p "$L/new" "$L/own"
    : >"$W/csv.$lab"
    : >"$W/lines.$lab"
    files=$(make -s -f "$ROOT/grader/build.mk" LAB_DIR="$ROOT/labs/$lab" print-student-files)
    # The hand-out and each submission, their files end to end in the
    # lab's order; a comment names each file (sim_c skips comments).
    for f in $files; do
        echo "/* ==== $f ==== */"
        cat "$ROOT/labs/$lab/$f"
    done >"$L/handout.c"
    k=0
    while [ $k -lt $n ]; do
        k=$((k + 1))
        S=$W/stage/$k/stage/$lab
        [ -d "$S" ] || continue
        for f in $files; do
            [ -f "$S/$f" ] || continue
            echo "/* ==== $f ==== */"
            cat "$S/$f"
        done >"$L/new/$k.c"
    done
    count=$(ls "$L/new" | wc -l)
    [ "$count" -ge 2 ] || return 0
    # The file names are N.c: split on purpose.
    # shellcheck disable=SC2046
    (
        cd "$L" || exit 5
        sim_c -S -n -r "$HANDOUT_RUN" -w 200 $(ls new/*.c) / handout.c >hand.runs &&
        "$TOOLS/simreport" strip hand.runs new own &&
        sim_c -p -e -a -r "$SIM_RUN" -t 1 $(ls own/*.c) >pct.txt &&
        "$TOOLS/simreport" pairs "$SIM_THRESHOLD" pct.txt >pairs.tsv
    ) || { say "sim_c failed on lab $lab"; return 5; }
    lab_pairs=0
    while IFS="$tab" read -r x y xy yx; do
        lab_pairs=$((lab_pairs + 1))
        a=${x#own/}
        a=${a%.c}
        b=${y#own/}
        b=${b%.c}
        na=$(name_of "$a")
        nb=$(name_of "$b")
        page=similarity/$lab-$lab_pairs.html
        (cd "$L" && sim_c -n -r "$SIM_RUN" -w 200 "$x" "$y" >"pair.runs" &&
            "$TOOLS/simreport" page "$lab" "$na" "$nb" \
                "new/$a.c" "new/$b.c" hand.runs pair.runs "$xy" "$yx" "$SIM_THRESHOLD" \
                "$OUT/similarity.tmp/$lab-$lab_pairs.html") || { say "cannot write $page"; return 5; }
        printf '%s,%s,%s,%s,%s,%s,%s\n' "$lab" "$(csv "$na")" \
            "$(csv "$nb")" "$xy" "$yx" "$SIM_THRESHOLD" "$page" >>"$W/csv.$lab"
        printf '  %s  %s and %s: %s%% / %s%%\n' "$lab" "$na" "$nb" \
            "$xy" "$yx" >>"$W/lines.$lab"
    done <"$L/pairs.tsv"
}
SIM_JOBS=${SIM_JOBS:-$(nproc 2>/dev/null || echo 2)}
mkfifo "$W/slots" && exec 3<>"$W/slots" || die 5 "cannot make a FIFO in $W"
i=0
while [ $i -lt "$SIM_JOBS" ]; do echo >&3; i=$((i + 1)); done
for lab in $labs; do
    read -r _ <&3
    { one_lab "$lab" 3>&- || echo "$lab" >>"$W/failed"; echo >&3; } &
done
wait
exec 3>&-
[ -s "$W/failed" ] && die 5 "failed on lab(s) $(tr '\n' ' ' <"$W/failed")"
: >"$W/csv"
: >"$W/lines"
for lab in $labs; do
    cat "$W/csv.$lab" >>"$W/csv"
    cat "$W/lines.$lab" >>"$W/lines"
done
npairs=$(wc -l <"$W/csv" | tr -d ' ')

# Into OUT all at once: a rerun replaces the last one's pages.
{ echo "lab,a,b,a_in_b_pct,b_in_a_pct,threshold_pct,page"; cat "$W/csv"; } \
    >"$OUT/similarity.csv.tmp" || die 5 "cannot write $OUT/similarity.csv"
rm -rf "$OUT/similarity"
mv "$OUT/similarity.tmp" "$OUT/similarity" &&
    mv "$OUT/similarity.csv.tmp" "$OUT/similarity.csv" &&
    echo "$SIM_THRESHOLD" >"$OUT/similarity-threshold" || die 5 "cannot write into $OUT"
echo "similarity: $n submissions, labs$labs: $npairs pair(s) sharing at least $SIM_THRESHOLD% of their own code (sim_c -r $SIM_RUN; the hand-out never counts)"
cat "$W/lines"
echo "similarity: $OUT/similarity.csv; no score was read or changed"
if [ -f "$OUT/gradebook.csv" ]; then
    "$TOOLS/classreport" "$OUT" "${CLASSREPORT_NOTES:-file://$ROOT/notes}" ||
        die 5 "cannot rewrite the class report"
    echo "similarity: its section is in $OUT/report.html and $OUT/report.md"
fi
exit 0
