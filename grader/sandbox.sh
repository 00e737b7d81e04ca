#!/bin/sh
# sandbox.sh MODE CMD... - runs CMD where the student's code cannot reach
# the machine's IPC objects and cannot outlive the grading.
#
#   MODE root   private IPC, PID and mount namespaces (we are root)
#   MODE user   the same inside a user namespace (unprivileged)
#   MODE none   no namespaces: the grader falls back to unique names,
#               sweeping them, and reaping processes by their run id
#   MODE detect prints which of the three this machine allows
#
# In a private IPC namespace every queue vanishes with it; a tmpfs of our
# own on /dev/shm does the same for shm objects and named semaphores
# (POSIX shm lives in a file system, not in the IPC namespace). In a PID
# namespace, every process dies when its first process does, so nothing
# the student started survives `timeout` killing the run.
set -u
ns_flags="--ipc --pid --mount --fork --kill-child --mount-proc"
# Criterion names its socket /tmp/criterion_<pid>.sock: two runners in
# two PID namespaces have the same pid, so each gets a /tmp of its own.
# The run directory (SANDBOX_WRITABLE) may itself be under /tmp (a clone
# in /tmp): it is set aside on a bind mount first and put back at the
# same path on the new /tmp.
#
# Then every other file system is made read-only for the student's code,
# except the run directory, where the tests write their records, and
# every capability is dropped, so that code running as root can neither
# change the grader, the submission or the machine, nor undo the
# read-only mounts. Without capabilities the queues also obey the stock
# limits (msg_max 10, msgsize_max 8192), as for any student.
inner='W=${SANDBOX_WRITABLE:-}
mkdir -p /dev/shm
mount -t tmpfs -o size=64m,mode=1777 ipclab-shm /dev/shm 2>/dev/null ||
  echo "grader: no private /dev/shm here; using unique names instead" >&2
if [ -n "$W" ]; then
  mkdir -p /dev/shm/.ipclab-run && mount --bind "$W" /dev/shm/.ipclab-run || exit 125
fi
mount -t tmpfs -o size=64m,mode=1777 ipclab-tmp /tmp || exit 125
if [ -n "$W" ]; then
  # A bind, not a move: a user namespace may not move a mount it did not
  # make in a place it does not own.
  mkdir -p "$W" && mount --bind /dev/shm/.ipclab-run "$W" || exit 125
  umount /dev/shm/.ipclab-run && rmdir /dev/shm/.ipclab-run
  for m in $(awk "{ print \$2 }" /proc/self/mounts); do
    case $m in
    /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/tmp|"$W") ;;
    *) mount -o remount,bind,ro "$m" 2>/dev/null ;;
    esac
  done
fi
setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all -- "$@"'
# The shell stays PID 1 (no exec) so orphans are reaped by it, not by the
# Criterion runner, which would not expect them.

mode=$1
shift
case $mode in
detect)
    # shellcheck disable=SC2086
    if [ "$(id -u)" = 0 ] && unshare $ns_flags true 2>/dev/null; then
        echo root
    elif unshare --user --map-root-user $ns_flags true 2>/dev/null; then
        echo user
    else
        echo none
    fi ;;
root) exec unshare $ns_flags sh -c "$inner" sandbox "$@" ;;
user) exec unshare --user --map-root-user $ns_flags sh -c "$inner" sandbox "$@" ;;
none) exec "$@" ;;
*) echo "sandbox.sh: unknown mode $mode" >&2; exit 2 ;;
esac
