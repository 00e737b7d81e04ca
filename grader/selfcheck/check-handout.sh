#!/bin/sh
# check-handout.sh - proves `make handout` on every run of `make test`:
# builds the hand-out, extracts it alone (away from this checkout), and
# checks that
#   - it holds one top folder and nothing instructor-only (solutions/,
#     faulty/, the instructor tools: grader/instructor/handout.sh's INSTRUCTOR_ONLY);
#   - nothing in it refers to a file it lacks: no solutions/ or faulty/,
#     no instructor tool, and every grader/... path named in its Makefile,
#     scripts and READMEs exists (grader/selfcheck/selftest.sh may name solutions/
#     and faulty/: it looks for them first, see its hand-out block);
#   - its `make grade` grades the skeletons to 0 with the student guidance;
#   - its `make test` passes (the hand-out checks itself);
#   - building it twice gives the same bytes.
# LAB=NN narrows the gradings to one lab. Exit status: 0 all good, 1 a
# check failed, 3 environment not ready.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES OUT
LC_ALL=C
export LC_ALL
"$ROOT/grader/doctor.sh" --quiet || exit 3
# Not under /tmp: the hand-out grades where it is extracted, and each
# grading's sandbox has a /tmp of its own.
mkdir -p "$ROOT/build" || exit 1
W=$(mktemp -d "$ROOT/build/handout-check.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else bad "$desc"; fi; }

echo "Hand-out (make handout, extracted alone)"
if ! HANDOUT=$W/a.tar.gz "$ROOT/grader/instructor/handout.sh" >"$W/build.out" 2>&1; then
    bad "make handout fails: $(tail -n 3 "$W/build.out")"
    echo "$passed passed, $failed failed"
    exit 1
fi
ok "make handout writes the tarball ($(sed -n 's/.*(\(.*\)).*/\1/p' "$W/build.out"))"
HANDOUT=$W/b.tar.gz "$ROOT/grader/instructor/handout.sh" >/dev/null 2>&1
check "building it twice gives the same bytes" cmp -s "$W/a.tar.gz" "$W/b.tar.gz"

tops=$(tar -tzf "$W/a.tar.gz" | cut -d/ -f1 | sort -u | tr '\n' ' ')
check "one top folder, ipc-labs/ (got: $tops)" [ "$tops" = "ipc-labs " ]
mkdir -p "$W/x"
tar -xzf "$W/a.tar.gz" -C "$W/x" || { bad "it does not extract"; exit 1; }
H=$W/x/ipc-labs

# Nothing instructor-only.
only=$(sed -n '/^INSTRUCTOR_ONLY="/,/"$/p' "$ROOT/grader/instructor/handout.sh" |
       sed -e 's/^INSTRUCTOR_ONLY="//' -e 's/"$//' | tr ' ' '\n' | grep .)
present=""
for p in $only; do
    [ -e "$H/${p%/}" ] && present="$present $p"
done
check "no instructor-only file in it${present:+ (found:$present)}" [ -z "$present" ]

# No reference to what it lacks.
pattern='solutions/|faulty/|SRC=solutions|SRC=faulty'
for p in $only; do
    case $p in grader/*) pattern="$pattern|$(echo "$p" | sed 's/\./\\./g')" ;; esac
done
(cd "$H" && grep -rnE "$pattern" . | grep -v '^\./grader/selfcheck/selftest\.sh:') >"$W/refs"
check "nothing in it names solutions/, faulty/ or an instructor tool" [ ! -s "$W/refs" ]
sed 's/^/        /' "$W/refs" | head -n 10
# Every grader/, labs/ or notes/ path named in its Makefiles, scripts and
# READMEs exists (templates such as NN-slug or %s are not paths).
# selftest.sh is left out: it names the instructor checks it skips in a
# hand-out.
(cd "$H" && cat Makefile ./*.md $(ls grader/*.sh grader/*/*.sh | grep -v '^grader/selfcheck/selftest\.sh$') \
        grader/*.mk grader/*/*.mk labs/*/README.md 2>/dev/null |
    grep -oE '(grader|labs|notes)/[A-Za-z0-9_./-]*[A-Za-z0-9_]' |
    grep -v -e 'NN' -e 'VARIANT' -e 'slug' | sort -u) >"$W/paths"
missing=""
while read -r p; do
    [ -e "$H/$p" ] || missing="$missing $p"
done <"$W/paths"
check "every grader/, labs/, notes/ path it names exists${missing:+ (missing:$missing)}" \
    [ -z "$missing" ]

# Its make grade: the skeletons score 0, with the guidance.
(cd "$H" && make grade NO_COLOR=1 >"$W/grade.out" 2>&1)
rc=$?
check "its make grade fails, short of full marks (make exit $rc)" [ $rc != 0 ]
total=$(grep -o '^Score: [0-9]*/[0-9]*' "$W/grade.out" | tail -n 1)
check "its make grade scores the skeletons 0 (${total:-no score line})" \
    sh -c "echo '$total' | grep -q '^Score: 0/[1-9]'"
check "its make grade says what to do next (read the lab, the TODO(student))" \
    sh -c "grep -q '^Next: ' '$W/grade.out' && grep -q 'TODO(student)' '$W/grade.out'"
grep -q '^Score: 0/' "$W/grade.out" || tail -n 20 "$W/grade.out" | sed 's/^/        /'

# Its make test: the hand-out checks itself.
(cd "$H" && make test >"$W/test.out" 2>&1)
rc=$?
last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$W/test.out" | tail -n 1)
check "its make test passes (${last:-no summary}, exit $rc)" [ $rc = 0 ]
[ $rc = 0 ] || grep -e FAIL "$W/test.out" | head -n 15 | sed 's/^/        /'
check "its make test grades nothing it lacks (no solutions/ or faulty/ run)" \
    sh -c "! grep -qE 'Solutions \\(|Faulty variants' '$W/test.out'"

echo "$passed passed, $failed failed"
[ $failed = 0 ]
