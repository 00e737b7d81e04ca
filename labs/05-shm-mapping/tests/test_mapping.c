/* test_mapping.c - lab 05: shm_map, and two processes sharing one object. */
#include "lab_test.h"
#include "shm_mapping.h"

#include "lab_handshake.h"
#include "lab_evidence.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOTE(anchor) "05-shm-mapping.md#" anchor

/* An object of SIZE bytes made by the test itself, open O_RDWR. */
static int test_object(const char *name, off_t size)
{
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    cr_assert(fd != -1, "grader: shm_open(%s) failed: %s", name,
              strerror(errno));
    cr_assert(ftruncate(fd, size) == 0, "grader: ftruncate failed: %s",
              strerror(errno));
    return fd;
}

/* What shm_map returned, in words, for a failure message. */
static const char *describe_map_result(void *p, int err)
{
    if (p == MAP_FAILED)
        return "MAP_FAILED ((void *)-1)";
    if (p != NULL)
        return lab_fmt("a mapping at %p", p);
    return lab_fmt("NULL with errno %s", lab_errno_name(err));
}

LAB_TEST(mapping, writes_reach_the_object_through_a_shared_mapping, 6)
{
    const char *name = lab_name("shared");
    int fd = test_object(name, 4096);
    errno = 0;
    char *p = shm_map(fd, 4096, PROT_READ | PROT_WRITE);
    int err = errno;
    lab_assert(p != NULL && p != MAP_FAILED, NOTE("mapping-an-object"),
               "shm_map(fd, 4096, PROT_READ | PROT_WRITE), fd open O_RDWR on "
               "a 4096-byte object\n  expected: an address\n  got:      %s\n"
               "  likely:   %s", describe_map_result(p, err),
               p == MAP_FAILED ? "mmap failed and its MAP_FAILED was returned "
                                 "as if it were an address"
                               : lab_errno_hint(err));
    static const char text[] = "written through the mapping";
    memcpy(p, text, sizeof text);
    char back[sizeof text];
    memset(back, 0, sizeof back);
    lab_assert(pread(fd, back, sizeof back, 0) == (ssize_t)sizeof back &&
                   memcmp(back, text, sizeof text) == 0,
               NOTE("shared-and-private-mappings"),
               "stored %s through the address shm_map returned, then read "
               "the object with pread\n  expected: the object holds %s\n"
               "  got:      %s\n  likely:   the mapping is MAP_PRIVATE: "
               "stores go to a copy only this process sees; use MAP_SHARED",
               lab_quote(text, sizeof text - 1), lab_quote(text, sizeof text - 1),
               lab_quote(back, (long)strnlen(back, sizeof back)));
    lab_assert(fcntl(fd, F_GETFD) != -1, NOTE("mapping-an-object"),
               "expected: shm_map leaves the caller's descriptor open\n  got:"
               "      descriptor %d was closed by shm_map", fd);
    munmap(p, 4096);
    close(fd);
}

LAB_TEST(mapping, failed_mmap_is_reported_as_null_with_errno, 5)
{
    const char *name = lab_name("rdonly");
    close(test_object(name, 4096));
    int ro = shm_open(name, O_RDONLY, 0);
    cr_assert(ro != -1, "grader: shm_open O_RDONLY failed: %s", strerror(errno));

    errno = 0;
    void *p = shm_map(ro, 4096, PROT_READ | PROT_WRITE);
    int err = errno;
    lab_assert(p == NULL && err == EACCES,
               p == MAP_FAILED ? NOTE("checking-the-result-of-mmap")
                               : NOTE("read-only-descriptors-and-write-access"),
               "shm_map(fd, 4096, PROT_READ | PROT_WRITE) with fd open "
               "O_RDONLY\n  expected: NULL with errno EACCES (a shared "
               "mapping may not be written through a read-only descriptor)"
               "\n  got:      %s\n  likely:   %s", describe_map_result(p, err),
               p == MAP_FAILED
                   ? "mmap failed and its return value was checked against "
                     "NULL; mmap reports failure as MAP_FAILED, not NULL"
               : p != NULL
                   ? "a MAP_PRIVATE mapping: it may be written even on a "
                     "read-only descriptor, because the writes never reach "
                     "the object; use MAP_SHARED"
                   : "errno was changed after mmap failed");

    errno = 0;
    p = shm_map(ro, 0, PROT_READ);
    err = errno;
    lab_assert(p == NULL && err == EINVAL, NOTE("checking-the-result-of-mmap"),
               "shm_map(fd, 0, PROT_READ)\n  expected: NULL with errno EINVAL"
               " (mmap cannot map 0 bytes)\n  got:      %s",
               describe_map_result(p, err));

    errno = 0;
    p = shm_map(ro, 4096, PROT_READ);
    err = errno;
    lab_assert(p != NULL && p != MAP_FAILED,
               NOTE("read-only-descriptors-and-write-access"),
               "shm_map(fd, 4096, PROT_READ) with fd open O_RDONLY\n  "
               "expected: an address (reading is allowed)\n  got:      %s",
               describe_map_result(p, err));
    munmap(p, 4096);
    close(ro);
}

/* ---- two processes ---------------------------------------------------- */

#define FROM_PARENT "written by the parent"
#define FROM_CHILD "written by the child"
#define CHILD_AT 2048

struct peer {
    const char *name;
    struct handshake hs;
};

/* The other process: opens the object itself, waits for the test to
 * write, checks it sees that, and answers through the object. */
static int peer_process(void *arg)
{
    struct peer *peer = arg;
    hs_child_side(&peer->hs);
    int up = peer->hs.up[1];
    struct shm_region *r = shm_region_open(peer->name, 4096, SHM_READ_WRITE);
    if (r == NULL) {
        hs_say(up, "in the child, shm_region_open(\"%s\", 4096, "
               "SHM_READ_WRITE) failed with errno %s", peer->name,
               lab_errno_name(errno));
        return 1;
    }
    hs_say(up, "open");
    char line[64];
    if (!hs_expect(peer->hs.down[0], "go", line, sizeof line, 10.0))
        return 2;
    const char *seen = r->addr;
    if (strncmp(seen, FROM_PARENT, sizeof FROM_PARENT) != 0) {
        hs_say(up, "the child's mapping holds %s at offset 0, where the "
               "parent had just written \"" FROM_PARENT "\"",
               lab_quote(seen, (long)strnlen(seen, 40)));
        return 3;
    }
    memcpy((char *)r->addr + CHILD_AT, FROM_CHILD, sizeof FROM_CHILD);
    hs_say(up, "done");
    shm_region_close(r);
    return 0;
}

LAB_TEST_TIMEOUT(processes, writer_and_reader_see_each_others_updates, 7, 15.0)
{
    static struct peer peer;
    peer.name = lab_name("peers");
    struct shm_region *r = shm_region_create(peer.name, 4096);
    lab_assert(r != NULL, NOTE("creating-and-sizing-an-object"),
               "shm_region_create(\"%s\", 4096)\n  expected: a region\n  "
               "got:      NULL with errno %s\n  likely:   %s", peer.name,
               lab_errno_name(errno), lab_errno_hint(errno));
    cr_assert(hs_open(&peer.hs) == 0, "grader: pipe failed");
    pid_t pid = lab_spawn(peer_process, &peer);
    hs_parent_side(&peer.hs);

    char line[1100];
    int opened = hs_expect(peer.hs.up[0], "open", line, sizeof line, 10.0);
    lab_assert(opened, NOTE("two-processes-one-object"),
               "a second process opened the object with shm_region_open\n"
               "  expected: it opens it\n  got:      %s",
               line[0] ? line : "no answer from the child");

    memcpy(r->addr, FROM_PARENT, sizeof FROM_PARENT);
    hs_say(peer.hs.down[1], "go");
    int done = hs_expect(peer.hs.up[0], "done", line, sizeof line, 10.0);
    lab_assert(done, NOTE("shared-and-private-mappings"),
               "the parent wrote \"" FROM_PARENT "\" through the region of "
               "shm_region_create; the child reads it through its own "
               "region of shm_region_open\n  expected: the child sees it\n"
               "  got:      %s\n  likely:   MAP_PRIVATE: each process then "
               "writes into its own copy; use MAP_SHARED",
               line[0] ? line : "no answer from the child");

    const char *answer = (const char *)r->addr + CHILD_AT;
    lab_assert(strncmp(answer, FROM_CHILD, sizeof FROM_CHILD) == 0,
               NOTE("shared-and-private-mappings"),
               "the child wrote \"" FROM_CHILD "\" at offset %d through its "
               "region\n  expected: the parent's region shows it\n  got:    "
               "  %s\n  likely:   MAP_PRIVATE in shm_region_create or "
               "shm_region_open", CHILD_AT,
               lab_quote(answer, (long)strnlen(answer, 40)));
    int status = 0;
    lab_assert(lab_wait_pid(pid, 10.0, &status) && WIFEXITED(status) &&
                   WEXITSTATUS(status) == 0,
               NOTE("two-processes-one-object"),
               "expected: the child closes its region and ends\n  got:     "
               " it %s", lab_describe_status(status));
    shm_region_close(r);
}
