#!/bin/sh
# make-variant.sh LAB VARIANT_DIR OUT_ROOT - writes a faulty variant's
# student files into OUT_ROOT/LAB (run from the project's root: a sed
# script may read files by their path there, `r faulty/...`).
#
# A variant starts from the solution, or from the untouched skeleton when
# its `base` file says so (the attacks: they must earn nothing), and
# applies each FILE.c.sed to FILE.c. Exit 1 if a script fails or changes
# nothing (a variant that is the solution proves nothing).
set -u
base=solutions
[ "$(cat "$2/base" 2>/dev/null)" = skeleton ] && base=labs
mkdir -p "$3/$1"
cp "$base/$1"/*.c "$3/$1/" || exit 1
for script in "$2"/*.sed; do
    [ -f "$script" ] || continue
    target=$(basename "$script" .sed)
    sed -f "$script" "$base/$1/$target" >"$3/$1/$target" || exit 1
    cmp -s "$base/$1/$target" "$3/$1/$target" && exit 1
done
exit 0
