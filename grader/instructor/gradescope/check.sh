#!/bin/sh
# check.sh - tries the Gradescope autograder here: builds the zip
# (make gradescope), unpacks it into a simulated /autograder in a
# temporary folder, and runs its run_autograder (paths from the
# environment) on
#   a full-marks submission  the solutions, as NN-slug/ folders
#   the handin tarball       of the solutions, as make handin packs it
#   a zero                   the untouched skeletons, as loose .c files
#   a broken one             a garbage .tar.gz
#   an empty one             no file at all
# and, as root, again as where namespaces are refused (SANDBOX=uid, as
# in Gradescope's containers): the full-marks one, the zero, and every
# attack on the grader (faulty/NN-slug/*/attack, on the skeleton), each
# of which must score 0 with the grader's own results.json.
# Each must give a valid results.json (build/tools/jsoncheck with the
# Gradescope keys) with the expected score. setup.sh is not run (it
# needs apt-get); `make doctor` stands in for it here.
# LAB=NN (default 01) is the assignment's lab. Exit 0 all good, 1 not.
set -u
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES OUT
LC_ALL=C
export LC_ALL
LAB=${LAB:-01}
case $LAB in [0-9]) LAB=0$LAB ;; esac
lab=$(cd "$ROOT/labs" && ls -d "$LAB"*/ | head -n 1 | tr -d /)
[ -n "$lab" ] || { echo "check: no lab $LAB" >&2; exit 2; }
"$ROOT/grader/doctor.sh" --quiet || exit 3
T=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-gscheck.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }

echo "Gradescope autograder (lab $lab, simulated /autograder)"
if ! LAB=$LAB GRADESCOPE_ZIP=$T/autograder.zip "$ROOT/grader/instructor/gradescope/build.sh" >"$T/build.out" 2>&1; then
    bad "make gradescope fails: $(tail -n 2 "$T/build.out")"
    echo "$passed passed, $failed failed"
    exit 1
fi
ok "make gradescope writes the zip"
mkdir -p "$T/source"
(cd "$T/source" && unzip -q "$T/autograder.zip") || { bad "the zip does not unpack"; exit 1; }
missing=""
for f in setup.sh run_autograder gradescope.env ipc-labs/grader/instructor/batch.sh ipc-labs/grader/grade.sh; do
    [ -e "$T/source/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "the zip holds setup.sh, run_autograder and the grader" ||
    bad "the zip lacks$missing"
[ -x "$T/source/run_autograder" ] && sh -n "$T/source/setup.sh" &&
    ok "run_autograder is executable, setup.sh parses" || bad "run_autograder/setup.sh unusable"
[ -d "$T/source/ipc-labs/solutions" ] && bad "the zip holds the solutions" ||
    ok "the zip holds no solutions"

files=$(make -s -f "$ROOT/grader/build.mk" LAB_DIR="$ROOT/labs/$lab" print-student-files)
mkdir -p "$T/sub/full/$lab" "$T/sub/handin/pack/$lab" "$T/sub/zero" "$T/sub/broken" "$T/sub/empty"
for f in $files; do
    cp "$ROOT/solutions/$lab/$f" "$T/sub/full/$lab/"
    cp "$ROOT/solutions/$lab/$f" "$T/sub/handin/pack/$lab/"
    cp "$ROOT/labs/$lab/$f" "$T/sub/zero/"
done
(cd "$T/sub/handin/pack" && tar -czf ../ipc-labs-handin.tar.gz "$lab") && rm -rf "$T/sub/handin/pack"
head -c 4096 /dev/urandom >"$T/sub/broken/ipc-labs-handin.tar.gz"

run_case() {  # NAME SCORE STATUS-GREP [SANDBOX]
    ag=$T/ag-$1${4:+-$4}
    mkdir -p "$ag/results"
    start=$(date +%s)
    env ${4:+SANDBOX=$4} AUTOGRADER_ROOT=$ag SUBMISSION_DIR=$T/sub/$1 SOURCE_DIR=$T/source \
        "$T/source/run_autograder" >"$T/$1.out" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    json=$ag/results/results.json
    if [ $rc != 0 ]; then
        bad "$1: run_autograder exits $rc"
    elif ! "$ROOT/build/tools/jsoncheck" "$json" tests name score max_score status output; then
        bad "$1: results.json missing or invalid"
    elif ! grep -q "^  *\"score\": $2," "$json" && ! grep -q "^{\"score\": $2," "$json"; then
        bad "$1: score is not $2 ($(grep -m1 -o '"score": [0-9]*' "$json"))"
    elif [ -n "$3" ] && ! grep -q "$3" "$json"; then
        bad "$1: results.json does not say $3"
    else
        ok "$1${4:+ (SANDBOX=$4)}: valid results.json, score $2 ($secs s)"
        return
    fi
    tail -n 8 "$T/$1.out" | sed 's/^/        /'
}
run_case full 100 '"grader_status": "ok"'
run_case handin 100 '"grader_status": "ok"'
run_case zero 0 '"grader_status": "ok"'
run_case broken 0 'not a gzip file'
run_case empty 0 'no NN-slug/ folder'
if [ "$(id -u)" = 0 ]; then
    run_case full 100 '"isolation": "uid"' uid
    run_case zero 0 '"isolation": "uid"' uid
    for attack in "$ROOT/faulty/$lab"/*/attack; do
        [ -f "$attack" ] || continue
        dir=$(dirname "$attack")
        [ "$(cat "$dir/base" 2>/dev/null)" = skeleton ] || continue
        name=attack-$(basename "$dir")
        (cd "$ROOT" && grader/make-variant.sh "$lab" "$dir" "$T/sub/$name") ||
            { bad "$name: the variant cannot be made"; continue; }
        run_case "$name" 0 '"isolation": "uid"' uid
    done
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]
