#!/bin/sh
# check-overlap.sh - the notes teach, the labs ask: no chapter may hand a
# student the lab's code. For each solution file, sim_c (Debian package
# similarity-tester) measures the share of its tokens that it finds, in
# runs of at least RUN tokens, in the C snippets of the lab's chapter
# (every ```c block of notes/NN-slug.md, prototypes included). Each share
# must be at most OVERLAP_MAX per cent.
#
# The threshold lives here and nowhere else. Comments and layout do not
# count (sim_c compares tokens), renaming a function does not hide a run
# of its calls either.
#
# LAB=NN narrows it to one lab. Prints one line per solution file, the
# worst first, and a last line that sums it up. Exit status: 0 all within,
# 1 a file above, 3 sim_c missing and not installable.
set -u
OVERLAP_MAX=15   # per cent of a solution file found in its chapter
RUN=8            # shortest run of tokens that counts (sim_c -r)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
LC_ALL=C
export LC_ALL
"$ROOT/grader/selfcheck/need.sh" sim_c similarity-tester overlap || exit 3
[ -d solutions ] || { echo "overlap: no solutions/ here (a hand-out): nothing to compare"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-overlap.XXXXXX")
trap 'rm -rf "$T"' EXIT

labs=$(cd solutions && ls -d [0-9][0-9]-*/ | tr -d /)
case ${LAB:-} in [0-9]) LAB=0$LAB ;; esac
[ -n "${LAB:-}" ] && labs=$(echo "$labs" | grep "^$LAB")

above=0
files=0
for lab in $labs; do
    note=notes/$lab.md
    # Every C block, whatever follows "```c" (signature blocks are text a
    # student reads too).
    awk '/^```c/ { on = 1; next } /^```/ { on = 0 } on' "$note" 2>/dev/null >"$T/$lab.c"
    for f in solutions/"$lab"/*.c; do
        files=$((files + 1))
        share=$(sim_c -r "$RUN" -p -s "$f" / "$T/$lab.c" |
            sed -n 's/.* consists for \([0-9]*\) % of .*/\1/p' | head -n 1)
        share=${share:-0}
        if [ "$share" -gt "$OVERLAP_MAX" ]; then
            above=$((above + 1)); verdict=ABOVE
        else
            verdict=ok
        fi
        printf '%3s%%  %-5s %s in %s\n' "$share" "$verdict" "$f" "$note"
    done
done | sort -rn >"$T/report"
cat "$T/report"
above=$(grep -c ' ABOVE ' "$T/report")
files=$(wc -l <"$T/report")
if [ "$above" = 0 ]; then
    echo "overlap: every one of $files solution files shares at most $OVERLAP_MAX% with its chapter (sim_c, runs of $RUN tokens)"
    exit 0
fi
echo "overlap: $above of $files solution files share more than $OVERLAP_MAX% with their chapter (sim_c -r $RUN; see the lines marked ABOVE; sim_c -r $RUN FILE / SNIPPETS shows the runs)"
exit 1
