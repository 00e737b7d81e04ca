#!/bin/sh
# hint.sh - `make hint LAB=NN [TEST=name] [HINT=n]`: one more hint.
#
# Hints live in hints/NN-slug.md, one section per test ("## suite/name"),
# one hint per "- " line, from a nudge to nearly the answer. Without
# TEST, the hint is for the first test that failed in the last grading.
# Each call shows the next hint of that test (remembered in .grade/hints);
# HINT=n shows hint n.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LAB=${LAB:-}
case $LAB in [0-9]) LAB=0$LAB ;; esac
[ -n "$LAB" ] || { echo "usage: make hint LAB=NN [TEST=name] [HINT=n]" >&2; exit 2; }
lab=$(cd "$ROOT/labs" && ls -d "$LAB"*/ 2>/dev/null | head -n 1 | tr -d /)
[ -n "$lab" ] || { echo "hint: no lab $LAB" >&2; exit 2; }
file=$ROOT/hints/$lab.md
[ -f "$file" ] || { echo "hint: no hints for $lab yet" >&2; exit 2; }

test=${TEST:-}
if [ -z "$test" ] && [ -f "$ROOT/.grade/state/$lab" ]; then
    test=$(sed -n 's/^fail\t\([^\t]*\)\t.*/\1/p' "$ROOT/.grade/state/$lab" | head -n 1)
fi
if [ -z "$test" ]; then
    if [ -f "$ROOT/.grade/state/$lab" ]; then
        echo "Lab $lab passed every test at its last grading: no hint needed."
        exit 0
    fi
    test=$(sed -n 's/^## //p' "$file" | head -n 1)
    echo "(Not graded yet: a hint for its first test. \`make grade LAB=$LAB\` first.)"
fi
# Accept "name" as well as "suite/name".
section=$(sed -n 's/^## //p' "$file" | grep -x -e "$test" -e "[a-z0-9_]*/$test" | head -n 1)
[ -n "$section" ] || { echo "hint: no hints for test $test in hints/$lab.md" >&2; exit 2; }

hints=$(awk -v s="$section" '
    /^## / { on = ($0 == "## " s); next }
    on && /^- / { print substr($0, 3) }' "$file")
count=$(printf '%s\n' "$hints" | grep -c .)
mkdir -p "$ROOT/.grade/hints/$lab"
seen_file=$ROOT/.grade/hints/$lab/$(echo "$section" | tr / .)
seen=$(cat "$seen_file" 2>/dev/null || echo 0)
n=${HINT:-$((seen + 1))}
[ "$n" -gt "$count" ] && n=$count
[ "$n" -lt 1 ] && n=1
[ "$n" -gt "$seen" ] && echo "$n" >"$seen_file"

echo "Hint $n of $count for $lab $section:"
printf '%s\n' "$hints" | sed -n "1,${n}p" | awk '{ printf "  %d. %s\n", NR, $0 }'
if [ "$n" -lt "$count" ]; then
    echo "(\`make hint LAB=$LAB\` again for the next one.)"
else
    echo "(That was the last hint. The notes: notes/$lab.md.)"
fi
