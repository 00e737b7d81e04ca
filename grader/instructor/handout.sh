#!/bin/sh
# handout.sh - `make handout`: the student distribution, as a tarball.
#
#   HANDOUT=FILE  where to write it (default: ipc-labs-handout.tar.gz in
#                 the top folder; the name is in .gitignore)
#
# The hand-out is this checkout's files (those git tracks or would track:
# .gitignore'd build output never goes in) less everything only an
# instructor has: the solutions, the faulty variants, CI, the lab
# authors' page and the instructor tools (INSTRUCTOR_ONLY below). The
# few places that mention those are rewritten in the hand-out's copy
# only (rewrite() below). Extracted on its own it is complete: `make
# grade` grades the skeletons (to 0), `make test` checks the hand-out
# (grader/selfcheck/selftest.sh sees there is no solutions/), and nothing in it
# refers to a missing file (grader/selfcheck/check-handout.sh proves all three).
#
# The tarball is reproducible: same files, same bytes (sorted names,
# owner 0, one timestamp, gzip without a name or time).
# Exit status: 0 written, 5 failed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES OUT
LC_ALL=C
export LC_ALL
OUT=${HANDOUT:-$ROOT/ipc-labs-handout.tar.gz}
TOP=ipc-labs

# Paths (a folder ends with /) that never go into a hand-out.
INSTRUCTOR_ONLY="solutions/ faulty/ .ci/ .git/ .git build/ .grade/
grader/README.md grader/make-variant.sh grader/instructor/
grader/selfcheck/bench.sh grader/selfcheck/check-handout.sh
grader/selfcheck/coverage.sh grader/selfcheck/mutate.c grader/selfcheck/mutants.sh
grader/selfcheck/equivalent-mutants.txt grader/selfcheck/check-overlap.sh grader/selfcheck/need.sh"

say() { echo "handout: $*" >&2; }
fail() { say "$*"; exit 5; }

instructor_only() {  # PATH: true if it stays out of the hand-out
    for p in $INSTRUCTOR_ONLY; do
        case $p in
        */) case $1 in "$p"*) return 0 ;; esac ;;
        *) [ "$1" = "$p" ] && return 0 ;;
        esac
    done
    case $1 in ipc-labs-handin*.tar.gz|ipc-labs-handout*.tar.gz) return 0 ;; esac
    return 1
}

# The hand-out's copy of a file that mentions instructor-only files.
rewrite() {  # PATH (relative), in the staging copy
    case $1 in
    Makefile)
        # The instructor targets, and `make bench` (it times the solutions).
        sed -i -e '/^-\{0,1\}include grader\/instructor\/instructor\.mk/d' \
               -e '/make bench /d' \
               -e '/^bench:/,/^$/d' \
               -e '/^\.PHONY:/s/ bench\( \|$\)/\1/' "$2" ;;
    README.md)
        sed -i -e 's/SRC=solutions/SRC=labs/g' \
               -e '/grader\/README\.md/d' \
               -e '/`make bench`/d' \
               -e "s/the project's own tests (solutions, skeletons, faulty variants)/the hand-out's own tests (lab shape; every skeleton compiles and scores 0)/" \
               "$2" ;;
    esac
}

T=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-handout.XXXXXX") || fail "mktemp"
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$T/$TOP"

# The files: git's view of the checkout where there is one (tracked, and
# new files not ignored), otherwise every file but build output. In a
# `git worktree` checkout .git is a file naming the repository: it is a
# checkout all the same, and that file must never be handed out (a
# student's git would then write into the instructor's repository).
if [ -e "$ROOT/.git" ] && command -v git >/dev/null 2>&1; then
    git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
        tr '\0' '\n' | sort -u >"$T/files" || fail "git ls-files failed"
else
    (cd "$ROOT" && find . -type f ! -path './.git/*' | sed 's|^\./||' | sort) >"$T/files"
fi
n=0
while IFS= read -r f; do
    [ -n "$f" ] || continue
    instructor_only "$f" && continue
    [ -f "$ROOT/$f" ] || continue          # tracked but deleted here
    mkdir -p "$T/$TOP/$(dirname "$f")"
    cp -p "$ROOT/$f" "$T/$TOP/$f" || fail "cannot copy $f"
    rewrite "$f" "$T/$TOP/$f"
    n=$((n + 1))
done <"$T/files"
[ $n -gt 0 ] || fail "no file to hand out"
for need in Makefile grader/grade.sh grader/selfcheck/selftest.sh labs; do
    [ -e "$T/$TOP/$need" ] || fail "the hand-out would lack $need"
done

# One timestamp for every file: the newest commit's, or now.
stamp=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)
mkdir -p "$(dirname "$OUT")" || fail "cannot create $(dirname "$OUT")"
(cd "$T" && tar --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime="@$stamp" --mode='u+rwX,go+rX,go-w' -cf - "$TOP") |
    gzip -n -9 >"$OUT.tmp.$$" && mv -f "$OUT.tmp.$$" "$OUT" ||
    { rm -f "$OUT.tmp.$$"; fail "cannot write $OUT"; }
labs=$(cd "$T/$TOP/labs" && ls -d [0-9][0-9]-*/ 2>/dev/null | tr -d / | tr '\n' ' ')
echo "handout: wrote $OUT ($n files; labs: ${labs% })"
