#!/bin/sh
# handin.sh - `make handin`: packs your files for submission.
#
# The tarball holds only the files you edit (each lab's student .c files,
# as tests/lab.mk lists them), in the NN-slug/ layout the grader takes as
# SRC. Before it is written, its own contents are extracted and graded,
# so what you hand in is what was graded.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${HANDIN:-$ROOT/ipc-labs-handin.tar.gz}
# Where the student's files are: labs/ (make test packs the reference
# solutions instead).
FROM=${HANDIN_FROM:-$ROOT/labs}
T=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-handin.XXXXXX")
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$T/pack" "$T/check"
labs=$(cd "$ROOT/labs" && ls -d [0-9][0-9]-*/ | tr -d /)
for lab in $labs; do
    files=$(make -s -f "$ROOT/grader/build.mk" LAB_DIR="$ROOT/labs/$lab" print-student-files)
    mkdir -p "$T/pack/$lab"
    for f in $files; do
        cp "$FROM/$lab/$f" "$T/pack/$lab/$f" || exit 5
    done
done
(cd "$T/pack" && tar -czf "$T/handin.tar.gz" $labs) || exit 5
tar -xzf "$T/handin.tar.gz" -C "$T/check" || exit 5
echo "handin: grading the tarball's own contents ..."
SRC=$T/check RESULTS=$T/results.json SUMMARY=${HANDIN_SUMMARY:-$T/summary} LAB= \
    "$ROOT/grader/grade.sh" >"$T/grade.out" 2>&1
rc=$?
case $rc in
0|1) ;;
*) cat "$T/grade.out"; echo "handin: grading failed (exit $rc): nothing written" >&2; exit $rc ;;
esac
awk '$1 == "lab" { printf "  %-20s %3d/%d\n", $2, $3, $4; s += $3; m += $4 }
     END { printf "  %-20s %3d/%d\n", "total", s, m }' "${HANDIN_SUMMARY:-$T/summary}"
mv "$T/handin.tar.gz" "$OUT" || exit 5
echo "handin: wrote $OUT ($(tar -tzf "$OUT" | grep -c '\.c$') files). Submit that file."
