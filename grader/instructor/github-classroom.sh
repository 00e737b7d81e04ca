#!/bin/sh
# github-classroom.sh - `make github-classroom DEST=DIR [LAB=NN]
# [CLASSROOM_POINTS=test|lab]`: writes DEST/.github/workflows/classroom.yml,
# GitHub Classroom's autograding for a student repository made from the
# hand-out (make handout). Glue only: the workflow's steps run the grader
# (make grade) exactly as a student does.
#
# The workflow (GitHub's Ubuntu 24.04 runner: Criterion 2.4.1, as Debian 12):
#   1. checks the repository out;
#   2. installs the grader's packages with apt-get (gcc, make, valgrind,
#      libcriterion-dev and the tools grade.sh uses);
#   3. grades every lab once (or LAB), writing grade.sh's SUMMARY file;
#   4. one classroom-resources/autograding-command-grader@v1 step per
#      test, worth the test's points (CLASSROOM_POINTS=test, the default),
#      or per lab, worth 100 and all or nothing (CLASSROOM_POINTS=lab):
#      its command passes when the summary shows the lab graded and the
#      test not failed. The command grader gives a step all its points or
#      none, so per test is what keeps the labs' partial credit;
#   5. classroom-resources/autograding-grading-reporter@v1 adds them up
#      for GitHub Classroom.
# Step 3 grades once: the per-test steps only read its summary.
#
# The same file, run here: grader/instructor/check-github-classroom.sh.
# Exit status: 0 written, 2 bad usage, 5 cannot write.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LC_ALL=C
export LC_ALL
tab=$(printf '\t')
say() { echo "github-classroom: $*" >&2; }
[ -n "${DEST:-}" ] || { say "usage: make github-classroom DEST=DIR [LAB=NN] [CLASSROOM_POINTS=test|lab]"; exit 2; }
[ -d "$DEST" ] || { say "DEST=$DEST is not a folder (the student repository, a clone of the hand-out)"; exit 2; }
POINTS=${CLASSROOM_POINTS:-test}
case $POINTS in test|lab) ;; *) say "CLASSROOM_POINTS=$POINTS: test or lab"; exit 2 ;; esac
case ${LAB:-} in [0-9]) LAB=0$LAB ;; esac

labs=""
for d in "$ROOT"/labs/[0-9][0-9]-*/; do
    lab=$(basename "$d")
    ls "$d"/tests/test_*.c >/dev/null 2>&1 || continue
    case ${LAB:-} in ""|"$lab"|"${lab%%-*}") labs="$labs $lab" ;; esac
done
[ -n "$labs" ] || { say "no lab matches LAB=${LAB:-}"; exit 2; }
nlabs=$(echo $labs | wc -w)

out=$DEST/.github/workflows/classroom.yml
mkdir -p "$DEST/.github/workflows" || exit 5
# The runner ids (step ids): letters and digits only, as the reporter
# wants them; it reads each step's result from the variable ID_RESULTS.
ids=""
{
    cat <<EOF
# classroom.yml - GitHub Classroom's autograding for ipc-labs, written by
# \`make github-classroom\` (grader/instructor/github-classroom.sh). Points:
# $( [ $POINTS = test ] && echo "each test its own, as the labs give them (100 a lab)" || echo "100 a lab, all or nothing")
# Labs:$labs
name: Autograding Tests
"on":
  - push
  - workflow_dispatch
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-24.04
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: $((30 + 10 * nlabs))
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Install the grader's packages
        run: |
          sudo apt-get update -qq
          sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc libc6-dev make valgrind libcriterion-dev util-linux coreutils tar gzip sed gawk
      - name: Grade
        timeout-minutes: $((10 + 5 * nlabs))
        run: |
          # As root where sudo allows: the grader then isolates the code in
          # namespaces of its own. The score is the summary's, not the exit status.
          as=""
          if [ "\$(id -u)" != 0 ] && sudo -n true 2>/dev/null; then as="sudo"; fi
          mkdir -p build/classroom
          rm -f build/classroom/summary.txt
          \$as env PATH="\$PATH" NO_COLOR=1 LAB="${LAB:-}" SUMMARY="\$PWD/build/classroom/summary.txt" ./grader/grade.sh || true
          cat build/classroom/summary.txt
EOF
    n=0
    for lab in $labs; do
        num=${lab%%-*}
        if [ $POINTS = lab ]; then
            n=$((n + 1))
            id=lab$num
            ids="$ids,$id"
            cat <<EOF
      - name: "$lab"
        id: $id
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: "$lab"
          command: 'grep -q "^lab $lab 100 100 " build/classroom/summary.txt'
          timeout: 1
          max-score: 100
EOF
            continue
        fi
        k=0
        "$ROOT/grader/inventory.sh" "$ROOT/labs/$lab" >"$DEST/.inventory.$$" || exit 5
        while IFS="$tab" read -r suite name points; do
            [ "$suite" = bonus ] && continue
            k=$((k + 1))
            id=lab${num}test$k
            ids="$ids,$id"
            cat <<EOF
      - name: "$lab: $suite/$name"
        id: $id
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: "$lab: $suite/$name"
          command: 'grep -q "^lab $lab " build/classroom/summary.txt && ! grep -q "^fail $lab $suite/$name " build/classroom/summary.txt'
          timeout: 1
          max-score: $points
EOF
        done <"$DEST/.inventory.$$"
        rm -f "$DEST/.inventory.$$"
    done
    ids=${ids#,}
    cat <<EOF
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
EOF
    for id in $(echo "$ids" | tr ',' ' '); do
        up=$(echo "$id" | tr a-z A-Z)
        printf '          %s_RESULTS: "${{steps.%s.outputs.result}}"\n' "$up" "$id"
    done
    cat <<EOF
        with:
          runners: $ids
EOF
} >"$out.tmp" && mv "$out.tmp" "$out" || { rm -f "$out.tmp"; say "cannot write $out"; exit 5; }
steps=$(grep -c 'autograding-command-grader@v1' "$out")
echo "github-classroom: wrote $out: labs$labs, $steps graded step(s) ($POINTS points), out of $((100 * nlabs))"
echo "github-classroom: commit it in the assignment's template repository (.github/ is the student's too: see grader/instructor/INSTRUCTORS.md)"
