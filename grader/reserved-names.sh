#!/bin/sh
# reserved-names.sh OUT HARNESS_A - the names grader/check-objects.sh
# keeps from the student's objects: OUT lists what the C library (with
# libpthread and librt) and Criterion export; OUT.harness what the
# harness and Criterion define, which the student may not even call.
set -eu
out=$1
harness=$2
tmp=$out.tmp.$$
for lib in libc.so.6 libpthread.so.0 librt.so.1 libcriterion.so; do
    path=$(${CC:-gcc} -print-file-name=$lib)
    [ -e "$path" ] || continue
    nm -D --defined-only "$path" | awk '{ print $NF }' | sed 's/@.*//'
done | sort -u >"$tmp"
{
    nm -D --defined-only "$(${CC:-gcc} -print-file-name=libcriterion.so)" |
        awk '{ print $NF }' | sed 's/@.*//'
    nm --defined-only "$harness" | awk 'NF == 3 && $2 ~ /[A-Z]/ { print $3 }'
} | sort -u >"$tmp.harness"
mv -f "$tmp.harness" "$out.harness"
mv -f "$tmp" "$out"
