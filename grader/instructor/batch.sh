#!/bin/sh
# batch.sh - grades a class: every submission in a folder, in parallel,
# each in isolation, into one gradebook. Glue only: every grading is
# grader/grade.sh; this script stages, confines, times and collects.
#
#   grader/instructor/batch.sh SUBMISSIONS OUT           (make batch SUBMISSIONS=.. OUT=..)
#   grader/instructor/batch.sh --single SUBMISSION OUT   one submission (Gradescope)
#   grader/instructor/batch.sh --stage SUBMISSION DEST   only stage it (for scripts)
#
# SUBMISSIONS is a folder; each entry is one submission, named after the
# entry: a folder in the NN-slug/ layout, or a .tar.gz / .tgz made by
# `make handin` (its top level holds NN-slug/ folders). One wrapping
# folder is accepted, and so are loose .c files of one lab. Hidden
# entries are skipped. Everything is in grader/instructor/INSTRUCTORS.md.
#
# Settings (environment; the make target passes them on):
#   LAB=NN        the labs to grade ("01", "01 05"); default: every lab
#                 of the suite whose tests exist
#   BATCH_JOBS=N  gradings at once (default: the number of cores)
#   GRADE_JOBS=N  JOBS of each grading (default 1)
#   LAB_BOUND=S   seconds for one lab's test run (grade.sh; default 150);
#                 each lab's whole grading is bounded at LAB_BOUND + 60
#   SUB_BOUND=S   seconds for one whole submission (default: the number
#                 of labs times LAB_BOUND + 60)
#   BATCH_PIDS=N  processes one grading may have at once (default 256)
#   BATCH_USER=auto|root  auto: grade as an unprivileged user id of its
#                 own per slot (no account: 100000 and up) when that user
#                 still gets private namespaces; root: as the caller
#   LEAKCHECK=0   skip the valgrind runs (as for grade.sh)
#   AUTOLAB=1     end each log (and, with --single, stdout) with the
#                 Autolab line {"scores": {...}}
#   BATCH_KEEP=1  keep the work folders (build/batch/) for inspection
#
# Output in OUT: gradebook.csv, submissions/NAME/{results.json,log.txt,
# summary.txt}, batch.log; report.html and report.md (the class report,
# grader/instructor/classreport.c; CLASSREPORT_NOTES=URL: where its note
# links point, default file://ROOT/notes).
# Exit status: 0 the gradebook is written (whatever the scores); 2 bad
# usage; 3 environment not ready (make doctor); 5 the batch itself failed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# A `make batch OUT=...` hands its command-line variables to every make
# below through MAKEFLAGS (OUT is also build.mk's and tools.mk's).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
# ... and make puts them in the environment too: an OUT there would
# become tools.mk's OUT (doctor.sh) and fill the batch's OUT with tools.
unset OUT SUBMISSIONS
LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
umask 022
tab=$(printf '\t')
nl='
'
say() { echo "batch: $*" >&2; }
die() { say "$2"; exit "$1"; }

MAX_FILE=1048576          # bytes of one student .c file
MAX_UNPACKED=67108864     # bytes a tarball may unpack to
MAX_MEMBERS=2000          # entries a tarball may hold
MAX_LOG=1048576           # bytes of a submission's log kept in OUT

# ---------------------------------------------------------------------
# Staging: turns one submission into a clean NN-slug/ folder holding
# only the student files each lab's tests/lab.mk lists, as plain
# regular files. Nothing else of the submission (a Makefile, a header,
# tests, links) ever reaches the grading. Needs LABS and FILES_DIR.
# Writes DEST/stage/ and DEST/staged (one line: ok, or malformed: why),
# DEST/notes (what was ignored).
stage_fail() { echo "malformed: $*" >"$SDEST/staged"; return 1; }

unpack_tarball() {  # TARBALL DIR
    t=$1
    u=$2
    if ! timeout 60 gzip -t <"$t" 2>/dev/null; then
        stage_fail "not a gzip file (expected a .tar.gz made by make handin)"
        return 1
    fi
    if ! timeout 60 tar -tvzf "$t" >"$SDEST/listing" 2>/dev/null ||
       ! timeout 60 tar -tzf "$t" >"$SDEST/names" 2>/dev/null; then
        stage_fail "not a readable tar archive"
        return 1
    fi
    members=$(wc -l <"$SDEST/names")
    [ "$members" -le $MAX_MEMBERS ] ||
        { stage_fail "the tarball holds $members entries (at most $MAX_MEMBERS)"; return 1; }
    bad=$(cut -c1 "$SDEST/listing" | grep -v '^[-d]$' | head -n 1)
    if [ -n "$bad" ]; then
        what=$(grep -v '^[-d]' "$SDEST/listing" | head -n 1 | awk '{ print $NF }')
        stage_fail "the tarball holds a link or a special file ($what); only plain files and folders are accepted"
        return 1
    fi
    if grep -q -e '^/' -e '^\.\./' -e '/\.\./' -e '/\.\.$' -e '^\.\.$' "$SDEST/names"; then
        stage_fail "the tarball holds an absolute path or a '..'"
        return 1
    fi
    bytes=$(awk '{ s += $3 } END { printf "%d", s }' "$SDEST/listing")
    [ "$bytes" -le $MAX_UNPACKED ] ||
        { stage_fail "the tarball unpacks to $bytes bytes (at most $MAX_UNPACKED)"; return 1; }
    mkdir -p "$u"
    if ! timeout 60 prlimit --fsize=$MAX_UNPACKED -- tar -xzf "$t" -C "$u" \
            --no-same-owner --no-same-permissions --no-overwrite-dir \
            >/dev/null 2>&1; then
        stage_fail "the tarball does not unpack"
        return 1
    fi
    return 0
}

is_lab_dir() { [ -d "$1" ] && [ ! -h "$1" ]; }

# Which folder holds the NN-slug/ folders: the submission itself, or its
# one folder (a student who tarred the folder around them).
find_root() {  # DIR
    for lab in $LABS; do
        is_lab_dir "$1/$lab" && { echo "$1"; return 0; }
    done
    inner=""
    n=0
    for e in "$1"/* "$1"/.[!.]*; do
        [ -e "$e" ] || [ -h "$e" ] || continue
        case ${e##*/} in __MACOSX|.DS_Store|.git) continue ;; esac
        n=$((n + 1))
        is_lab_dir "$e" && inner=$e
    done
    if [ "$n" = 1 ] && [ -n "$inner" ]; then
        for lab in $LABS; do
            if is_lab_dir "$inner/$lab"; then
                echo "nested: the NN-slug/ folders were inside ${inner##*/}/" >>"$SDEST/notes"
                echo "$inner"
                return 0
            fi
        done
    fi
    echo "$1"
}

copy_student_file() {  # FROM TO LABEL
    if [ -h "$1" ]; then
        echo "ignored: $3 is a symbolic link" >>"$SDEST/notes"
        return 0
    fi
    [ -f "$1" ] || return 0
    size=$(wc -c <"$1" 2>/dev/null || echo 0)
    if [ "$size" -gt $MAX_FILE ]; then
        echo "ignored: $3 is $size bytes (at most $MAX_FILE)" >>"$SDEST/notes"
        return 0
    fi
    mkdir -p "$(dirname "$2")"
    cat "$1" >"$2"
}

stage() {  # SUBMISSION DEST
    src=$1
    SDEST=$2
    rm -rf "$SDEST/stage" "$SDEST/unpacked"
    mkdir -p "$SDEST/stage"
    : >"$SDEST/notes"
    if [ -h "$src" ]; then
        stage_fail "a symbolic link, not a folder or a tarball"
        return 1
    elif [ -f "$src" ]; then
        case $src in
        *.tar.gz|*.tgz) unpack_tarball "$src" "$SDEST/unpacked" || return 1
                        dir=$SDEST/unpacked ;;
        *) stage_fail "neither a folder nor a .tar.gz"; return 1 ;;
        esac
    elif [ -d "$src" ]; then
        dir=$src
    else
        stage_fail "neither a folder nor a .tar.gz"
        return 1
    fi
    # A folder holding only a handin tarball (Gradescope uploads).
    if [ "$dir" = "$src" ] && [ -d "$src" ]; then
        only=$(ls -A "$src" 2>/dev/null)
        case $only in
        *"$nl"*|"") ;;
        *.tar.gz|*.tgz)
            if [ -f "$src/$only" ] && [ ! -h "$src/$only" ]; then
                echo "unpacked: $only" >>"$SDEST/notes"
                unpack_tarball "$src/$only" "$SDEST/unpacked" || return 1
                dir=$SDEST/unpacked
            fi ;;
        esac
    fi
    root=$(find_root "$dir")
    found=""
    for lab in $LABS; do
        is_lab_dir "$root/$lab" || continue
        found="$found $lab"
        mkdir -p "$SDEST/stage/$lab"
        for f in $(cat "$FILES_DIR/$lab"); do
            copy_student_file "$root/$lab/$f" "$SDEST/stage/$lab/$f" "$lab/$f"
        done
    done
    for lab in $LABS; do
        [ -h "$root/$lab" ] && echo "ignored: $lab/ is a symbolic link" >>"$SDEST/notes"
    done
    if [ -z "$found" ]; then
        # Loose .c files of one lab: the lab with the most of them.
        best=""
        best_n=0
        tie=""
        for lab in $LABS; do
            n=0
            for f in $(cat "$FILES_DIR/$lab"); do
                [ -f "$root/$f" ] && [ ! -h "$root/$f" ] && n=$((n + 1))
            done
            if [ $n -gt $best_n ]; then
                best=$lab best_n=$n tie=""
            elif [ $n -gt 0 ] && [ $n = $best_n ]; then
                tie="$tie $lab"
            fi
        done
        if [ -z "$best" ]; then
            what=$(cd "$root" && ls -A 2>/dev/null | head -n 5 | tr '\n' ' ')
            stage_fail "no NN-slug/ folder and no student file of any lab (found: ${what:-nothing})"
            return 1
        fi
        if [ -n "$tie" ]; then
            stage_fail "loose .c files that fit labs $best$tie alike; put them in NN-slug/ folders"
            return 1
        fi
        echo "loose: the .c files were taken as lab $best" >>"$SDEST/notes"
        mkdir -p "$SDEST/stage/$best"
        for f in $(cat "$FILES_DIR/$best"); do
            copy_student_file "$root/$f" "$SDEST/stage/$best/$f" "$f"
        done
    fi
    echo ok >"$SDEST/staged"
    return 0
}

# ---------------------------------------------------------------------
# Confinement: a cgroup per grading (v2, or v1's pids and cpu
# hierarchies) bounds its processes and shares the cores fairly between
# the gradings running at once; without one, an unprivileged user id per
# slot gets RLIMIT_NPROC instead. Killing a grading kills its cgroup.
CG_MODE=none
CG_PARENTS=""
cg_init() {
    [ "$(id -u)" = 0 ] || return 0
    if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
        p=/sys/fs/cgroup/ipclab-batch.$$
        if mkdir "$p" 2>/dev/null; then
            echo "+pids +cpu" >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
            echo "+pids" >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
            echo "+pids +cpu" >"$p/cgroup.subtree_control" 2>/dev/null
            echo "+pids" >"$p/cgroup.subtree_control" 2>/dev/null
            if mkdir "$p/probe" 2>/dev/null && [ -f "$p/probe/pids.max" ]; then
                rmdir "$p/probe"
                CG_MODE=v2 CG_PARENTS=$p
                return 0
            fi
            rmdir "$p/probe" "$p" 2>/dev/null
        fi
    fi
    if [ -f /sys/fs/cgroup/pids/cgroup.procs ]; then
        p=/sys/fs/cgroup/pids/ipclab-batch.$$
        if mkdir "$p" 2>/dev/null; then
            CG_MODE=v1 CG_PARENTS=$p
            c=/sys/fs/cgroup/cpu/ipclab-batch.$$
            mkdir "$c" 2>/dev/null && CG_PARENTS="$p $c"
        fi
    fi
}
cg_dirs() {  # KEY
    for p in $CG_PARENTS; do echo "$p/$1"; done
}
cg_make() {  # KEY
    for d in $(cg_dirs "$1"); do
        mkdir -p "$d" || return 1
        [ -f "$d/pids.max" ] && { echo "$BATCH_PIDS" >"$d/pids.max" || return 1; }
    done
    return 0
}
cg_kill() {  # KEY: kills whatever is left in it, then removes it
    for d in $(cg_dirs "$1"); do
        [ -d "$d" ] || continue
        [ -f "$d/cgroup.kill" ] && echo 1 >"$d/cgroup.kill" 2>/dev/null
        tries=0
        while [ $tries -lt 100 ]; do
            pids=$(cat "$d/cgroup.procs" 2>/dev/null)
            [ -z "$pids" ] && break
            # shellcheck disable=SC2086
            kill -9 $pids 2>/dev/null
            sleep 0.1
            tries=$((tries + 1))
        done
        rmdir "$d" 2>/dev/null || say "warning: cannot remove cgroup $d"
    done
}
cg_fini() {
    for p in $CG_PARENTS; do
        for d in "$p"/*/; do
            [ -d "$d" ] && cg_kill "$(basename "$d")"
        done
        rmdir "$p" 2>/dev/null
    done
    CG_PARENTS=""
}

# ---------------------------------------------------------------------
usage() {
    say "usage: grader/instructor/batch.sh SUBMISSIONS OUT | --single SUBMISSION OUT | --stage SUBMISSION DEST"
    say "       (make batch SUBMISSIONS=DIR OUT=DIR [LAB=NN] [BATCH_JOBS=N])"
    exit 2
}
mode="batch"
case ${1:-} in
--single) mode=single; shift ;;
--stage) mode=stage; shift ;;
-h|--help) usage ;;
esac
[ $# = 2 ] && [ -n "$1" ] && [ -n "$2" ] || usage
SUBS=$1
OUT=$2
[ -e "$SUBS" ] || die 2 "$SUBS does not exist"
if [ $mode = batch ]; then
    [ -d "$SUBS" ] || die 2 "SUBMISSIONS=$SUBS is not a folder (for one submission: --single)"
fi

# The labs: those of the suite whose tests exist, narrowed by LAB.
want=$(echo "${LAB:-}" | tr ',' ' ')
LABS=""
for d in "$ROOT"/labs/[0-9][0-9]-*/; do
    lab=$(basename "$d")
    [ -f "$d/tests/lab.mk" ] || continue
    ls "$d"/tests/test_*.c >/dev/null 2>&1 || continue
    if [ -n "$want" ]; then
        hit=0
        for w in $want; do
            case $w in [0-9]) w=0$w ;; esac
            case $w in "$lab"|"${lab%%-*}") hit=1 ;; esac
        done
        [ $hit = 1 ] || continue
    fi
    LABS="$LABS $lab"
done
LABS=${LABS# }
[ -n "$LABS" ] || die 2 "no lab matches LAB=${LAB:-} (labs with tests: $(cd "$ROOT/labs" && ls -d [0-9][0-9]-*/tests 2>/dev/null | cut -d/ -f1 | tr '\n' ' '))"

if [ $mode = stage ]; then
    FILES_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-stage.XXXXXX")
    for lab in $LABS; do
        make -s -f "$ROOT/grader/build.mk" LAB_DIR="$ROOT/labs/$lab" \
            print-student-files | tr ' ' '\n' | grep . >"$FILES_DIR/$lab"
    done
    mkdir -p "$OUT"
    stage "$SUBS" "$OUT"
    rc=$?
    rm -rf "$FILES_DIR"
    cat "$OUT/staged" "$OUT/notes"
    exit $rc
fi

"$ROOT/grader/doctor.sh" --quiet || exit 3

mkdir -p "$OUT" || die 2 "cannot create OUT=$OUT"
OUT=$(cd "$OUT" && pwd)
SUBS_ABS=$(cd "$(dirname "$SUBS")" && pwd)/$(basename "$SUBS")
case $OUT/ in
"$SUBS_ABS"/*) [ $mode = batch ] && die 2 "OUT=$OUT is inside SUBMISSIONS: it would be graded as a submission" ;;
esac
case $SUBS_ABS/ in
"$OUT"/submissions/*) die 2 "SUBMISSIONS=$SUBS is inside OUT/submissions, which the batch rewrites" ;;
esac

BATCH_JOBS=${BATCH_JOBS:-$(nproc 2>/dev/null || echo 2)}
GRADE_JOBS=${GRADE_JOBS:-1}
LAB_BOUND=${LAB_BOUND:-150}
nlabs=$(echo $LABS | wc -w)
SUB_BOUND=${SUB_BOUND:-$((nlabs * (LAB_BOUND + 60)))}
BATCH_PIDS=${BATCH_PIDS:-256}
BATCH_USER=${BATCH_USER:-auto}
LEAKCHECK=${LEAKCHECK:-1}
# SANDBOX=uid|none is passed on to every grading (grade.sh), as where
# namespaces are refused.
FORCED_SANDBOX=${SANDBOX:-}
for v in BATCH_JOBS GRADE_JOBS LAB_BOUND SUB_BOUND BATCH_PIDS; do
    val=""
    eval "val=\$$v"
    case $val in ''|*[!0-9]*|0) die 2 "$v=$val: a positive whole number is needed" ;; esac
done

# The work folder: not under /tmp, since each grading's sandbox mounts a
# /tmp of its own over it (grader/sandbox.sh).
base=${BATCH_WORK:-$ROOT/build/batch}
case $base/ in /tmp/*) base=/var/tmp/ipclab-batch ;; esac
mkdir -p "$base" && chmod 711 "$base" || die 5 "cannot create $base"
W=$(mktemp -d "$base/XXXXXXXX") || die 5 "cannot create a folder in $base"
BATCH_ID=${W##*/}
chmod 711 "$W"
started=$(date +%s)

cleanup() {
    # Interrupted: no worker starts another grading, every grading still
    # running gets TERM through its timeout, then its cgroup is emptied.
    for f in "$W"/worker.*.pid; do
        [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
    done
    for f in "$W"/slot.*.pid; do
        [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
    done
    [ -n "$CG_PARENTS" ] && sleep 1
    cg_fini
    if [ "${BATCH_KEEP:-0}" = 1 ]; then
        say "work folders kept in $W"
    else
        rm -rf "$W"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A snapshot of the suite: the grader, the labs' tests and headers, the
# built tools and test objects. Every grading gets a fresh copy of it, so
# nothing a submission does to its copy reaches another grading, and an
# edit of the repository during the batch changes nothing.
S=$W/suite
mkdir -p "$S/labs" "$S/build"
(cd "$ROOT" && tar cf - config.mk grader) | (cd "$S" && tar xf -) ||
    die 5 "cannot copy the grader"
rm -rf "$S/grader/instructor/gradescope"
# The grader's cache (harness, test objects) as it is: make rebuilds
# whatever in it is out of date.
for d in build/tools build/cache/harness $(for lab in $LABS; do echo build/cache/$lab; done); do
    [ -d "$ROOT/$d" ] && (cd "$ROOT" && tar cf - "$d") | (cd "$S" && tar xf -)
done
FILES_DIR=$W/files
mkdir -p "$FILES_DIR"
ok_labs=""
for lab in $LABS; do
    (cd "$ROOT/labs" && tar cf - "$lab") | (cd "$S/labs" && tar xf -) ||
        die 5 "cannot copy lab $lab"
    if ! make -s -f "$S/grader/build.mk" LAB_DIR="$S/labs/$lab" \
            OUT="$W/prebuild/$lab" test-objs >"$W/prebuild.$lab.log" 2>&1; then
        say "lab $lab: its tests do not compile; left out of this batch:"
        head -n 5 "$W/prebuild.$lab.log" >&2
        rm -rf "$S/labs/$lab"
        continue
    fi
    make -s -f "$S/grader/build.mk" LAB_DIR="$S/labs/$lab" print-student-files |
        tr ' ' '\n' | grep . >"$FILES_DIR/$lab"
    ok_labs="$ok_labs $lab"
done
LABS=${ok_labs# }
[ -n "$LABS" ] || die 5 "no lab of this batch has tests that compile"
make -s -f "$S/grader/tools.mk" >"$W/tools.log" 2>&1 &&
make -s -f "$S/grader/harness.mk" OUT="$S/build/cache/harness" >>"$W/tools.log" 2>&1 ||
    die 5 "cannot build the grader: $(head -c 600 "$W/tools.log")"
TOOLS=$S/build/tools
SANDBOX=${FORCED_SANDBOX:-$("$S/grader/sandbox.sh" detect)}

# Whose rights the student's code has: an unprivileged user id per slot
# (grade.sh runs it under GRADER_UID), so that it can write neither the
# suite, the snapshot, the grader's records nor another slot's files, and
# RLIMIT_NPROC bounds its processes. The grader itself stays root.
run_as=root
# Ids of no account, apart for each batch running at once.
UID_BASE=$((100000 + ($$ % 50000) * 64))
[ "$BATCH_JOBS" -le 63 ] || BATCH_JOBS=63
if [ "$(id -u)" = 0 ] && [ "$BATCH_USER" = auto ] && command -v setpriv >/dev/null 2>&1; then
    run_as=uid
fi
cg_init

# The submissions: one per entry, in name order.
: >"$W/list"
idx=0
add_entry() {  # PATH NAME
    idx=$((idx + 1))
    mkdir -p "$W/sub/$idx"
    printf '%s' "$1" >"$W/sub/$idx/path"
    printf '%s' "$2" >"$W/sub/$idx/name"
    # Names as shown: no control characters, no tab.
    shown=$(printf '%s' "$2" | tr '\000-\037\177' '?')
    printf '%s\t%s\n' "$shown" "$idx" >>"$W/list"
}
if [ $mode = single ]; then
    name=$(basename "$SUBS")
    name=${name%.tar.gz}
    name=${name%.tgz}
    case $name in ""|.|..) name=submission ;; esac
    add_entry "$SUBS_ABS" "$name"
else
    for e in "$SUBS_ABS"/* "$SUBS_ABS"/.[!.]*; do
        [ -e "$e" ] || [ -h "$e" ] || continue
        name=${e##*/}
        case $name in .*) continue ;; esac
        case $name in
        *.tar.gz) name=${name%.tar.gz} ;;
        *.tgz) name=${name%.tgz} ;;
        esac
        add_entry "$e" "$name"
    done
fi
# Two entries with one name (alice/ and alice.tar.gz): each keeps its
# full entry name.
dups=$(cut -f1 "$W/list" | sort | uniq -d)
if [ -n "$dups" ]; then
    : >"$W/list.new"
    while IFS="$tab" read -r shown i; do
        if echo "$dups" | grep -qxF -- "$shown"; then
            full=$(basename "$(cat "$W/sub/$i/path")")
            printf '%s' "$full" >"$W/sub/$i/name"
            shown=$(printf '%s' "$full" | tr '\000-\037\177' '?')
        fi
        printf '%s\t%s\n' "$shown" "$i" >>"$W/list.new"
    done <"$W/list"
    mv "$W/list.new" "$W/list"
fi
sort -t "$tab" -k1,1 "$W/list" >"$W/order"
total=$idx
[ "$total" -gt 0 ] || say "warning: $SUBS holds no submission"

# OUT/submissions is the batch's own: a rerun starts it afresh.
rm -rf "$OUT/submissions"
# So is what make similarity added from another set of submissions.
[ $mode = batch ] && rm -rf "$OUT/similarity" "$OUT/similarity.csv" "$OUT/similarity-threshold"
mkdir -p "$OUT/submissions"
: >"$OUT/batch.log"
log() { echo "$*" >>"$OUT/batch.log"; [ $mode = single ] || echo "$*"; }
log "batch: $total submissions, labs $LABS, $BATCH_JOBS at once (JOBS=$GRADE_JOBS each)," \
    "bound $SUB_BOUND s per submission, sandbox $SANDBOX, as $run_as, cgroup $CG_MODE" \
    "(pids.max $BATCH_PIDS)"

# ---------------------------------------------------------------------
# One submission: stage it, grade a fresh copy of the suite on it inside
# its limits, collect results.json, summary, log and the gradebook row.
grade_one() {  # IDX SLOT
    i=$1
    slot=$2
    D=$W/sub/$i
    name=$(cat "$D/name")
    t0=$(date +%s)
    mkdir -p "$D/out"
    : >"$D/labs.tsv"
    : >"$D/out/log.txt"
    uid=""
    if stage "$(cat "$D/path")" "$D"; then
        mkdir -p "$D/home"
        (cd "$W" && tar cf - suite) | (cd "$D" && tar xf -)
        limits="prlimit --nofile=1024 --fsize=67108864 --cpu=600 --core=0"
        if [ $run_as = uid ]; then
            uid=$((UID_BASE + slot))
            # RLIMIT_NPROC counts the id's processes: the bound where no
            # cgroup is, a backstop above the cgroup's own where one is.
            # The grader, root, is not bound by it; the student's id is.
            if [ $CG_MODE = none ]; then
                limits="$limits --nproc=$BATCH_PIDS"
            else
                limits="$limits --nproc=$((BATCH_PIDS + 64))"
            fi
        fi
        for lab in $LABS; do
            [ -d "$D/stage/$lab" ] || continue
            grade_lab "$lab"
        done
    fi
    secs=$(($(date +%s) - t0))
    make_row
    collect
    [ "${BATCH_KEEP:-0}" = 1 ] || rm -rf "${D:?}/suite" "${D:?}/stage" "${D:?}/unpacked" "${D:?}/home"
    log "[$(($(ls "$W/done" | wc -l) + 1))/$total] $name: $sum/$((100 * nlabs)) $status ($secs s)"
}

# One lab of one submission: grade.sh in a cgroup of its own, within its
# limits and its wall-clock bound; a lab that hangs or forks without end
# costs that lab only. Appends "LAB rc peak limit-hits" to labs.tsv.
grade_lab() {  # LAB
    left=$((SUB_BOUND - ($(date +%s) - t0)))
    if [ $left -le 0 ]; then
        echo "$1 bound - 0" >>"$D/labs.tsv"
        return
    fi
    bound=$((LAB_BOUND + 60))
    [ $bound -le $left ] || bound=$left
    key=sub$i.$1
    joined=""
    if [ $CG_MODE != none ] && cg_make "$key"; then
        joined=$(cg_dirs "$key" | sed 's|$|/cgroup.procs|' | tr '\n' ' ')
    fi
    echo "=== $1" >>"$D/out/log.txt"
    # The run directories of this slot's gradings, where the student's id
    # can reach them (grade.sh puts them under GRADER_RUN_BASE).
    run_base=/tmp/ipclab-batch.$$.$slot
    mkdir -p "$run_base" && chmod 755 "$run_base"
    # shellcheck disable=SC2086
    timeout -k 10 "$bound" sh -c '
        for f in $1; do echo $$ >"$f" || exit 5; done
        shift
        exec "$@"' confine "$joined" \
        $limits -- \
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            HOME="$D/home" LC_ALL=C NO_COLOR=1 IPCLAB_BATCH="$BATCH_ID" \
            ${uid:+GRADER_UID=$uid} GRADER_RUN_BASE="$run_base" \
            ${FORCED_SANDBOX:+SANDBOX=$FORCED_SANDBOX} \
            LAB="$1" SRC="$D/stage" RESULTS="$D/out/$1.json" \
            SUMMARY="$D/out/$1.sum" JOBS="$GRADE_JOBS" \
            LEAKCHECK="$LEAKCHECK" LAB_BOUND="$LAB_BOUND" \
            "$D/suite/grader/grade.sh" >>"$D/out/log.txt" 2>&1 </dev/null &
    echo $! >"$W/slot.$slot.pid"
    wait $!
    rc=$?
    rm -f "$W/slot.$slot.pid"
    peak=-
    hits=0
    if [ -n "$joined" ]; then
        first=$(cg_dirs "$key" | head -n 1)
        peak=$(cat "$first/pids.peak" 2>/dev/null || echo -)
        hits=$(awk '$1 == "max" { print $2 }' "$first/pids.events" 2>/dev/null)
        cg_kill "$key"
    fi
    # Without a cgroup, an id of its own still finds every process the
    # grading left: kill(-1) as that id reaches only its own.
    [ -n "$uid" ] && "$TOOLS/ipctool" reap-uid "$uid" >/dev/null 2>&1
    [ -n "$uid" ] && "$TOOLS/ipctool" sweep-uid "$uid" >/dev/null 2>&1
    # A grading killed at its bound never ran its own cleanup: sweep its
    # names and reap its processes here.
    for run in "$D"/suite/build/runs/*/ "$run_base"/*/; do
        [ -d "$run" ] || continue
        for names in "$run"*/w/names; do
            [ -f "$names" ] && "$TOOLS/ipctool" sweep "$names" >/dev/null 2>&1
        done
        "$TOOLS/ipctool" reap "$(basename "$run")" >/dev/null 2>&1
        rm -rf "$run"
    done
    rm -rf "$run_base"
    echo "$1 $rc $peak ${hits:-0} $bound" >>"$D/labs.tsv"
}

# The gradebook row: a score per lab, the total, status and reason.
rank() {
    case $1 in malformed) echo 7 ;; grader-error) echo 6 ;;
    too-many-processes) echo 5 ;; timeout) echo 4 ;; compile-error) echo 3 ;;
    incomplete) echo 2 ;; *) echo 1 ;; esac
}
set_status() { [ "$(rank "$1")" -gt "$(rank "$status")" ] && status=$1; }
add_reason() { reason="${reason:+$reason; }$*"; }
make_row() {
    status=ok
    reason=""
    staged=$(cat "$D/staged" 2>/dev/null || echo "malformed: cannot be read")
    case $staged in
    malformed*) set_status malformed; add_reason "${staged#malformed: }" ;;
    esac
    row=""
    sum=0
    : >"$D/out/extra.tests"
    for lab in $LABS; do
        score=0
        line=$(grep "^$lab " "$D/labs.tsv")
        if [ -z "$line" ]; then
            [ "$staged" = ok ] && { set_status incomplete; add_reason "$lab: not submitted"; }
        else
            # shellcheck disable=SC2086
            set -- $line
            lrc=$2
            hits=$4
            lbound=${5:-0}
            sl=$(grep "^lab $lab " "$D/out/$lab.sum" 2>/dev/null)
            lstate=none
            if [ -n "$sl" ]; then
                # shellcheck disable=SC2086
                set -- $sl
                score=$3
                lstate=$5
            fi
            if [ "$hits" != 0 ]; then
                set_status too-many-processes
                add_reason "$lab: reached $BATCH_PIDS processes at once (a fork without end?)"
            fi
            case $lrc in
            0|1) ;;
            bound) set_status timeout
                   add_reason "$lab: not graded, SUB_BOUND=$SUB_BOUND s was spent" ;;
            124|137) set_status timeout
                     add_reason "$lab: stopped after $lbound s (the code hangs?)" ;;
            *) if [ "$hits" = 0 ]; then
                   set_status grader-error
                   add_reason "$lab: grade.sh exit $lrc $(grep '^grade: ' "$D/out/log.txt" | tail -n 1 | cut -c1-160)"
               fi ;;
            esac
            case $lstate in
            built|none) ;;
            compile-error)
                set_status compile-error
                first=$(grep -m 1 'error' "$D/out/log.txt" | tr -d '\r' |
                    sed -e 's/^ *//' -e "s|$D/stage/||g" | cut -c1-160)
                add_reason "$lab: does not compile${first:+ ($first)}" ;;
            missing-files)
                set_status incomplete
                miss=""
                for f in $(cat "$FILES_DIR/$lab"); do
                    [ -f "$D/stage/$lab/$f" ] || miss="$miss $f"
                done
                add_reason "$lab: missing$miss" ;;
            cut-short)
                set_status timeout
                add_reason "$lab: cut short after LAB_BOUND=$LAB_BOUND s (the code hangs?)" ;;
            runner-killed)
                set_status incomplete
                add_reason "$lab: the code killed the test runner (kill(-1, ...)? a fork loop?)" ;;
            *) set_status grader-error; add_reason "$lab: $lstate" ;;
            esac
            if [ ! -s "$D/out/$lab.json" ]; then
                printf '    {"name": "%s: grading", "score": 0, "max_score": 100, "status": "failed", "output": "%s"}\n' \
                    "$lab" "not graded: the grading was stopped (exit $lrc); see the log" \
                    >>"$D/out/extra.tests"
            fi
        fi
        row="$row,$score"
        sum=$((sum + score))
    done
    reason=$(printf '%s' "$reason" | sed 's/ *;/;/g; s/ *$//')
    ignored=$(grep '^ignored: ' "$D/notes" 2>/dev/null | sed 's/^ignored: //' | tr '\n' ';' | sed 's/;$//; s/;/; /g')
    [ -n "$ignored" ] && add_reason "ignored: $ignored"
    # How the code was kept apart (grade.sh's summary), for the record.
    isolation=$(sed -n 's/^isolation //p' "$D"/out/*.sum 2>/dev/null | sort -u | tr '\n' ' ' | sed 's/ $//')
    echo "${isolation:-none-graded}" >"$D/isolation"
    echo "$row,$sum,$((100 * nlabs)),$status" >"$D/row"
    printf '%s' "$reason" >"$D/reason"
}

# One results.json for the submission: a lab's own as it is; several
# labs' tests under one score; a valid file always, even where no
# grading ran.
merge_results() {  # TARGET
    jsons=""
    for lab in $LABS; do
        [ -s "$D/out/$lab.json" ] && jsons="$jsons $D/out/$lab.json"
    done
    set -- $jsons
    if [ $# = 1 ] && [ ! -s "$D/out/extra.tests" ]; then
        cp "$1" "$target"
    elif [ $# -ge 1 ] || [ -s "$D/out/extra.tests" ]; then
        awk -v extra="$D/out/extra.tests" '
            FNR == 1 { intests = 0 }
            /^  "score": -?[0-9]+,$/ { v = $2; sub(/,/, "", v); score += v; next }
            /^  "execution_time": / { v = $2; sub(/,/, "", v); secs += v; next }
            /"grader_status": "error"/ { err = 1 }
            /^  "tests": \[$/ { intests = 1; next }
            intests && /^  \]$/ { intests = 0; next }
            intests && NF { line = $0; sub(/,$/, "", line); tests[++n] = line }
            END {
                while ((getline l < extra) > 0) tests[++n] = l
                printf "{\n  \"score\": %d,\n  \"execution_time\": %.1f,\n", score, secs
                printf "  \"output\": \"Graded by ipc-labs.\",\n"
                printf "  \"extra_data\": {\"grader_status\": \"%s\"},\n", err ? "error" : "ok"
                printf "  \"tests\": ["
                for (k = 1; k <= n; k++) printf "%s\n%s", (k > 1 ? "," : ""), tests[k]
                printf "\n  ]\n}\n"
            }' "$@" >"$target.tmp" && "$TOOLS/jsoncheck" "$target.tmp" 2>/dev/null &&
            mv "$target.tmp" "$target"
    fi
    if [ ! -s "$target" ]; then
        rm -f "$target.tmp"
        msg="$status${reason:+: $reason}"
        [ "$status" = ok ] && msg="nothing was graded: no lab of $LABS in the submission"
        "$TOOLS/report" --grader-error "$msg" --results "$target" 2>/dev/null
    fi
}

# Into OUT/submissions/NAME: results.json, log.txt, summary.txt.
collect() {
    dest=$OUT/submissions/$name
    rm -rf "$dest"
    mkdir -p "$dest"
    target=$dest/results.json
    merge_results
    # The student's paths as they wrote them: NN-slug/file.c, not the
    # batch's staging folder.
    sed -i "s|$D/stage/||g" "$target" "$D/out/log.txt" 2>/dev/null
    cat "$D"/out/*.sum >"$dest/summary.txt" 2>/dev/null || : >"$dest/summary.txt"
    size=$(wc -c <"$D/out/log.txt" 2>/dev/null || echo 0)
    { head -c $MAX_LOG "$D/out/log.txt" 2>/dev/null
      [ "$size" -gt $MAX_LOG ] && echo "[log cut at $MAX_LOG bytes]"
      [ -s "$D/notes" ] && { echo "=== staging"; cat "$D/notes"; }
      echo "=== batch: status $status${reason:+ ($reason)}, $secs s"
      while read -r lab lrc lpeak lhits lbound; do
          refused=""
          [ "$lhits" != 0 ] && refused=" (the limit refused $lhits forks)"
          echo "    $lab: exit $lrc, bound $lbound s, at most $lpeak processes at once$refused"
      done <"$D/labs.tsv"
      if [ "${AUTOLAB:-0}" = 1 ]; then autolab_line "$D/row"; fi
    } >"$dest/log.txt"
}

# Autolab's last line: {"scores": {"01-mq-basics": 100, ...}}
autolab_line() {  # ROWFILE
    IFS=, read -r _ scores <"$1" || true
    printf '{"scores": {'
    sep=""
    for lab in $LABS; do
        printf '%s"%s": %s' "$sep" "$lab" "${scores%%,*}"
        scores=${scores#*,}
        sep=", "
    done
    printf '}}\n'
}

worker() {  # SLOT
    mkdir -p "$W/claim" "$W/done"
    while IFS="$tab" read -r _ i; do
        mkdir "$W/claim/$i" 2>/dev/null || continue
        grade_one "$i" "$1" </dev/null
        mkdir "$W/done/$i"
    done <"$W/order"
}
mkdir -p "$W/claim" "$W/done"
slot=1
while [ $slot -le "$BATCH_JOBS" ] && [ $slot -le "$total" ]; do
    worker $slot &
    echo $! >"$W/worker.$slot.pid"
    slot=$((slot + 1))
done
wait
rm -f "$W"/worker.*.pid

# The gradebook, in name order: a rerun gives the same file.
csv() {  # quotes a field when it needs it
    case $1 in
    *[,\"]*|*"$nl"*) printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')" ;;
    *) printf '%s' "$1" ;;
    esac
}
{
    printf 'submission'
    for lab in $LABS; do printf ',%s' "$lab"; done
    printf ',total,max,status,reason,isolation\n'
    while IFS="$tab" read -r shown i; do
        if [ ! -f "$W/sub/$i/row" ]; then
            echo "$(for lab in $LABS; do printf ',0'; done),0,$((100 * nlabs)),grader-error" >"$W/sub/$i/row"
            printf 'the batch stopped before grading it' >"$W/sub/$i/reason"
        fi
        csv "$shown"
        printf '%s,' "$(cat "$W/sub/$i/row")"
        csv "$(cat "$W/sub/$i/reason")"
        printf ',%s\n' "$(cat "$W/sub/$i/isolation" 2>/dev/null || echo none-graded)"
    done <"$W/order"
} >"$OUT/gradebook.csv.tmp" && mv "$OUT/gradebook.csv.tmp" "$OUT/gradebook.csv" ||
    die 5 "cannot write $OUT/gradebook.csv"
log "gradebook: $OUT/gradebook.csv ($total submissions, $(($(date +%s) - started)) s)"
# The class report (grader/instructor/classreport.c): the gradebook and
# the results as figures, for the instructor. It only reads what the
# batch wrote: if it fails, the gradebook stands and the exit status too.
if [ $mode = batch ]; then
    t_report=$(date +%s%N)
    if make -s -f "$S/grader/instructor/tools.mk" OUT="$TOOLS" "$TOOLS/classreport" \
            >"$W/report.log" 2>&1 &&
       "$TOOLS/classreport" "$OUT" "${CLASSREPORT_NOTES:-file://$ROOT/notes}" \
            >>"$W/report.log" 2>&1; then
        log "report: $OUT/report.html and $OUT/report.md ($((($(date +%s%N) - t_report) / 1000000)) ms)"
    else
        say "warning: no class report: $(head -c 600 "$W/report.log")"
    fi
fi
if [ $mode = single ] && [ "${AUTOLAB:-0}" = 1 ] && [ "$total" = 1 ]; then
    autolab_line "$W/sub/1/row"
fi
exit 0
