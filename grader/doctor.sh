#!/bin/sh
# doctor.sh [--quiet] - is this machine ready to grade? One line per
# problem, each with the exact fix. Installs missing Debian packages
# itself when that needs no password.
#
# Exit status: 0 ready, 3 environment not ready (the grader's "not your
# code's fault" status, distinct from a low score).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1
say() { [ $quiet = 1 ] || echo "doctor: $*"; }
problem() { echo "doctor: PROBLEM: $*" >&2; }

case $(uname -s) in
Linux) ;;
Darwin)
    problem "macOS is not supported: it has no <mqueue.h> (POSIX message" \
        "queues). Use a Linux machine, a Linux VM, or WSL2 on Windows."
    exit 3 ;;
*)
    problem "$(uname -s) is not supported: the labs need Linux (or WSL2)."
    exit 3 ;;
esac
# WSL1 reports "Microsoft" in /proc/version; WSL2 kernels say
# "microsoft-standard-WSL2". WSL1 has no message queues.
if grep -q 'Microsoft' /proc/version 2>/dev/null; then
    problem "WSL1 is not supported: it has no POSIX message queues." \
        "Fix: wsl --set-version <distro> 2   (in Windows PowerShell)"
    exit 3
fi

# command, the Debian package that brings it
missing=""
command -v gcc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
if [ ! -e /usr/include/criterion/criterion.h ] &&
   [ ! -e /usr/local/include/criterion/criterion.h ]; then
    missing="$missing libcriterion-dev"
fi
for tool in timeout unshare prlimit sed; do
    command -v $tool >/dev/null 2>&1 || {
        problem "'$tool' is missing (coreutils/util-linux/sed)."
        exit 3
    }
done

if [ -n "$missing" ]; then
    cmd="apt-get update && apt-get install -y$missing"
    if ! command -v apt-get >/dev/null 2>&1; then
        problem "missing:$missing. This is not a Debian/Ubuntu system:" \
            "install gcc, make, valgrind and Criterion 2.4 with its package" \
            "manager."
        exit 3
    fi
    if [ "$(id -u)" = 0 ]; then
        runner=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        runner="sudo"
    else
        problem "missing:$missing. Run: sudo sh -c '$cmd'"
        exit 3
    fi
    echo "doctor: installing$missing (needs no password here) ..."
    if ! $runner sh -c "DEBIAN_FRONTEND=noninteractive $cmd" \
            >"${TMPDIR:-/tmp}/ipclab-apt.$$.log" 2>&1; then
        tail -n 5 "${TMPDIR:-/tmp}/ipclab-apt.$$.log" >&2
        problem "installing$missing failed. Run: sudo sh -c '$cmd'"
        rm -f "${TMPDIR:-/tmp}/ipclab-apt.$$.log"
        exit 3
    fi
    rm -f "${TMPDIR:-/tmp}/ipclab-apt.$$.log"
    say "installed$missing"
fi
say "gcc, make, valgrind and Criterion are installed"

# The grader's own tools; a failure here is the grader's, not the code's.
if ! make -s -f "$ROOT/grader/tools.mk" >/dev/null; then
    problem "cannot build the grader's tools (make -f grader/tools.mk)."
    exit 3
fi

# The machine's queues, by name: mqueue need not be mounted, but root can
# mount it privately for a look without changing anything for others.
list_queues() {
    mnt=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-mq.XXXXXX") || return
    unshare --mount sh -c "mount -t mqueue none '$mnt' && ls '$mnt'" 2>/dev/null
    rmdir "$mnt"
}

# The suite's shm objects and this user's queues still there, each with
# the command that removes it, then one command for them all.
show_leftovers() {  # HEADING
    left=$("$ROOT/build/tools/ipctool" leftovers)
    [ -n "$left" ] || return 0
    echo "$1"
    echo "$left" | sed 's/^/  /'
    if [ "$(echo "$left" | wc -l)" -gt 1 ]; then
        all=$(echo "$left" | sed -n 's/^[^:]*: \(sudo \)\{0,1\}rm //p' | tr '\n' ' ')
        sudo=""
        echo "$left" | grep -q ': sudo rm ' && sudo="sudo "
        echo "doctor: remove them all with: ${sudo}rm ${all% }"
    fi
}

if ! out=$("$ROOT/build/tools/ipctool" probe); then
    echo "$out" | sed -n 's/^problem: /doctor: PROBLEM: /p' >&2
    if echo "$out" | grep -q EMFILE && [ "$(id -u)" = 0 ]; then
        queues=$(list_queues | tr '\n' ' ')
        if [ -n "$queues" ]; then
            echo "doctor: the queues holding the quota: $queues" >&2
            echo "doctor: remove them all with: sudo sh -c 'mkdir -p" \
                "/dev/mqueue && mount -t mqueue none /dev/mqueue &&" \
                "cd /dev/mqueue && rm -f $queues'" >&2
        fi
    fi
    show_leftovers "doctor: leftovers of earlier runs:" >&2
    exit 3
fi
say "message queues and shared memory work here ($(echo "$out" | head -n 1))"
# What follows only informs: `make grade` runs the doctor quietly, on its
# hot path, and detects the sandbox itself, so it is skipped there.
[ $quiet = 1 ] && exit 0
show_leftovers "doctor: objects left by earlier runs (harmless here; remove them to free memory):"
sandbox=$("$ROOT/grader/sandbox.sh" detect)
case $sandbox:$(id -u) in
root:*) say "isolation: namespaces; student code runs in private IPC, PID" \
            "and mount namespaces, under a user id of its own" ;;
user:*) say "isolation: namespaces; student code runs in private IPC, PID" \
            "and mount namespaces (a user namespace)" ;;
none:0) say "isolation: uid; namespaces are refused here (a container or a" \
            "chroot): student code runs under a user id of its own, and" \
            "unique names, sweeping and reaping protect this machine" ;;
none:*) say "isolation: none; neither namespaces nor root here: student" \
            "code runs with your rights (fine for practice, not for" \
            "grading others' code)" ;;
esac
exit 0
