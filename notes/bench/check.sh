#!/bin/sh
# check.sh BIN_DIR - `make bench-ipc-check`: ipcbench and plot work.
#
# Runs ipcbench in its quick mode into a temporary folder, draws the plot,
# and checks that the CSV has one row per transport and size (the message
# queue's sizes above msgsize_max marked skipped), that the SVG is whole
# and names every transport in its legend, and that nothing is left
# behind: no shm object, queue, temporary file or process, even when the
# benchmark is killed halfway. Exit status 0 when all is well, 1 if not.
set -u
BIN=${1:-build/bench}
LC_ALL=C
export LC_ALL
T=$(mktemp -d "${TMPDIR:-/tmp}/ipcbench-check.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else bad "$desc"; fi; }

TRANSPORTS="mq shm+sem shm+mq pipe unix-stream"
SIZES="64 1024 8192 65536"
HEADER="transport,size_bytes,status,msgs_per_s,mb_per_s,msgs_per_s_min,msgs_per_s_max,rtt_median_us,rtt_p99_us,rtt_min_us,one_process_ns_per_msg,cpu_ns_per_msg,sys_pct,sleeps_per_msg,rounds,msgs_per_run,pings_per_run,syscall_ns,others_busy_pct,cpu,cores,kernel,date"
msgsize_max=$(cat /proc/sys/fs/mqueue/msgsize_max 2>/dev/null || echo 8192)

# Objects of one run: their names carry the pid.
leftovers() {  # PID
    ls /dev/shm 2>/dev/null | grep "^ipcbench\.$1\." 
    if [ -d /dev/mqueue ] && grep -q ' /dev/mqueue mqueue ' /proc/mounts; then
        ls /dev/mqueue | grep "^ipcbench\.$1\."
    fi
}
# Processes still running with TEXT in their command line (a forked child
# keeps its parent's). TEXT becomes a pattern with every '.' as '[.]', so
# that grep does not find itself.
processes_with() {  # TEXT
    pat=$(printf '%s' "$1" | sed 's/[].[*^$\\]/[&]/g')
    grep -l -- "$pat" /proc/[0-9]*/cmdline 2>/dev/null | sed 's|^/proc/||; s|/cmdline$||'
}

echo "ipcbench, quick mode"
start=$(date +%s%N)
IPCBENCH_QUICK=1 "$BIN/ipcbench" -o "$T/r.csv" >"$T/out" 2>&1 &
pid=$!
wait $pid
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "ipcbench exits 0 (got $rc) in ${ms} ms" [ $rc = 0 ]
[ $rc = 0 ] || sed 's/^/        /' "$T/out" | tail -n 20
[ "$ms" -le 5000 ] || echo "  note  the quick mode took more than 5 s (a busy machine?)"
check "the CSV exists" [ -s "$T/r.csv" ]
touch "$T/r.csv"
check "the CSV header is the documented one" [ "$(head -n 1 "$T/r.csv")" = "$HEADER" ]
nf=$(echo "$HEADER" | awk -F, '{ print NF }')
badrows=$(awk -F, -v nf="$nf" 'NF != nf' "$T/r.csv" | wc -l)
check "every row has $nf fields ($badrows do not)" [ "$badrows" = 0 ]
for t in $TRANSPORTS; do
    for s in $SIZES; do
        rows=$(awk -F, -v t="$t" -v s="$s" '$1 == t && $2 == s' "$T/r.csv")
        n=$(printf '%s' "$rows" | grep -c .)
        if [ "$n" != 1 ]; then
            bad "$t $s bytes: one row (got $n)"
            continue
        fi
        if [ "$t" = mq ] && [ "$s" -gt "$msgsize_max" ]; then
            check "$t $s bytes: skipped, above msgsize_max $msgsize_max" \
                sh -c "printf '%s' '$rows' | awk -F, '\$3 ~ /^skipped: above msgsize_max/ { f = 1 } END { exit !f }'"
            continue
        fi
        # ok, positive numbers, p99 not below the median, one process
        # measured
        check "$t $s bytes: measured, numbers plausible" \
            sh -c "printf '%s' '$rows' | awk -F, '\$3 == \"ok\" && \$4 > 0 && \$5 > 0 && \$8 > 0 && \$9 >= \$8 && \$11 > 0 && \$12 > 0 { f = 1 } END { exit !f }'"
    done
done
left=$(leftovers $pid)
check "no shm object or queue of the run left${left:+ ($left)}" [ -z "$left" ]
tmpf=$(ls "$T" | grep '\.tmp\.' || true)
check "no temporary file left${tmpf:+ ($tmpf)}" [ -z "$tmpf" ]

echo "plot"
"$BIN/plot" "$T/r.csv" "$T/r.svg" >"$T/plot.out" 2>&1
rc=$?
check "plot exits 0 (got $rc)" [ $rc = 0 ]
[ $rc = 0 ] || sed 's/^/        /' "$T/plot.out"
touch "$T/r.svg"
check "the SVG starts with <svg" sh -c "head -c 4 '$T/r.svg' | grep -q '^<svg'"
check "the SVG ends with </svg>" [ "$(tail -n 1 "$T/r.svg")" = "</svg>" ]
check "the SVG has no script" sh -c "! grep -qi '<script' '$T/r.svg'"
opens=$(grep -o '<[a-z]' "$T/r.svg" | wc -l)
closes=$(grep -o '</[a-z]*>\|/>' "$T/r.svg" | wc -l)
check "the SVG closes every element it opens ($opens opened, $closes closed)" \
    [ "$opens" = "$closes" ]
if command -v xmllint >/dev/null 2>&1; then
    check "the SVG is well-formed XML (xmllint)" xmllint --noout "$T/r.svg"
fi
for t in $TRANSPORTS; do
    check "the legend names $t" grep -qF ">$t</tspan>" "$T/r.svg"
done
check "the title names the machine" \
    grep -qF "$(sed -n '2p' "$T/r.csv" | awk -F, '{ print $(NF - 3) }')" "$T/r.svg"

echo "ipcbench, killed halfway"
"$BIN/ipcbench" -o "$T/killed.csv" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -TERM $pid 2>/dev/null
{ wait $pid; } 2>/dev/null
sleep 0.2
left=$(leftovers $pid)
check "no shm object or queue left${left:+ ($left)}" [ -z "$left" ]
procs=$(processes_with "$T/killed.csv" | tr '\n' ' ')
check "no process left${procs:+ ($procs)}" [ -z "$procs" ]
check "no CSV written" [ ! -e "$T/killed.csv" ]
tmpf=$(ls "$T" | grep 'killed.csv' || true)
check "no temporary file left${tmpf:+ ($tmpf)}" [ -z "$tmpf" ]

echo "bench-ipc-check: $passed passed, $failed failed"
[ $failed = 0 ]
