#!/bin/sh
# sandbox.sh MODE CMD... - runs CMD where the student's code cannot reach
# the machine's IPC objects and cannot outlive the grading.
#
#   MODE root   private IPC, PID and mount namespaces (we are root)
#   MODE user   the same inside a user namespace (unprivileged)
#   MODE uid    no namespaces, but we are root: CMD runs under the user id
#               GRADER_UID (no account needed), no groups, no capabilities,
#               no_new_privs; files it may write are chowned to it first
#   MODE none   no namespaces: the grader falls back to unique names,
#               sweeping them, and reaping processes by their run id
#   MODE detect prints which of root, user, none this machine allows
#
# In mode root too, CMD runs under GRADER_UID when that is set: the
# namespaces keep it from the machine's IPC objects and processes, the id
# from the grader's files and from every other grading.
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
# The run directory (SANDBOX_KEEP) may itself be under /tmp: it is set
# aside on a bind mount first and put back at the same path on the new
# /tmp.
#
# Then every file system is made read-only for the student's code, except
# SANDBOX_WRITABLE (inside the run directory) and the private /tmp and
# /dev/shm, and every capability is dropped, so that code running as root
# can neither change the grader, the records, the submission or the
# machine, nor undo the read-only mounts. Without capabilities the queues
# also obey the stock limits (msg_max 10, msgsize_max 8192), as for any
# student.
drop='setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all'
drop_uid='setpriv --reuid=$GRADER_UID --regid=$GRADER_UID --clear-groups --no-new-privs --inh-caps=-all --ambient-caps=-all --bounding-set=-all'
inner='K=${SANDBOX_KEEP:-} W=${SANDBOX_WRITABLE:-}
mkdir -p /dev/shm
mount -t tmpfs -o size=64m,mode=1777 ipclab-shm /dev/shm 2>/dev/null ||
  echo "grader: no private /dev/shm here; using unique names instead" >&2
if [ -n "$K" ]; then
  mkdir -p /dev/shm/.ipclab-run && mount --bind "$K" /dev/shm/.ipclab-run || exit 125
fi
mount -t tmpfs -o size=64m,mode=1777 ipclab-tmp /tmp || exit 125
if [ -n "$K" ]; then
  # A bind, not a move: a user namespace may not move a mount it did not
  # make in a place it does not own.
  mkdir -p "$K" && mount --bind /dev/shm/.ipclab-run "$K" || exit 125
  umount /dev/shm/.ipclab-run && rmdir /dev/shm/.ipclab-run
fi
if [ -n "$W" ]; then
  mount --bind "$W" "$W" || exit 125
fi
for m in $(awk "{ print \$2 }" /proc/self/mounts); do
  case $m in
  /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/tmp|"$W") ;;
  *) mount -o remount,bind,ro "$m" 2>/dev/null ;;
  esac
done
if [ -n "${GRADER_UID:-}" ]; then exec_drop="'"$drop_uid"'"; else exec_drop="'"$drop"'"; fi
eval "$exec_drop -- \"\$@\""'
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
user) unset GRADER_UID
      exec unshare --user --map-root-user $ns_flags sh -c "$inner" sandbox "$@" ;;
uid)
    [ "$(id -u)" = 0 ] && [ -n "${GRADER_UID:-}" ] ||
        { echo "sandbox.sh: mode uid needs root and GRADER_UID" >&2; exit 2; }
    eval "exec $drop_uid -- \"\$@\"" ;;
none) exec "$@" ;;
*) echo "sandbox.sh: unknown mode $mode" >&2; exit 2 ;;
esac
