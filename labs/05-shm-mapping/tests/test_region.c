/* test_region.c - lab 05: creating, opening, closing and removing
 * regions, proved from the process's own /proc evidence. */
#include "lab_test.h"
#include "shm_mapping.h"

#include "lab_evidence.h"
#include "lab_fault.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTE(anchor) "05-shm-mapping.md#" anchor

static struct ev_snapshot snap;

static struct shm_region *must_create(const char *name, size_t len)
{
    errno = 0;
    struct shm_region *r = shm_region_create(name, len);
    int err = errno;
    lab_assert(r != NULL, NOTE("creating-and-sizing-an-object"),
               "shm_region_create(\"%s\", %zu)\n  expected: a region\n  got:  "
               "    NULL with errno %s\n  likely:   %s", name, len,
               lab_errno_name(err), lab_errno_hint(err));
    return r;
}

/* Fails the test if a descriptor of the process still refers to NAME. */
static void assert_no_descriptor(const char *name, const char *after,
                                 const char *note)
{
    ev_take(&snap);
    int fd = -1;
    int n = ev_shm_fds(&snap, name, &fd);
    lab_assert(n == 0, note,
               "expected: no descriptor of this process refers to /dev/shm%s "
               "after %s\n  got:      %d still open%s (descriptor %d)\n  "
               "likely:   the descriptor from shm_open was never closed; "
               "once the object is mapped, the mapping keeps it, so close "
               "the descriptor", name, after, n, n == 1 ? "" : ", the first",
               fd);
}

/* The permissions of the mapping at ADDR, or "none". */
static const char *perms_at(const void *addr)
{
    ev_take(&snap);
    const struct ev_map *m = ev_map_at(&snap, addr);
    return m ? lab_fmt("%s", m->perms) : "none";
}

LAB_TEST(region, create_makes_a_new_object_and_closes_its_descriptor, 7)
{
    const char *name = lab_name("create");
    mode_t old = umask(0);  /* the umask would hide the mode asked for */
    struct shm_region *r = must_create(name, 8192);
    umask(old);
    lab_assert(r->addr != NULL && r->addr != MAP_FAILED && r->len == 8192,
               NOTE("creating-and-sizing-an-object"),
               "shm_region_create(\"%s\", 8192)\n  expected: addr set, len "
               "8192\n  got:      addr %p, len %zu", name, r->addr, r->len);
    assert_no_descriptor(name, "shm_region_create returned",
                         NOTE("closing-the-descriptor-once-mapped"));

    int fd = shm_open(name, O_RDONLY, 0);
    lab_assert(fd != -1, NOTE("creating-and-sizing-an-object"),
               "expected: after shm_region_create the object %s exists\n  "
               "got:      shm_open says %s", name, lab_errno_name(errno));
    struct stat st;
    cr_assert(fstat(fd, &st) == 0, "grader: fstat failed");
    lab_assert(st.st_size == 8192, NOTE("creating-and-sizing-an-object"),
               "expected: the object's size is 8192 (fstat)\n  got:      %lld"
               "\n  likely:   ftruncate missing or given another length; a "
               "new object has size 0", (long long)st.st_size);
    lab_assert((st.st_mode & 0777) == SHM_MODE, NOTE("creating-and-sizing-an-object"),
               "expected: permissions 0600 (SHM_MODE)\n  got:      %04o\n  "
               "likely:   the mode argument of shm_open is wrong",
               (unsigned)(st.st_mode & 0777));

    const char *perms = perms_at(r->addr);
    lab_assert(strcmp(perms, "rw-s") == 0, NOTE("shared-and-private-mappings"),
               "expected: the region is mapped rw-s in /proc/self/maps (read,"
               " write, shared)\n  got:      %s\n  likely:   %s", perms,
               perms[0] != 'n' && perms[3] == 'p'
                   ? "MAP_PRIVATE (shown as p); use MAP_SHARED"
                   : "PROT_READ | PROT_WRITE missing");
    char *bytes = r->addr;
    bytes[0] = 'A';
    bytes[8191] = 'Z';  /* the last byte: SIGBUS here means a short object */

    errno = 0;
    struct shm_region *again = shm_region_create(name, 4096);
    int err = errno;
    lab_assert(again == NULL && err == EEXIST, NOTE("creating-and-sizing-an-object"),
               "shm_region_create on a name that already exists\n  expected:"
               " NULL with errno EEXIST\n  got:      %s\n  likely:   O_EXCL "
               "missing: a stale object of an earlier run would be reused",
               again ? "a region" : lab_fmt("NULL with errno %s",
                                            lab_errno_name(err)));
    cr_assert(fstat(fd, &st) == 0, "grader: fstat failed");
    lab_assert(lab_shm_exists(name) && st.st_size == 8192 && bytes[0] == 'A',
               NOTE("undoing-a-failed-create"),
               "after a failed shm_region_create on an existing name\n  "
               "expected: the existing object untouched (name, size 8192, "
               "contents)\n  got:      %s\n  likely:   the error path "
               "removed or truncated an object this call did not create",
               !lab_shm_exists(name) ? "the name was removed"
               : lab_fmt("size %lld, first byte %s", (long long)st.st_size,
                         lab_quote(bytes, 1)));
    close(fd);
    shm_region_close(r);
}

LAB_TEST(region, failed_create_leaves_nothing_behind, 5)
{
    const char *name = lab_name("zero");
    errno = 0;
    struct shm_region *r = shm_region_create(name, 0);
    int err = errno;
    lab_assert(r == NULL && err == EINVAL, NOTE("undoing-a-failed-create"),
               "shm_region_create(\"%s\", 0)\n  expected: NULL with errno "
               "EINVAL (mmap cannot map 0 bytes)\n  got:      %s\n  likely:"
               "   %s", name,
               r == NULL ? lab_fmt("NULL with errno %s", lab_errno_name(err))
               : lab_fmt("a region at %p", r->addr),
               r != NULL && r->addr == MAP_FAILED
                   ? "mmap's result was checked against NULL; it reports "
                     "failure as MAP_FAILED ((void *)-1), which is no address"
                   : "errno was overwritten while cleaning up; save it "
                     "before the cleanup calls and restore it after");
    lab_assert(!lab_shm_exists(name), NOTE("undoing-a-failed-create"),
               "after shm_region_create(\"%s\", 0) failed\n  expected: the "
               "object it created is removed again\n  got:      /dev/shm%s "
               "still exists\n  likely:   no shm_unlink on the path where "
               "mmap failed", name, name);
    assert_no_descriptor(name, "shm_region_create failed",
                         NOTE("undoing-a-failed-create"));
}

LAB_TEST(region, open_maps_an_existing_object_read_only, 6)
{
    const char *missing = lab_name("missing");
    errno = 0;
    struct shm_region *none = shm_region_open(missing, 4096, SHM_READ_ONLY);
    int err = errno;
    lab_assert(none == NULL && err == ENOENT, NOTE("opening-an-existing-object"),
               "shm_region_open(\"%s\", 4096, SHM_READ_ONLY) where no object "
               "exists\n  expected: NULL with errno ENOENT\n  got:      %s",
               missing, none ? "a region"
                             : lab_fmt("NULL with errno %s", lab_errno_name(err)));
    lab_assert(!lab_shm_exists(missing), NOTE("opening-an-existing-object"),
               "expected: opening never creates the object\n  got:      %s "
               "exists now\n  likely:   O_CREAT in the open flags", missing);

    const char *name = lab_name("reader");
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    cr_assert(fd != -1 && ftruncate(fd, 8192) == 0, "grader: setup failed");
    static const char first[] = "page one", second[] = "page two";
    cr_assert(pwrite(fd, first, sizeof first, 0) == sizeof first &&
                  pwrite(fd, second, sizeof second, 5000) == sizeof second,
              "grader: pwrite failed");
    close(fd);

    errno = 0;
    struct shm_region *r = shm_region_open(name, 8192, SHM_READ_ONLY);
    err = errno;
    lab_assert(r != NULL, NOTE("read-only-descriptors-and-write-access"),
               "shm_region_open(\"%s\", 8192, SHM_READ_ONLY)\n  expected: a "
               "region\n  got:      NULL with errno %s\n  likely:   %s", name,
               lab_errno_name(err),
               err == EACCES ? "the object was opened O_RDONLY but mapped "
                               "with PROT_WRITE: a shared mapping cannot be "
                               "more writable than its descriptor"
                             : lab_errno_hint(err));
    const char *bytes = r->addr;
    lab_assert(r->len == 8192 && strcmp(bytes, first) == 0 &&
                   strcmp(bytes + 5000, second) == 0,
               NOTE("opening-an-existing-object"),
               "expected: len 8192 and the object's contents (\"%s\" at 0, "
               "\"%s\" at 5000)\n  got:      len %zu, %s and %s", first,
               second, r->len, lab_quote(bytes, 8), lab_quote(bytes + 5000, 8));
    const char *perms = perms_at(r->addr);
    lab_assert(strcmp(perms, "r--s") == 0, NOTE("read-only-descriptors-and-write-access"),
               "expected: a read-only region is mapped r--s in /proc/self/maps"
               " (read only, shared)\n  got:      %s", perms);
    assert_no_descriptor(name, "shm_region_open returned",
                         NOTE("closing-the-descriptor-once-mapped"));

    errno = 0;
    struct shm_region *w = shm_region_open(name, 8192, SHM_READ_WRITE);
    err = errno;
    lab_assert(w != NULL, NOTE("opening-an-existing-object"),
               "shm_region_open(\"%s\", 8192, SHM_READ_WRITE)\n  expected: a "
               "region\n  got:      NULL with errno %s", name,
               lab_errno_name(err));
    perms = perms_at(w->addr);
    lab_assert(strcmp(perms, "rw-s") == 0, NOTE("shared-and-private-mappings"),
               "expected: a read-write region is mapped rw-s\n  got:      %s",
               perms);
    memcpy((char *)w->addr + 100, "both", 5);
    lab_assert(strcmp(bytes + 100, "both") == 0, NOTE("shared-and-private-mappings"),
               "wrote \"both\" through the read-write region\n  expected: the"
               " read-only region of the same object shows it\n  got:      %s",
               lab_quote(bytes + 100, 4));
    shm_region_close(w);
    shm_region_close(r);

    /* An object this process may only read: SHM_READ_ONLY must still open
     * it, which O_RDWR cannot (unless the process may override file
     * permissions, as root can: then there is nothing to tell apart). */
    const char *ro_name = lab_name("readable");
    fd = shm_open(ro_name, O_RDWR | O_CREAT | O_EXCL, 0400);
    cr_assert(fd != -1 && ftruncate(fd, 4096) == 0 && close(fd) == 0,
              "grader: setup failed: %s", strerror(errno));
    int probe = shm_open(ro_name, O_RDWR, 0);
    if (probe != -1) {
        close(probe);
        return;
    }
    errno = 0;
    r = shm_region_open(ro_name, 4096, SHM_READ_ONLY);
    err = errno;
    lab_assert(r != NULL, NOTE("read-only-descriptors-and-write-access"),
               "shm_region_open(\"%s\", 4096, SHM_READ_ONLY) on an object of "
               "mode 0400 (this process may read it, not write it)\n  expected:"
               " a region\n  got:      NULL with errno %s\n  likely:   %s",
               ro_name, lab_errno_name(err),
               err == EACCES ? "the object was opened O_RDWR; a reader asks for "
                               "no more than it needs: O_RDONLY"
                             : lab_errno_hint(err));
    shm_region_close(r);
}

LAB_TEST(region, close_unmaps_and_remove_frees_the_name, 6)
{
    const char *name = lab_name("close");
    struct shm_region *r = must_create(name, 10000);  /* > 2 pages */
    memcpy(r->addr, "kept", 5);
    void *addr = r->addr;
    errno = 0;
    int rc = shm_region_close(r);
    int err = errno;
    lab_assert(rc == 0, NOTE("unmapping-and-removing"),
               "shm_region_close on a region from shm_region_create\n  "
               "expected: 0\n  got:      %d, errno %s\n  likely:   munmap "
               "was given something other than the address and length from "
               "mmap (read from the region after it was freed?)", rc,
               lab_errno_name(err));
    ev_take(&snap);
    const struct ev_map *m = ev_shm_map(&snap, name);
    lab_assert(m == NULL, NOTE("unmapping-and-removing"),
               "expected: after shm_region_close no mapping of /dev/shm%s is "
               "left in /proc/self/maps\n  got:      the mapping %lx-%lx %s "
               "(made by shm_region_create at %p) is still there\n  likely:  "
               " munmap missing: closing a descriptor, or freeing the struct,"
               " never unmaps anything", name, m ? m->lo : 0UL,
               m ? m->hi : 0UL, m ? m->perms : "", addr);
    lab_assert(lab_shm_exists(name), NOTE("unmapping-and-removing"),
               "expected: shm_region_close leaves the object and its name\n"
               "  got:      %s is gone\n  likely:   shm_unlink belongs in "
               "shm_region_remove, not in shm_region_close", name);

    struct shm_region *again = shm_region_open(name, 4096, SHM_READ_ONLY);
    lab_assert(again != NULL && strcmp(again->addr, "kept") == 0,
               NOTE("unmapping-and-removing"),
               "opened the object again after shm_region_close\n  expected: "
               "its contents \"kept\"\n  got:      %s",
               again ? lab_quote(again->addr, 4)
                     : lab_fmt("shm_region_open failed: %s",
                               lab_errno_name(errno)));
    errno = 0;
    rc = shm_region_remove(name);
    err = errno;
    lab_assert(rc == 0 && !lab_shm_exists(name), NOTE("unmapping-and-removing"),
               "shm_region_remove(\"%s\")\n  expected: 0, and the name gone\n"
               "  got:      %d (errno %s), and the name %s", name, rc,
               lab_errno_name(err), lab_shm_exists(name) ? "still there" : "gone");
    lab_assert(strcmp(again->addr, "kept") == 0, NOTE("unmapping-and-removing"),
               "expected: a mapping outlives the name: after "
               "shm_region_remove it still shows \"kept\"\n  got:      %s",
               lab_quote(again->addr, 4));
    errno = 0;
    lab_assert_fails_with(shm_region_remove(name), ENOENT,
                          NOTE("unmapping-and-removing"),
                          "shm_region_remove of a name already removed");
    lab_assert(shm_region_close(NULL) == 0, NOTE("unmapping-and-removing"),
               "expected: shm_region_close(NULL) does nothing and returns 0");
    shm_region_close(again);
}

/* ---- every step that can fail ---------------------------------------------
 * The grader makes one call of the student's code fail at a time (see
 * grader/harness/lab_fault.h): the Nth malloc, shm_open, ftruncate, fstat,
 * mmap or close, for every N the operation makes in a clean run. Nothing
 * here assumes which calls a solution makes, how many or in what order. */

struct kind {
    enum lab_fault_call call;
    int err;               /* what the injected failure reports */
};

static const struct kind kinds[] = {
    {LAB_FAULT_MALLOC, ENOMEM},   {LAB_FAULT_CALLOC, ENOMEM},
    {LAB_FAULT_SHM_OPEN, EMFILE}, {LAB_FAULT_FTRUNCATE, EFBIG},
    {LAB_FAULT_FSTAT, EBADF}, {LAB_FAULT_MMAP, ENOMEM},
    {LAB_FAULT_CLOSE, EINTR},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* What the process holds before a call: memory, descriptors. */
struct holdings {
    unsigned blocks;
    int fds;
};

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

/* "1st", "2nd", ... */
static const char *ordinal(unsigned n)
{
    const char *sfx = n % 100 - n % 10 == 10 ? "th"
                      : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd"
                      : n % 10 == 3 ? "rd" : "th";
    return lab_fmt("%u%s", n, sfx);
}

/* After a failed call on NAME, fails unless errno is the injected one and
 * nothing was left: memory, descriptor, mapping, and the name as NAME_RULE
 * says (0: the object this call created is gone; 1: the object, which it
 * did not create, is still there; -1: not checked). WHAT names the
 * injected failures. */
static void assert_released(const char *call, const char *what,
                            const char *name, void *result, int err, int want,
                            struct holdings before, int name_rule,
                            const char *note)
{
    lab_assert(result == NULL && err == want, note,
               "%s, when %s\n  expected: NULL with errno %s (errno as the "
               "failing call left it)\n  got:      %s\n  likely:   %s", call,
               what, lab_errno_name(want),
               result ? "a region" : lab_fmt("NULL with errno %s", lab_errno_name(err)),
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
    lab_assert(now.fds == before.fds, note,
               "%s, when %s\n  expected: no descriptor left open\n  got:      "
               "%d more open than before\n  likely:   the error path returns "
               "without close", call, what, now.fds - before.fds);
    const struct ev_map *m = new_mapping(name);
    lab_assert(m == NULL, note,
               "%s, when %s\n  expected: no mapping of /dev/shm%s left\n  got:"
               "      %lx-%lx %s\n  likely:   the error path returns without "
               "munmap", call, what, name, m ? m->lo : 0UL, m ? m->hi : 0UL,
               m ? m->perms : "");
    if (name_rule == -1)
        return;
    lab_assert(lab_shm_exists(name) == name_rule, note,
               "%s, when %s\n  expected: %s\n  got:      %s\n  likely:   %s",
               call, what,
               name_rule ? "the object, which this call did not create, still "
                           "there"
                         : "the object this call created removed again",
               name_rule ? "it is gone" : lab_fmt("/dev/shm%s is still there", name),
               name_rule ? "shm_unlink on a path where this call never "
                           "created the object"
                         : "no shm_unlink on this error path");
}

/* shm_region_close, and the test's own munmap after it: a sweep checks
 * for mappings left behind, and must find only those of the failed call,
 * not one a faulty shm_region_close left. */
static void release(struct shm_region *r)
{
    if (r == NULL)
        return;
    void *addr = r->addr;
    size_t len = r->len;
    shm_region_close(r);
    munmap(addr, len);
}

/* More than a page: an undo that unmaps less than all is seen. */
#define SWEEP_LEN 10000

/* One operation under the sweep. */
struct op {
    const char *text;      /* "shm_region_create(\"%s\", 10000)" ... */
    int creates;           /* 1: the call creates NAME */
    enum shm_access access;
    const char *perms;     /* how a region of it is mapped */
    const char *note;
};

static struct shm_region *run_op(const struct op *op, const char *name)
{
    return op->creates ? shm_region_create(name, SWEEP_LEN)
                       : shm_region_open(name, SWEEP_LEN, op->access);
}

/* After a run on NAME: removes what the run may have left, with the
 * test's own calls, so that the next run starts clean. */
static void tidy(const struct op *op, const char *name, struct shm_region *r)
{
    release(r);
    if (op->creates)
        shm_unlink(name);
}

/* Makes every cleanup call (close, shm_unlink) fail from the 1st on. */
static void fail_cleanup_too(void)
{
    lab_fault_fail(LAB_FAULT_CLOSE, 1, EINTR, LAB_FAULT_FROM_ON);
    lab_fault_fail(LAB_FAULT_SHM_UNLINK, 1, EACCES, LAB_FAULT_FROM_ON);
}

/* The sweep: for each kind of call, counts how many the operation makes,
 * then makes the 1st, the 2nd, ... fail, one per run. A second pass makes
 * every close and shm_unlink fail as well, for the runs where the
 * operation reaches the Nth call even so (a close failing before it did
 * not stop it): the errno must still be the first failure's. */
static void sweep(const struct op *op, const char *fixed)
{
    for (size_t k = 0; k < NKINDS; k++) {
        const char *name = op->creates ? lab_name("sweep") : fixed;
        /* lab_fmt's buffers rotate: keep the texts in buffers of our own. */
        char call[300], what[300];
        snprintf(call, sizeof call, op->text, name);
        lab_fault_reset();
        errno = 0;
        struct shm_region *r = run_op(op, name);
        unsigned n = lab_fault_calls(kinds[k].call);
        lab_assert(r != NULL, op->note, "%s\n  expected: a region\n  got:    "
                   "  NULL with errno %s", call, lab_errno_name(errno));
        tidy(op, name, r);

        unsigned reach = 0;  /* calls of this kind made despite the cleanup failing */
        if (kinds[k].call != LAB_FAULT_CLOSE) {
            lab_fault_reset();
            fail_cleanup_too();
            r = run_op(op, name);
            reach = lab_fault_calls(kinds[k].call);
            lab_fault_reset();
            tidy(op, name, r);
        }

        for (unsigned i = 1; i <= n; i++) {
            struct holdings before = holdings_now();
            lab_fault_reset();
            lab_fault_fail(kinds[k].call, i, kinds[k].err, LAB_FAULT_ONCE);
            errno = 0;
            r = run_op(op, name);
            int err = errno;
            snprintf(what, sizeof what, "%s", lab_fault_describe());
            lab_fault_reset();
            if (kinds[k].call == LAB_FAULT_CLOSE && r != NULL) {
                /* A close made to fail may be ignored (the descriptor is
                 * gone anyway on Linux): then the region must work. */
                lab_assert(r->len == SWEEP_LEN &&
                               strcmp(perms_at(r->addr), op->perms) == 0,
                           op->note, "%s, when %s, succeeded anyway\n  expected"
                           ": then a working region of %d bytes, mapped %s\n"
                           "  got:      len %zu, mapped %s", call, what,
                           SWEEP_LEN, op->perms, r->len, perms_at(r->addr));
                tidy(op, name, r);
                continue;
            }
            assert_released(call, what, name, r, err, kinds[k].err, before,
                            op->creates ? 0 : 1, op->note);
            tidy(op, name, r);
        }

        for (unsigned i = 1; i <= n && i <= reach; i++) {
            struct holdings before = holdings_now();
            lab_fault_reset();
            lab_fault_fail(kinds[k].call, i, kinds[k].err, LAB_FAULT_ONCE);
            fail_cleanup_too();
            errno = 0;
            r = run_op(op, name);
            int err = errno;
            lab_fault_reset();
            snprintf(what, sizeof what, "the %s %s failed with %s, and every "
                     "close and shm_unlink failed too (all injected by the "
                     "grader)", ordinal(i), lab_fault_name(kinds[k].call),
                     lab_errno_name(kinds[k].err));
            /* A failed shm_unlink leaves the name: not checked here. */
            assert_released(call, what, name, r, err, kinds[k].err, before,
                            op->creates ? -1 : 1, op->note);
            tidy(op, name, r);
        }
    }
    lab_fault_reset();
}

LAB_TEST(region, create_undoes_every_failed_step, 8)
{
    static const struct op create = {"shm_region_create(\"%s\", 10000)", 1,
                                     SHM_READ_WRITE, "rw-s",
                                     NOTE("undoing-a-failed-create")};
    sweep(&create, NULL);
}

LAB_TEST(region, open_undoes_every_failed_step, 5)
{
    static const struct op open_ro = {"shm_region_open(\"%s\", 10000, "
                                      "SHM_READ_ONLY)", 0, SHM_READ_ONLY,
                                      "r--s", NOTE("opening-an-existing-object")};
    static const struct op open_rw = {"shm_region_open(\"%s\", 10000, "
                                      "SHM_READ_WRITE)", 0, SHM_READ_WRITE,
                                      "rw-s", NOTE("opening-an-existing-object")};
    const char *name = lab_name("theirs");
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    cr_assert(fd != -1 && ftruncate(fd, SWEEP_LEN) == 0 && close(fd) == 0,
              "grader: setup failed: %s", strerror(errno));
    sweep(&open_ro, name);
    sweep(&open_rw, name);
}

LAB_TEST(region, close_frees_the_region_even_when_munmap_fails, 3)
{
    const char *name = lab_name("unmap");
    unsigned start = lab_fault_live_blocks();
    struct shm_region *r = must_create(name, 4096);
    lab_assert(shm_region_close(r) == 0 && lab_fault_live_blocks() == start,
               NOTE("unmapping-and-removing"),
               "shm_region_create, then shm_region_close\n  expected: 0, and "
               "the region's memory freed\n  got:      %u block(s) still "
               "allocated\n  likely:   free(r) missing in shm_region_close",
               lab_fault_live_blocks() - start);
    name = lab_name("unmap");
    r = must_create(name, 4096);
    void *addr = r->addr;
    unsigned blocks = lab_fault_live_blocks();
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_MUNMAP, 1, EINVAL, LAB_FAULT_FROM_ON);
    errno = 0;
    int rc = shm_region_close(r);
    int err = errno;
    unsigned now = lab_fault_live_blocks();
    lab_fault_reset();
    munmap(addr, 4096);  /* the injected failure left the mapping */
    lab_assert(rc == -1 && err == EINVAL, NOTE("unmapping-and-removing"),
               "shm_region_close, when %s\n  expected: -1 with errno EINVAL "
               "(munmap's)\n  got:      %d%s\n  likely:   %s",
               lab_fault_describe(), rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "",
               rc == -1 ? "errno was overwritten by free; save it and restore it"
                        : "munmap's result was not returned");
    lab_assert(now + 1 == blocks, NOTE("unmapping-and-removing"),
               "shm_region_close, when %s\n  expected: the region freed all the"
               " same\n  got:      %s\n  likely:   the error path returns before"
               " free", lab_fault_describe(),
               now == blocks ? "it is still allocated"
                             : lab_fmt("%u blocks freed", blocks - now));
}
