#!/bin/sh
# check-github-classroom.sh - `make check-github-classroom`: runs the
# GitHub Classroom workflow's own commands here, in a fresh clone laid out
# as GitHub lays it out, and checks the points it reports.
#
#   1. the template repository: the hand-out (make handout), a git
#      repository, with the workflow `make github-classroom` writes
#      committed in it; the solutions copied into labs/ (what a student
#      who finished pushes);
#   2. a fresh `git clone` of it: the runner's checkout;
#   3. in the clone, the workflow's steps, read from classroom.yml itself:
#      the apt-get step is not run (it needs GitHub's sudo and network:
#      its package list is checked, and `make doctor` stands in for it);
#      the Grade step's script, run by `bash -e` as GitHub runs it; each
#      command grader's `command`, by /bin/sh as the action runs it (exit
#      0: its max-score, otherwise 0); then the reporter's sum;
#   4. the solutions must get every point: 100 a lab, 10 labs;
#   5. again with LAB=01 and a faulty variant (forgets-mq-close, 91 by
#      its expect file) as lab 01: the reported points must be 91, the
#      lab's own score; and with CLASSROOM_POINTS=lab, 0 (all or nothing).
# Exit status: 0 all good, 1 a check failed, 3 environment not ready.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES OUT LAB
LC_ALL=C
export LC_ALL
cd "$ROOT" || exit 1
"$ROOT/grader/doctor.sh" --quiet || exit 3
command -v git >/dev/null 2>&1 || { echo "check-github-classroom: git is missing" >&2; exit 3; }
mkdir -p "$ROOT/build" || exit 1
# Not under /tmp: grade.sh's sandbox mounts a /tmp of its own.
W=$(mktemp -d "$ROOT/build/classroom-check.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else bad "$desc"; fi; }
g() { git -c user.name=check -c user.email=check@localhost "$@"; }

# The template repository of an assignment, with WHAT in labs/:
# solutions (every lab), or a faulty variant of lab 01.
template() {  # DIR WHAT [make github-classroom settings...]
    dir=$1
    what=$2
    shift 2
    mkdir -p "$dir" && tar -xzf "$W/handout.tar.gz" -C "$dir" || return 1
    t=$dir/ipc-labs
    # A hand-out holds no .git (handout.sh); were one there, every git
    # command below would write into the repository it names.
    [ ! -e "$t/.git" ] || { echo "the hand-out holds a .git" >"$dir/gen.out"; return 1; }
    (cd "$t" && g init -q && g add -A && g commit -q -m "the hand-out") || return 1
    env "$@" DEST="$t" ./grader/instructor/github-classroom.sh >"$dir/gen.out" 2>&1 || return 1
    (cd "$t" && g add -A && g commit -q -m "autograding") || return 1
    case $what in
    solutions) for d in solutions/[0-9][0-9]-*/; do
                   cp "$d"*.c "$t/labs/$(basename "$d")/" || return 1
               done ;;
    faulty-01) grader/make-variant.sh 01-mq-basics faulty/01-mq-basics/forgets-mq-close \
                   "$t/labs" || return 1 ;;
    esac
    (cd "$t" && g add -A && g commit -q -m "the student's work") || return 1
    g clone -q "$t" "$dir/clone" || return 1
}

# The workflow's steps, run as GitHub would; prints "POINTS MAX STEPS".
run_workflow() {  # CLONE
    c=$1
    y=$c/.github/workflows/classroom.yml
    # The Grade step's script: the block under its "run: |".
    awk '/^      - name: Grade$/ { s = 1; next }
         s && /^        run: \|$/ { r = 1; next }
         r && /^      - / { exit }
         r { sub(/^          /, ""); print }' "$y" >"$c.grade.sh"
    (cd "$c" && bash -e "$c.grade.sh") >"$c.grade.out" 2>&1
    # Each command grader: its command (a single-quoted YAML scalar holding
    # no quote of its own) and max-score.
    awk '/^          command: / { sub(/^          command: \x27/, ""); sub(/\x27$/, ""); cmd = $0 }
         /^          max-score: / { print $2 "\t" cmd }' "$y" >"$c.steps"
    pts=0
    max=0
    nsteps=0
    while IFS="$(printf '\t')" read -r score cmd; do
        nsteps=$((nsteps + 1))
        max=$((max + score))
        if (cd "$c" && /bin/sh -c "$cmd") </dev/null >/dev/null 2>&1; then
            pts=$((pts + score))
        fi
    done <"$c.steps"
    echo "$pts $max $nsteps"
}

echo "GitHub Classroom (the workflow's commands, in a fresh clone of the hand-out)"
HANDOUT=$W/handout.tar.gz ./grader/instructor/handout.sh >"$W/handout.out" 2>&1 ||
    { bad "make handout fails: $(tail -n 2 "$W/handout.out")"; exit 1; }

if ! template "$W/a" solutions; then
    bad "cannot make the template repository and its clone"
    exit 1
fi
C=$W/a/clone
Y=$C/.github/workflows/classroom.yml
check "make github-classroom writes .github/workflows/classroom.yml, and a clone has it" [ -s "$Y" ]
pk=""
for p in gcc make valgrind libcriterion-dev; do
    grep -q "apt-get install .* $p\( \|$\)" "$Y" || pk="$pk $p"
done
check "its install step names gcc, make, valgrind, libcriterion-dev${pk:+ (missing:$pk)}" [ -z "$pk" ]
check "it uses the command grader and the reporter, one runner per step" sh -c '
    n=$(grep -c "uses: classroom-resources/autograding-command-grader@v1" "$1")
    r=$(sed -n "s/^          runners: //p" "$1" | tr "," "\n" | grep -c .)
    e=$(grep -c "_RESULTS: \"\${{steps\.[a-z0-9]*\.outputs\.result}}\"" "$1")
    grep -q "uses: classroom-resources/autograding-grading-reporter@v1" "$1" &&
        [ "$n" -gt 0 ] && [ "$n" = "$r" ] && [ "$n" = "$e" ]' sh "$Y"
# shellcheck disable=SC2046  # three numbers, split on purpose
set -- $(run_workflow "$C")
check "the solutions get every point: $1/$2 in $3 steps (10 labs, 100 each)" \
    [ "$1 $2" = "1000 1000" ]
[ "${1:-0}" = 1000 ] || tail -n 15 "$C.grade.out"
check "the Grade step's summary shows 10 labs at 100" \
    [ "$(grep -c '^lab [0-9][0-9]-[a-z-]* 100 100 built$' "$C/build/classroom/summary.txt" 2>/dev/null)" = 10 ]

want=$(sed -n 's/^score //p' faulty/01-mq-basics/forgets-mq-close/expect)
if template "$W/b" faulty-01 LAB=01; then
    # shellcheck disable=SC2046
    set -- $(run_workflow "$W/b/clone")
    check "LAB=01, a faulty lab 01: $1/$2 points, its score by make grade ($want)" \
        [ "$1 $2" = "$want 100" ]
else
    bad "cannot make the LAB=01 template repository"
fi
if template "$W/c" faulty-01 LAB=01 CLASSROOM_POINTS=lab; then
    # shellcheck disable=SC2046
    set -- $(run_workflow "$W/c/clone")
    check "CLASSROOM_POINTS=lab: the same lab gets $1/$2 (all or nothing, one step: $3)" \
        [ "$1 $2 $3" = "0 100 1" ]
else
    bad "cannot make the CLASSROOM_POINTS=lab template repository"
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]
