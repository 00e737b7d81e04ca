#!/bin/sh
# setup.sh - Gradescope runs this once, as root, when it builds the
# autograder's image (Ubuntu; the zip is unpacked in /autograder/source).
# It installs what the grader needs with apt-get, then builds and checks
# the grader once (grader/doctor.sh), so that no grading waits for it.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SUITE=$HERE/ipc-labs
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# gcc, make, valgrind, Criterion: the grader; util-linux (unshare, prlimit,
# setpriv), coreutils (timeout), tar and gzip (handin tarballs).
apt-get install -y -qq --no-install-recommends gcc libc6-dev make valgrind \
    libcriterion-dev util-linux coreutils tar gzip sed gawk ca-certificates
"$SUITE/grader/doctor.sh"
# The harness and every lab's test objects, built once into the image.
cd "$SUITE"
make -s -f grader/harness.mk OUT="$SUITE/build/cache/harness"
for lab in labs/[0-9][0-9]-*/; do
    lab=${lab%/}
    [ -f "$lab/tests/lab.mk" ] || continue
    make -s -f grader/build.mk LAB_DIR="$SUITE/$lab" OUT="$SUITE/build/setup/${lab#labs/}" \
        test-objs || echo "setup: warning: the tests of $lab do not compile" >&2
done
rm -rf "$SUITE/build/setup"
echo "setup: ready ($(cd "$SUITE/labs" && ls -d [0-9][0-9]-*/ | tr -d / | tr '\n' ' '))"
