/* test_faults.c - lab 06: every documented error, and every step that
 * can fail, made to fail on purpose.
 *
 * The grader makes one call of the student's code fail at a time (see
 * grader/harness/lab_fault.h): the Nth malloc, shm_open, ftruncate,
 * fstat, mmap, munmap or close, for every N the operation makes in a
 * clean run. Nothing here assumes which calls a solution makes, how many,
 * or in what order: only what the spec promises for any failing call
 * (NULL or -1, errno as that call left it, nothing left behind). */
#include "lab_test.h"
#include "shm_size.h"

#include "lab_evidence.h"
#include "lab_fault.h"
#include "support.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTE(anchor) "06-shm-ftruncate.md#" anchor
#define PAGE 4096
#define SWEEP_LEN 10000   /* more than two pages, no multiple of a page */

static struct ev_snapshot snap;

/* The byte at offset I of the test's objects. */
static char pattern(size_t i)
{
    return (char)('A' + i % 23);
}

/* Makes NAME an object of SIZE bytes holding the pattern, with the
 * test's own calls. */
static void make_object(const char *name, size_t size)
{
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    cr_assert(fd != -1 && ftruncate(fd, (off_t)size) == 0,
              "grader: cannot make %s: %s", name, strerror(errno));
    static char buf[SWEEP_LEN];
    for (size_t i = 0; i < size; i++)
        buf[i] = pattern(i);
    cr_assert(pwrite(fd, buf, size, 0) == (ssize_t)size && close(fd) == 0,
              "grader: pwrite failed: %s", strerror(errno));
}

/* The size of NAME as the test sees it, or -1 if it does not exist. */
static long long size_by_name(const char *name)
{
    int fd = shm_open(name, O_RDONLY, 0);
    if (fd == -1)
        return -1;
    struct stat st;
    long long size = fstat(fd, &st) == 0 ? (long long)st.st_size : -1;
    close(fd);
    return size;
}

/* ---- the sweep -------------------------------------------------------- */

struct kind {
    enum lab_fault_call call;
    int err;               /* what the injected failure reports */
    int may_be_ignored;    /* close, munmap: the resource is gone anyway */
};

static const struct kind kinds[] = {
    {LAB_FAULT_MALLOC, ENOMEM, 0},   {LAB_FAULT_CALLOC, ENOMEM, 0},
    {LAB_FAULT_REALLOC, ENOMEM, 0},  {LAB_FAULT_SHM_OPEN, EMFILE, 0},
    {LAB_FAULT_FTRUNCATE, EFBIG, 0}, {LAB_FAULT_FSTAT, EBADF, 0},
    {LAB_FAULT_MMAP, ENOMEM, 0},     {LAB_FAULT_CLOSE, EINTR, 1},
    {LAB_FAULT_MUNMAP, EINVAL, 1},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* One operation under the sweep. */
struct op {
    const char *text;      /* how it is called, with %s for the name */
    int creates;           /* 1: it creates NAME; 0: NAME is the test's */
    size_t size;           /* the object's size (the test's, or to create) */
    int takes_fd;          /* 1: it works on a descriptor the test opened */
    /* Runs it; the result is a view, a buffer, or NULL. */
    void *(*run)(const char *name, int fd, size_t *len);
    /* "" if a result is what it must be, else what is wrong with it. */
    const char *(*check)(void *result, size_t len, size_t size);
    void (*release)(void *result);
    const char *note;
};

/* "1st", "2nd", ... */
static const char *ordinal(unsigned n)
{
    const char *sfx = n % 100 - n % 10 == 10 ? "th"
                      : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd"
                      : n % 10 == 3 ? "rd" : "th";
    return lab_fmt("%u%s", n, sfx);
}

struct holdings {
    unsigned blocks;
    int fds;
};

/* Set by run_once: the operation closed the descriptor the test gave it. */
static int caller_fd_closed;

/* The mappings before a call: only one the call made counts as left. */
static struct ev_snapshot snap_before;

static struct holdings holdings_now(void)
{
    ev_take(&snap_before);
    return (struct holdings){lab_fault_live_blocks(), lab_open_fd_count()};
}

/* A mapping of NAME now that was not there at the last holdings_now. */
static const struct ev_map *new_mapping(const char *name)
{
    ev_take(&snap);
    for (int i = 0; i < snap.nmaps; i++)
        if (ev_is_shm(snap.maps[i].path, name) &&
            !ev_had_map(&snap_before, &snap.maps[i]))
            return &snap.maps[i];
    return NULL;
}

/* After a failed call, fails unless errno is the injected one and nothing
 * was left: memory, descriptor, mapping (unless MAPPING_UNKNOWN: a failed
 * munmap leaves its mapping), and the name as NAME_RULE says (0: gone, it
 * was this call's; 1: still there with its size; -1: not checked). */
static void assert_released(const struct op *op, const char *call,
                            const char *what, const char *name, void *result,
                            int err, int want, struct holdings before,
                            int mapping_unknown, int name_rule)
{
    const char *note = op->note;
    lab_assert(result == NULL && err == want, note,
               "%s, when %s\n  expected: NULL with errno %s (errno as the "
               "failing call left it)\n  got:      %s\n  likely:   %s", call,
               what, lab_errno_name(want),
               result ? "a result" : lab_fmt("NULL with errno %s", lab_errno_name(err)),
               result ? "the failure was not noticed: is every call's result "
                        "checked?"
                      : "errno was overwritten by a cleanup call (close, "
                        "shm_unlink, munmap, free); save it before cleaning "
                        "up and restore it after");
    /* not holdings_now(): that would replace the snapshot from before */
    struct holdings now = {lab_fault_live_blocks(), lab_open_fd_count()};
    lab_assert(now.blocks == before.blocks, note,
               "%s, when %s\n  expected: the memory it took freed again\n  "
               "got:      %u block(s) still allocated\n  likely:   the error "
               "path returns without free", call, what,
               now.blocks - before.blocks);
    lab_assert(!caller_fd_closed, note,
               "%s, when %s\n  expected: the caller's descriptor still open\n"
               "  got:      it was closed\n  likely:   the error path closes a "
               "descriptor that belongs to the caller", call, what);
    lab_assert(now.fds == before.fds, note,
               "%s, when %s\n  expected: no descriptor left open\n  got:      "
               "%d more open than before\n  likely:   the error path returns "
               "without close", call, what, now.fds - before.fds);
    if (!mapping_unknown) {
        const struct ev_map *m = new_mapping(name);
        lab_assert(m == NULL, note,
                   "%s, when %s\n  expected: no mapping of /dev/shm%s left\n"
                   "  got:      %lx-%lx %s\n  likely:   the error path returns"
                   " without munmap", call, what, name, m ? m->lo : 0UL,
                   m ? m->hi : 0UL, m ? m->perms : "");
    }
    if (name_rule == 0)
        lab_assert(!lab_shm_exists(name), note,
                   "%s, when %s\n  expected: the object this call created "
                   "removed again\n  got:      /dev/shm%s is still there\n  "
                   "likely:   no shm_unlink on this error path", call, what, name);
    if (name_rule == 1)
        lab_assert(size_by_name(name) == (long long)op->size, note,
                   "%s, when %s\n  expected: the object, which this call did "
                   "not create, still there with its %zu bytes\n  got:      %s"
                   "\n  likely:   %s", call, what, op->size,
                   lab_shm_exists(name) ? lab_fmt("%lld bytes", size_by_name(name))
                                        : "it is gone",
                   lab_shm_exists(name) ? "O_TRUNC, or a size set on a path "
                                          "that should only have opened it"
                                        : "shm_unlink on a path where this "
                                          "call never created the object");
}

/* Runs OP once on NAME (and a descriptor of the test's, if it takes one);
 * *ERR gets errno. Everything the test opened is closed again. */
static void *run_once(const struct op *op, const char *name, size_t *len,
                      int *err, struct holdings *before)
{
    int fd = -1;
    if (op->takes_fd) {
        fd = shm_open(name, O_RDWR, 0);
        cr_assert(fd != -1, "grader: shm_open failed: %s", strerror(errno));
    }
    if (before != NULL)
        *before = holdings_now();
    *len = 0;
    errno = 0;
    void *r = op->run(name, fd, len);
    *err = errno;
    caller_fd_closed = 0;
    if (fd != -1) {
        caller_fd_closed = fcntl(fd, F_GETFD) == -1;
        close(fd);
        if (before != NULL)
            before->fds--;  /* the test's own, closed by the test */
    }
    return r;
}

/* The test's own cleanup after a run: the result released, whatever the
 * run created removed. */
static void tidy(const struct op *op, const char *name, void *r)
{
    if (r != NULL)
        op->release(r);
    if (op->creates)
        shm_unlink(name);
}

/* The clean-up calls made to fail as well, in the later passes: every
 * close and shm_unlink; then every munmap alone (a failed close makes
 * most solutions undo before they get far, so munmap gets a pass of its
 * own: a view released after a later step failed). */
static const char *const cleanup_text[] = {
    "every close and shm_unlink failed too",
    "every munmap failed too",
};
#define NCLEANUPS (sizeof cleanup_text / sizeof cleanup_text[0])

static void fail_cleanup_too(size_t which)
{
    if (which == 0) {
        lab_fault_fail(LAB_FAULT_CLOSE, 1, EINTR, LAB_FAULT_FROM_ON);
        lab_fault_fail(LAB_FAULT_SHM_UNLINK, 1, EACCES, LAB_FAULT_FROM_ON);
    } else {
        lab_fault_fail(LAB_FAULT_MUNMAP, 1, EINVAL, LAB_FAULT_FROM_ON);
    }
}

static void *run_create_writer(const char *name, int fd, size_t *len);

/* For each kind of call: counts how many OP makes, then makes the 1st,
 * the 2nd, ... fail, one per run. Later passes make every close and
 * shm_unlink, then every munmap, fail as well, in the runs where OP
 * reaches the Nth call even so: errno must still be the first failure's. */
static void sweep(const struct op *op)
{
    const char *name = lab_name("sweep");
    char call[300], what[300];
    snprintf(call, sizeof call, op->text, name);
    if (!op->creates)
        make_object(name, op->size);
    for (size_t k = 0; k < NKINDS; k++) {
        size_t len;
        int err;
        lab_fault_reset();
        void *r = run_once(op, name, &len, &err, NULL);
        unsigned n = lab_fault_calls(kinds[k].call);
        const char *wrong = r ? op->check(r, len, op->size) : "";
        if (r == NULL && op->run == run_create_writer)
            writer_failed(call, err);  /* says so if it maps first */
        lab_assert(r != NULL && wrong[0] == '\0', op->note,
                   "%s\n  expected: success\n  got:      %s", call,
                   r ? wrong : lab_fmt("NULL with errno %s", lab_errno_name(err)));
        tidy(op, name, r);

        unsigned reach[NCLEANUPS] = {0};
        for (size_t c = 0; c < NCLEANUPS && !kinds[k].may_be_ignored; c++) {
            lab_fault_reset();
            fail_cleanup_too(c);
            r = run_once(op, name, &len, &err, NULL);
            reach[c] = lab_fault_calls(kinds[k].call);
            lab_fault_reset();
            tidy(op, name, r);
        }

        for (unsigned i = 1; i <= n; i++) {
            struct holdings before;
            lab_fault_reset();
            lab_fault_fail(kinds[k].call, i, kinds[k].err, LAB_FAULT_ONCE);
            r = run_once(op, name, &len, &err, &before);
            snprintf(what, sizeof what, "%s", lab_fault_describe());
            lab_fault_reset();
            if (kinds[k].may_be_ignored && r != NULL) {
                /* Ignoring a failed close or munmap is allowed: then the
                 * result must be right. */
                wrong = op->check(r, len, op->size);
                lab_assert(wrong[0] == '\0', op->note, "%s, when %s, "
                           "succeeded anyway\n  expected: then a right result"
                           "\n  got:      %s", call, what, wrong);
                tidy(op, name, r);
                continue;
            }
            assert_released(op, call, what, name, r, err, kinds[k].err, before,
                            kinds[k].call == LAB_FAULT_MUNMAP,
                            op->creates ? 0 : 1);
            tidy(op, name, r);
        }

        for (size_t c = 0; c < NCLEANUPS; c++)
            for (unsigned i = 1; i <= n && i <= reach[c]; i++) {
                struct holdings before;
                lab_fault_reset();
                lab_fault_fail(kinds[k].call, i, kinds[k].err, LAB_FAULT_ONCE);
                fail_cleanup_too(c);
                r = run_once(op, name, &len, &err, &before);
                lab_fault_reset();
                snprintf(what, sizeof what, "the %s %s failed with %s, and %s "
                         "(all injected by the grader)", ordinal(i),
                         lab_fault_name(kinds[k].call),
                         lab_errno_name(kinds[k].err), cleanup_text[c]);
                /* A failed shm_unlink leaves the name, a failed munmap its
                 * mapping: neither is checked here. */
                assert_released(op, call, what, name, r, err, kinds[k].err,
                                 before, c == 1, op->creates ? -1 : 1);
                tidy(op, name, r);
            }
    }
    lab_fault_reset();
}

/* ---- the operations ----------------------------------------------------- */

static const char *check_view(void *result, size_t len, size_t size)
{
    (void)len;
    struct shm_view *v = result;
    if (v->len != size)
        return lab_fmt("a view of %zu bytes, not %zu", v->len, size);
    ev_take(&snap);
    if (ev_map_at(&snap, v->addr) == NULL)
        return "a view whose address is not mapped";
    return "";
}

/* A view of the test's object: its contents too. */
static const char *check_their_view(void *result, size_t len, size_t size)
{
    const char *wrong = check_view(result, len, size);
    if (wrong[0] != '\0')
        return wrong;
    const char *bytes = ((struct shm_view *)result)->addr;
    for (size_t i = 0; i < size; i++)
        if (bytes[i] != pattern(i))
            return lab_fmt("a view whose byte %zu is wrong", i);
    return "";
}

static void release_view(void *result)
{
    struct shm_view *v = result;
    void *addr = v->addr;
    size_t len = v->len;
    shm_view_release(v);
    munmap(addr, len);  /* in case a failure left it mapped */
}

static const char *check_copy(void *result, size_t len, size_t size)
{
    const char *text = result;
    if (len != size)
        return lab_fmt("*len %zu, not %zu", len, size);
    for (size_t i = 0; i < size; i++)
        if (text[i] != pattern(i))
            return lab_fmt("a copy whose byte %zu is wrong", i);
    if (text[size] != '\0')
        return "a copy without its final '\\0'";
    return "";
}

static void release_copy(void *result)
{
    free(result);
}

static void *run_map_whole(const char *name, int fd, size_t *len)
{
    (void)name;
    (void)len;
    return shm_map_whole(fd, PROT_READ | PROT_WRITE);
}

static void *run_create_writer(const char *name, int fd, size_t *len)
{
    (void)fd;
    (void)len;
    return shm_create_writer(name, SWEEP_LEN);
}

static void *run_open_writer(const char *name, int fd, size_t *len)
{
    (void)fd;
    (void)len;
    return shm_open_writer(name);
}

static void *run_open_reader(const char *name, int fd, size_t *len)
{
    (void)fd;
    (void)len;
    return shm_open_reader(name);
}

static void *run_read_all(const char *name, int fd, size_t *len)
{
    (void)fd;
    return shm_read_all(name, len);
}

LAB_TEST(size, map_whole_undoes_a_failed_step, 5)
{
    static const struct op op = {
        "shm_map_whole(fd, PROT_READ | PROT_WRITE), fd open O_RDWR on a "
        "10000-byte object (%s)", 0, SWEEP_LEN, 1, run_map_whole,
        check_their_view, release_view, NOTE("mapping-exactly-what-exists")};
    sweep(&op);

    /* The two small ones: their errno is the failing call's. */
    const char *name = lab_name("small");
    make_object(name, PAGE);
    int fd = shm_open(name, O_RDWR, 0);
    cr_assert(fd != -1, "grader: shm_open failed");
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_FSTAT, 1, EBADF, LAB_FAULT_FROM_ON);
    errno = 0;
    lab_assert_fails_with(shm_object_size(fd), EBADF,
                          NOTE("learning-the-size-with-fstat"),
                          "shm_object_size(fd), when %s", lab_fault_describe());
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_FTRUNCATE, 1, EFBIG, LAB_FAULT_FROM_ON);
    errno = 0;
    lab_assert_fails_with(shm_set_size(fd, 2 * PAGE), EFBIG,
                          NOTE("growing-and-shrinking"),
                          "shm_set_size(fd, %d), when %s", 2 * PAGE,
                          lab_fault_describe());
    lab_fault_reset();
    close(fd);
}

LAB_TEST(writer, create_writer_undoes_every_failed_step, 7)
{
    static const struct op op = {
        "shm_create_writer(\"%s\", 10000)", 1, SWEEP_LEN, 0, run_create_writer,
        check_view, release_view, NOTE("undoing-a-failed-writer")};
    sweep(&op);
}

LAB_TEST(reader, open_and_read_all_undo_every_failed_step, 7)
{
    static const struct op ops[] = {
        {"shm_open_reader(\"%s\") on a 10000-byte object", 0, SWEEP_LEN, 0,
         run_open_reader, check_their_view, release_view,
         NOTE("closing-what-you-opened")},
        {"shm_open_writer(\"%s\") on a 10000-byte object", 0, SWEEP_LEN, 0,
         run_open_writer, check_their_view, release_view,
         NOTE("closing-what-you-opened")},
        {"shm_read_all(\"%s\", &len) on a 10000-byte object", 0, SWEEP_LEN, 0,
         run_read_all, check_copy, release_copy, NOTE("closing-what-you-opened")},
        {"shm_read_all(\"%s\", &len) on an empty object", 0, 0, 0,
         run_read_all, check_copy, release_copy, NOTE("mapping-zero-bytes")},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        sweep(&ops[i]);
}

LAB_TEST(writer, release_frees_the_view_even_when_munmap_fails, 3)
{
    const char *name = lab_name("unmap");
    unsigned start = lab_fault_live_blocks();
    struct shm_view *v = must_create_writer(name, SWEEP_LEN,
                                            NOTE("growing-and-shrinking"));
    void *addr = v->addr;
    lab_assert(shm_view_release(v) == 0 && lab_fault_live_blocks() == start,
               NOTE("closing-what-you-opened"),
               "shm_create_writer, then shm_view_release\n  expected: 0, and "
               "the view's memory freed\n  got:      %u block(s) still "
               "allocated\n  likely:   free(v) missing in shm_view_release",
               lab_fault_live_blocks() - start);
    ev_take(&snap);
    lab_assert(ev_shm_map(&snap, name) == NULL, NOTE("closing-what-you-opened"),
               "expected: after shm_view_release no page of the %d-byte view "
               "at %p is mapped\n  got:      some still are\n  likely:   "
               "munmap was not given the view's whole length", SWEEP_LEN, addr);

    v = shm_open_writer(name);
    lab_assert(v != NULL, NOTE("truncating-on-open-destroys-the-data"),
               "shm_open_writer(\"%s\")\n  expected: a view\n  got:      NULL "
               "with errno %s", name, lab_errno_name(errno));
    addr = v->addr;
    size_t len = v->len;
    unsigned blocks = lab_fault_live_blocks();
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_MUNMAP, 1, EINVAL, LAB_FAULT_FROM_ON);
    errno = 0;
    int rc = shm_view_release(v);
    int err = errno;
    unsigned now = lab_fault_live_blocks();
    char what[200];
    snprintf(what, sizeof what, "%s", lab_fault_describe());
    lab_fault_reset();
    munmap(addr, len);  /* the injected failure left the mapping */
    lab_assert(rc == -1 && err == EINVAL, NOTE("closing-what-you-opened"),
               "shm_view_release, when %s\n  expected: -1 with errno EINVAL "
               "(munmap's)\n  got:      %d%s\n  likely:   %s", what, rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "",
               rc == -1 ? "errno was overwritten after munmap; save it and "
                          "restore it"
                        : "munmap's result was not returned");
    lab_assert(now + 1 == blocks, NOTE("closing-what-you-opened"),
               "shm_view_release, when %s\n  expected: the view freed all the "
               "same\n  got:      it is still allocated\n  likely:   the error "
               "path returns before free", what);
}

/* ---- the documented errors ------------------------------------------------ */

LAB_TEST(writer, every_documented_error_is_reported, 5)
{
    /* shm_map_whole: PROT_WRITE through a read-only descriptor. */
    const char *name = lab_name("ro");
    make_object(name, PAGE);
    int ro = shm_open(name, O_RDONLY, 0);
    cr_assert(ro != -1, "grader: shm_open failed");
    struct holdings before = holdings_now();
    errno = 0;
    struct shm_view *v = shm_map_whole(ro, PROT_READ | PROT_WRITE);
    int err = errno;
    struct holdings now = holdings_now();
    lab_assert(v == NULL && err == EACCES, NOTE("mapping-exactly-what-exists"),
               "shm_map_whole(fd, PROT_READ | PROT_WRITE) with fd open "
               "O_RDONLY\n  expected: NULL with errno EACCES\n  got:      %s\n"
               "  likely:   %s",
               v ? lab_fmt("a view of %zu bytes", v->len)
                 : lab_fmt("NULL with errno %s", lab_errno_name(err)),
               v ? "MAP_PRIVATE: a private mapping may be written through a "
                   "read-only descriptor; use MAP_SHARED"
                 : "errno was overwritten after mmap failed");
    lab_assert(now.blocks == before.blocks && now.fds == before.fds &&
                   fcntl(ro, F_GETFD) != -1,
               NOTE("mapping-exactly-what-exists"),
               "after shm_map_whole failed with EACCES\n  expected: the view "
               "freed, the caller's descriptor still open\n  got:      %u "
               "block(s) still allocated, descriptor %s", now.blocks - before.blocks,
               fcntl(ro, F_GETFD) != -1 ? "open" : "closed");
    close(ro);

    /* shm_create_writer: a negative size. */
    const char *neg = lab_name("negative");
    before = holdings_now();
    errno = 0;
    v = shm_create_writer(neg, -1);
    err = errno;
    now = holdings_now();
    lab_assert(v == NULL && err == EINVAL, NOTE("undoing-a-failed-writer"),
               "shm_create_writer(\"%s\", -1)\n  expected: NULL with errno "
               "EINVAL (ftruncate refuses a negative size)\n  got:      %s",
               neg, v ? "a view" : lab_fmt("NULL with errno %s", lab_errno_name(err)));
    lab_assert(!lab_shm_exists(neg) && now.fds == before.fds &&
                   now.blocks == before.blocks,
               NOTE("undoing-a-failed-writer"),
               "after shm_create_writer(\"%s\", -1) failed\n  expected: no "
               "name, no descriptor, no memory left\n  got:      %s", neg,
               lab_shm_exists(neg) ? "the object is still there"
               : now.fds != before.fds ? "a descriptor left open"
                                       : "memory not freed");

    /* shm_open_writer: an empty object. */
    const char *empty = lab_name("empty");
    close(shm_open(empty, O_RDWR | O_CREAT | O_EXCL, 0600));
    before = holdings_now();
    errno = 0;
    v = shm_open_writer(empty);
    err = errno;
    now = holdings_now();
    lab_assert(v == NULL && err == EINVAL, NOTE("mapping-zero-bytes"),
               "shm_open_writer on an object of size 0\n  expected: NULL with "
               "errno EINVAL (mmap cannot map 0 bytes)\n  got:      %s",
               v ? lab_fmt("a view of %zu bytes", v->len)
                 : lab_fmt("NULL with errno %s", lab_errno_name(err)));
    lab_assert(size_by_name(empty) == 0 && now.fds == before.fds &&
                   now.blocks == before.blocks,
               NOTE("mapping-zero-bytes"),
               "after shm_open_writer on an empty object failed\n  expected: "
               "the object still there, size 0, no descriptor or memory left"
               "\n  got:      %s",
               size_by_name(empty) != 0
                   ? lab_fmt("the object's size is %lld", size_by_name(empty))
               : now.fds != before.fds ? "a descriptor left open"
                                       : "memory not freed");

    /* shm_read_all with LEN NULL. */
    const char *text = lab_name("text");
    make_object(text, 30);
    errno = 0;
    char *copy = shm_read_all(text, NULL);
    err = errno;
    lab_assert(copy != NULL && check_copy(copy, 30, 30)[0] == '\0',
               NOTE("a-reader-learns-the-size"),
               "shm_read_all(\"%s\", NULL) on a 30-byte object\n  expected: "
               "the copy (LEN may be NULL)\n  got:      %s", text,
               copy ? check_copy(copy, 30, 30)
                    : lab_fmt("NULL with errno %s", lab_errno_name(err)));
    free(copy);
}
