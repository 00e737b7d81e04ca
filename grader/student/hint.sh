#!/bin/sh
# hint.sh - `make hint LAB=NN [TEST=name] [HINT=n]`: one more hint.
#
# Hints live in hints/NN-slug.md, one section per test ("## suite/name"),
# one hint per "- " line, from a nudge to nearly the answer. Without
# TEST, the hint is for the first test that failed in the last grading.
# Each call shows the next hint of that test (remembered in .grade/hints);
# HINT=n shows hint n.
#
# Hints about a cause: where the test's failure named a likely cause with
# a key ("[cause: KEY]" at the end of its "likely:" line; the grader keeps
# it in .grade/state/LAB), that cause's hints come first: those under
# "### cause: KEY" inside the test's section, then those of a lab-wide
# "## cause: KEY" section, then the test's own.
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
    test=$(sed -n 's/^## //p' "$file" | grep -v '^cause: ' | head -n 1)
    echo "(Not graded yet: a hint for its first test. \`make grade LAB=$LAB\` first.)"
fi
# Accept "name" as well as "suite/name".
section=$(sed -n 's/^## //p' "$file" | grep -x -e "$test" -e "[a-z0-9_]*/$test" | head -n 1)
[ -n "$section" ] || { echo "hint: no hints for test $test in hints/$lab.md" >&2; exit 2; }

# The cause the last grading named for this test, if the hints know it.
cause=""
if [ -f "$ROOT/.grade/state/$lab" ]; then
    cause=$(awk -F '\t' -v s="$section" '$1 == "cause" && $2 == s { print $3; exit }' \
        "$ROOT/.grade/state/$lab")
fi
# part 1: the test's "### cause: KEY"; 2: the lab's "## cause: KEY";
# 3: the test's own hints (before any "### " of its section).
hints=$(awk -v s="$section" -v k="$cause" '
    /^## / { sec = ($0 == "## " s) ? "test" : (k != "" && $0 == "## cause: " k) ? "lab" : ""
             sub_ = ""; next }
    /^### / { sub_ = $0; next }
    !/^- / { next }
    sec == "test" && sub_ == "" { own[++n3] = substr($0, 3) }
    sec == "test" && k != "" && sub_ == "### cause: " k { mine[++n1] = substr($0, 3) }
    sec == "lab" && sub_ == "" { lab[++n2] = substr($0, 3) }
    END { for (i = 1; i <= n1; i++) print mine[i]
          for (i = 1; i <= n2; i++) print lab[i]
          for (i = 1; i <= n3; i++) print own[i] }' "$file")
about=$(awk -v s="$section" -v k="$cause" '
    /^## / { sec = ($0 == "## " s) ? "test" : ($0 == "## cause: " k) ? "lab" : ""; sub_ = ""; next }
    /^### / { sub_ = $0; next }
    /^- / && k != "" && ((sec == "test" && sub_ == "### cause: " k) || (sec == "lab" && sub_ == "")) { n++ }
    END { print n + 0 }' "$file")
[ "$about" -gt 0 ] || cause=""
count=$(printf '%s\n' "$hints" | grep -c .)
mkdir -p "$ROOT/.grade/hints/$lab"
seen_file=$ROOT/.grade/hints/$lab/$(echo "$section" | tr / .)${cause:+.$cause}
seen=$(cat "$seen_file" 2>/dev/null || echo 0)
n=${HINT:-$((seen + 1))}
[ "$n" -gt "$count" ] && n=$count
[ "$n" -lt 1 ] && n=1
[ "$n" -gt "$seen" ] && echo "$n" >"$seen_file"

echo "Hint $n of $count for $lab $section:"
[ -n "$cause" ] && echo "(The first $about about the likely cause your last grading named: $cause.)"
printf '%s\n' "$hints" | sed -n "1,${n}p" | awk '{ printf "  %d. %s\n", NR, $0 }'
if [ "$n" -lt "$count" ]; then
    echo "(\`make hint LAB=$LAB\` again for the next one.)"
else
    echo "(That was the last hint. The notes: notes/$lab.md.)"
fi
