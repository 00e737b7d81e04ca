/* test_size.c - lab 06: a new object's size, setting it, mapping it, and
 * what happens beyond it. */
#include "lab_test.h"
#include "shm_size.h"

#include "lab_handshake.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOTE(anchor) "06-shm-ftruncate.md#" anchor
#define PAGE 4096

/* An empty object made by the test itself, open O_RDWR. */
static int test_object(const char *name)
{
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    cr_assert(fd != -1, "grader: shm_open(%s) failed: %s", name,
              strerror(errno));
    return fd;
}

static off_t size_of(int fd)
{
    struct stat st;
    cr_assert(fstat(fd, &st) == 0, "grader: fstat failed: %s", strerror(errno));
    return st.st_size;
}

LAB_TEST(size, new_object_is_created_empty, 5)
{
    const char *name = lab_name("empty");
    mode_t old = umask(0);  /* the umask would hide the mode asked for */
    errno = 0;
    int fd = shm_create_empty(name);
    int err = errno;
    umask(old);
    lab_assert(fd >= 0, NOTE("a-new-object-has-size-zero"),
               "shm_create_empty(\"%s\")\n  expected: a descriptor\n  got:   "
               "   %d, errno %s\n  likely:   %s", name, fd,
               lab_errno_name(err), lab_errno_hint(err));
    off_t size = size_of(fd);
    lab_assert(size == 0, NOTE("a-new-object-has-size-zero"),
               "expected: the new object has size 0 (fstat)\n  got:      %lld"
               "\n  likely:   shm_create_empty calls ftruncate; creating and "
               "sizing are separate steps here, and the caller sizes",
               (long long)size);
    struct stat st;
    cr_assert(fstat(fd, &st) == 0, "grader: fstat failed");
    int acc = fcntl(fd, F_GETFL) & O_ACCMODE;
    lab_assert((st.st_mode & 0777) == SHM_MODE && acc == O_RDWR,
               NOTE("a-new-object-has-size-zero"),
               "expected: mode 0600 and a descriptor open O_RDWR\n  got:      "
               "mode %04o, %s", (unsigned)(st.st_mode & 0777),
               acc == O_RDONLY ? "O_RDONLY" : acc == O_RDWR ? "O_RDWR" : "O_WRONLY");

    errno = 0;
    off_t reported = shm_object_size(fd);
    err = errno;
    lab_assert(reported == 0, NOTE("learning-the-size-with-fstat"),
               "shm_object_size on the new object\n  expected: 0\n  got:      "
               "%lld%s", (long long)reported,
               reported == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    cr_assert(ftruncate(fd, 12345) == 0, "grader: ftruncate failed");
    reported = shm_object_size(fd);
    lab_assert(reported == 12345, NOTE("learning-the-size-with-fstat"),
               "shm_object_size after the object was resized to 12345\n  "
               "expected: 12345\n  got:      %lld\n  likely:   the size must "
               "come from fstat's st_size, every time", (long long)reported);
    errno = 0;
    lab_assert_fails_with(shm_object_size(-1), EBADF,
                          NOTE("learning-the-size-with-fstat"),
                          "shm_object_size(-1)");
    errno = 0;
    int again = shm_create_empty(name);
    err = errno;
    lab_assert(again == -1 && err == EEXIST, NOTE("a-new-object-has-size-zero"),
               "shm_create_empty on a name that exists\n  expected: -1 with "
               "errno EEXIST\n  got:      %d%s\n  likely:   O_EXCL missing",
               again, again == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    close(fd);
}

LAB_TEST(size, mapping_an_empty_object_fails_with_einval, 6)
{
    const char *name = lab_name("mapempty");
    int fd = test_object(name);
    errno = 0;
    struct shm_view *v = shm_map_whole(fd, PROT_READ | PROT_WRITE);
    int err = errno;
    lab_assert(v == NULL && err == EINVAL, NOTE("mapping-zero-bytes"),
               "shm_map_whole on an object of size 0\n  expected: NULL with "
               "errno EINVAL (mmap cannot map 0 bytes)\n  got:      %s\n  "
               "likely:   %s",
               v ? lab_fmt("a view of %zu bytes at %p", v->len, v->addr)
                 : lab_fmt("NULL with errno %s", lab_errno_name(err)),
               v ? "mmap was given a length other than the object's size: "
                   "a mapping longer than the object raises SIGBUS when "
                   "touched; map the size fstat reports"
                 : "errno was overwritten while cleaning up");
    lab_assert(fcntl(fd, F_GETFD) != -1, NOTE("mapping-zero-bytes"),
               "expected: shm_map_whole leaves the caller's descriptor open\n"
               "  got:      descriptor %d was closed", fd);

    cr_assert(ftruncate(fd, 3 * PAGE + 100) == 0, "grader: ftruncate failed");
    errno = 0;
    v = shm_map_whole(fd, PROT_READ | PROT_WRITE);
    err = errno;
    lab_assert(v != NULL && v->len == 3 * PAGE + 100,
               NOTE("learning-the-size-with-fstat"),
               "shm_map_whole on an object of %d bytes\n  expected: a view of"
               " %d bytes\n  got:      %s", 3 * PAGE + 100, 3 * PAGE + 100,
               v ? lab_fmt("a view of %zu bytes", v->len)
                 : lab_fmt("NULL with errno %s", lab_errno_name(err)));
    char *bytes = v->addr;
    bytes[v->len - 1] = 'z';
    char back = 0;
    lab_assert(pread(fd, &back, 1, (off_t)v->len - 1) == 1 && back == 'z',
               NOTE("mapping-zero-bytes"),
               "stored 'z' in the view's last byte\n  expected: the object "
               "holds it\n  got:      %s\n  likely:   MAP_PRIVATE; use "
               "MAP_SHARED", lab_quote(&back, 1));
    shm_view_release(v);
    close(fd);
}

LAB_TEST(size, resizing_grows_and_shrinks_the_object, 6)
{
    const char *name = lab_name("resize");
    int fd = test_object(name);
    errno = 0;
    int rc = shm_set_size(fd, 100);
    int err = errno;
    lab_assert(rc == 0 && size_of(fd) == 100, NOTE("growing-and-shrinking"),
               "shm_set_size(fd, 100) on an empty object\n  expected: 0, and "
               "size 100\n  got:      %d%s, size %lld", rc,
               rc ? lab_fmt(" (errno %s)", lab_errno_name(err)) : "",
               (long long)size_of(fd));
    cr_assert(pwrite(fd, "head", 4, 0) == 4, "grader: pwrite failed");

    const off_t big = 3 * PAGE + 10;
    rc = shm_set_size(fd, big);
    char head[5] = "", tail[5] = "xxxx";
    cr_assert(pread(fd, head, 4, 0) == 4 && pread(fd, tail, 4, big - 4) == 4,
              "grader: pread failed");
    lab_assert(rc == 0 && size_of(fd) == big && memcmp(head, "head", 4) == 0 &&
                   memcmp(tail, "\0\0\0\0", 4) == 0,
               NOTE("growing-and-shrinking"),
               "shm_set_size(fd, %lld) on a 100-byte object holding \"head\"\n"
               "  expected: 0, size %lld, \"head\" kept, the new bytes zero\n"
               "  got:      %d, size %lld, first bytes %s, last bytes %s",
               (long long)big, (long long)big, rc, (long long)size_of(fd),
               lab_quote(head, 4), lab_quote(tail, 4));

    rc = shm_set_size(fd, 50);
    off_t now = size_of(fd);
    lab_assert(rc == 0 && now == 50, NOTE("growing-and-shrinking"),
               "shm_set_size(fd, 50) on an object of %lld bytes\n  expected: "
               "0, and size 50\n  got:      %d, size %lld\n  likely:   %s",
               (long long)big, rc, (long long)now,
               now == big ? "the size was set by writing a byte at size - 1,"
                            " which can only grow a file; ftruncate also "
                            "shrinks"
                          : "ftruncate not called with the size asked for");
    cr_assert(pread(fd, head, 4, 0) == 4, "grader: pread failed");
    lab_assert(memcmp(head, "head", 4) == 0, NOTE("growing-and-shrinking"),
               "expected: shrinking keeps the bytes below the new size\n  "
               "got:      %s", lab_quote(head, 4));
    rc = shm_set_size(fd, 0);
    lab_assert(rc == 0 && size_of(fd) == 0, NOTE("growing-and-shrinking"),
               "shm_set_size(fd, 0)\n  expected: 0, and size 0\n  got:      "
               "%d, size %lld", rc, (long long)size_of(fd));
    errno = 0;
    lab_assert_fails_with(shm_set_size(fd, -1), EINVAL, NOTE("growing-and-shrinking"),
                          "shm_set_size(fd, -1)");
    close(fd);
}

LAB_TEST(size, resizing_through_a_read_only_descriptor_fails, 4)
{
    const char *name = lab_name("rosize");
    int fd = test_object(name);
    cr_assert(ftruncate(fd, PAGE) == 0, "grader: ftruncate failed");
    int ro = shm_open(name, O_RDONLY, 0);
    cr_assert(ro != -1, "grader: shm_open O_RDONLY failed");
    errno = 0;
    int rc = shm_set_size(ro, 2 * PAGE);
    int err = errno;
    lab_assert(rc == -1 && err == EINVAL, NOTE("ftruncate-needs-a-writable-descriptor"),
               "shm_set_size(fd, %d) with fd open O_RDONLY\n  expected: -1 "
               "with errno EINVAL (ftruncate needs a descriptor open for "
               "writing)\n  got:      %d%s\n  likely:   %s", 2 * PAGE, rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "",
               rc == 0 ? "ftruncate's return value was not checked: the "
                         "caller is told the size changed when it did not"
               : err == EBADF ? "the size was set with write(), not ftruncate"
                              : "errno was changed after ftruncate failed");
    lab_assert(size_of(fd) == PAGE, NOTE("ftruncate-needs-a-writable-descriptor"),
               "expected: the size stays %d\n  got:      %lld", PAGE,
               (long long)size_of(fd));
    close(ro);
    close(fd);
}

/* ---- beyond the end ------------------------------------------------------ */

struct toucher {
    const char *name;
    struct handshake hs;
};

/* Builds a 2-page object and maps it with the student's functions,
 * shrinks it to one page, then stores into the second page. */
static int touch_beyond(void *arg)
{
    struct toucher *t = arg;
    hs_child_side(&t->hs);
    int up = t->hs.up[1];
    int fd = shm_create_empty(t->name);
    if (fd == -1) {
        hs_say(up, "shm_create_empty failed with errno %s",
               lab_errno_name(errno));
        return 1;
    }
    if (shm_set_size(fd, 2 * PAGE) == -1) {
        hs_say(up, "shm_set_size(fd, %d) failed with errno %s", 2 * PAGE,
               lab_errno_name(errno));
        return 1;
    }
    struct shm_view *v = shm_map_whole(fd, PROT_READ | PROT_WRITE);
    if (v == NULL) {
        hs_say(up, "shm_map_whole failed with errno %s", lab_errno_name(errno));
        return 1;
    }
    if (v->len != 2 * PAGE) {
        hs_say(up, "shm_map_whole gave a view of %zu bytes of a %d-byte "
               "object", v->len, 2 * PAGE);
        return 1;
    }
    volatile char *bytes = v->addr;
    bytes[0] = 'a';
    bytes[2 * PAGE - 1] = 'b';
    hs_say(up, "stored into both pages of the %d-byte view", 2 * PAGE);
    if (shm_set_size(fd, PAGE) == -1) {
        hs_say(up, "shm_set_size(fd, %d) failed with errno %s", PAGE,
               lab_errno_name(errno));
        return 1;
    }
    hs_say(up, "shrunk to %lld bytes; storing at offset %d",
           (long long)shm_object_size(fd), PAGE);
    bytes[PAGE] = 'c';     /* must raise SIGBUS: beyond the object's end */
    hs_say(up, "the store at offset %d succeeded", PAGE);
    return 0;
}

LAB_TEST_TIMEOUT(size, touching_beyond_the_size_dies_with_sigbus, 7, 10.0)
{
    static struct toucher t;
    t.name = lab_name("sigbus");
    cr_assert(hs_open(&t.hs) == 0, "grader: pipe failed");
    pid_t pid = lab_spawn(touch_beyond, &t);
    hs_parent_side(&t.hs);
    int status = 0;
    int ended = lab_wait_pid(pid, 8.0, &status);
    char said[3][300] = {"", "", ""};
    for (int i = 0; i < 3; i++)
        hs_read_line(t.hs.up[0], said[i], sizeof said[i], 0.5);
    int bus = ended && WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS;
    int segv = ended && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
    lab_assert(bus, segv ? NOTE("mapping-exactly-what-exists")
                         : NOTE("beyond-the-end-sigbus"),
               "in a child: shm_create_empty, shm_set_size(fd, %d), "
               "shm_map_whole, stores into both pages, shm_set_size(fd, %d), "
               "then a store at offset %d\n  expected: the last store kills "
               "the child with SIGBUS (the page is beyond the object's end)"
               "\n  got:      the child %s; it said: %s%s%s%s%s\n  likely:   %s",
               2 * PAGE, PAGE, PAGE,
               ended ? lab_describe_status(status) : "was still running",
               said[0], said[1][0] ? " / " : "", said[1],
               said[2][0] ? " / " : "", said[2],
               segv ? "the view is shorter than the object: a store past the"
                      " end of the mapping is SIGSEGV, one past the end of "
                      "the object but inside the mapping is SIGBUS; map the "
                      "size fstat reports"
               : ended && WIFEXITED(status) && WEXITSTATUS(status) == 0
                   ? "shm_set_size did not shrink the object (was the size "
                     "set by writing a byte? that only grows); use ftruncate"
                   : "a call failed before the last store: see what the "
                     "child said");
}
