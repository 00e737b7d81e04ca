#!/bin/sh
# inventory.sh LAB_DIR - the tests a lab must run, one per line:
#   suite TAB name TAB points
# read from the LAB_TEST lines of its tests/test_*.c, cleanliness last
# (it counts only once the behaviour works, so it is reported after it).
# The grader checks every one of them ran: a runner that stopped early,
# or a filter that matched nothing, cannot pass for "all good".
set -u
tab=$(printf '\t')
all=$(sed -n "s/^LAB_TEST[A-Z_]*( *\([a-z0-9_]*\) *, *\([a-z0-9_]*\) *, *\([0-9]*\).*/\1$tab\2$tab\3/p" \
    "$1"/tests/test_*.c) || exit 1
# A declaration split over lines would be missed, and its test would run
# unscored: refuse instead, so the lab's author sees it at once.
declared=$(cat "$1"/tests/test_*.c | grep -c '^LAB_TEST')
parsed=$(printf '%s\n' "$all" | grep -c .)
if [ "$declared" != "$parsed" ]; then
    echo "inventory: $1: $declared LAB_TEST lines but $parsed readable ones;" \
        "write each as LAB_TEST(suite, name, points) on one line" >&2
    exit 1
fi
printf '%s\n' "$all" | grep -v "^clean$tab"
printf '%s\n' "$all" | grep "^clean$tab"
exit 0
