/* test_writer.c - lab 06: creating a writer, opening a second one
 * without destroying the first one's data, and releasing views. */
#include "lab_test.h"
#include "shm_size.h"
#include "support.h"

#include "lab_evidence.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTE(anchor) "06-shm-ftruncate.md#" anchor
#define PAGE 4096

static struct ev_snapshot snap;

/* The object's size, asked by the test through a descriptor of its own. */
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

/* Fails unless the view at ADDR is mapped readable and writable: the
 * spec maps a writer's view PROT_READ | PROT_WRITE, and /proc/self/maps
 * shows the protection asked for ("-w-s" for PROT_WRITE alone, even
 * where the hardware lets such a page be read). */
static void assert_read_write(const char *call, const void *addr)
{
    ev_take(&snap);
    const struct ev_map *m = ev_map_at(&snap, addr);
    lab_assert(m != NULL && m->perms[0] == 'r' && m->perms[1] == 'w',
               NOTE("growing-and-shrinking"),
               "%s\n  expected: a view mapped for reading and writing (\"rw\" "
               "in /proc/self/maps)\n  got:      %s\n  likely:   the mapping "
               "asked for PROT_WRITE alone; a writer maps with PROT_READ | "
               "PROT_WRITE", call, m ? lab_fmt("\"%s\"", m->perms)
                                    : "no mapping at the view's address");
}

LAB_TEST(writer, failed_writer_creation_leaves_no_name, 5)
{
    const char *name = lab_name("zero");
    errno = 0;
    struct shm_view *v = shm_create_writer(name, 0);
    int err = errno;
    lab_assert(v == NULL && err == EINVAL, NOTE("mapping-zero-bytes"),
               "shm_create_writer(\"%s\", 0)\n  expected: NULL with errno "
               "EINVAL (an object of size 0 cannot be mapped)\n  got:      %s",
               name, v ? lab_fmt("a view of %zu bytes", v->len)
                       : lab_fmt("NULL with errno %s", lab_errno_name(err)));
    lab_assert(!lab_shm_exists(name), NOTE("undoing-a-failed-writer"),
               "after shm_create_writer(\"%s\", 0) failed\n  expected: the "
               "object it created is removed again\n  got:      /dev/shm%s "
               "still exists\n  likely:   the error path returns without "
               "shm_unlink", name, name);
    ev_take(&snap);
    int fd = -1;
    lab_assert(ev_shm_fds(&snap, name, &fd) == 0, NOTE("undoing-a-failed-writer"),
               "after shm_create_writer(\"%s\", 0) failed\n  expected: no "
               "descriptor left open on it\n  got:      descriptor %d\n  "
               "likely:   the error path returns without close", name, fd);

    const char *taken = lab_name("taken");
    int tfd = shm_open(taken, O_RDWR | O_CREAT | O_EXCL, 0600);
    cr_assert(tfd != -1 && ftruncate(tfd, PAGE) == 0 &&
                  pwrite(tfd, "theirs", 6, 0) == 6, "grader: setup failed");
    errno = 0;
    v = shm_create_writer(taken, 2 * PAGE);
    err = errno;
    char back[7] = "";
    cr_assert(pread(tfd, back, 6, 0) == 6, "grader: pread failed");
    lab_assert(v == NULL && err == EEXIST && size_by_name(taken) == PAGE &&
                   strcmp(back, "theirs") == 0,
               NOTE("undoing-a-failed-writer"),
               "shm_create_writer on a name that exists (%d bytes holding "
               "\"theirs\")\n  expected: NULL with errno EEXIST, the object "
               "untouched\n  got:      %s; the object: size %lld, %s\n  "
               "likely:   O_EXCL missing, or the error path removed or "
               "resized an object this call did not create", PAGE,
               v ? "a view" : lab_fmt("NULL with errno %s", lab_errno_name(err)),
               size_by_name(taken), lab_quote(back, 6));
    close(tfd);
}

LAB_TEST(writer, second_writer_keeps_the_first_writers_data, 5)
{
    const char *name = lab_name("writers");
    const size_t size = 3 * PAGE + 1;
    struct shm_view *w = must_create_writer(name, (off_t)size,
                                            NOTE("growing-and-shrinking"));
    lab_assert(w->len == size, NOTE("mapping-exactly-what-exists"),
               "shm_create_writer(\"%s\", %zu)\n  expected: a view of %zu "
               "bytes\n  got:      a view of %zu bytes\n  likely:   %s", name,
               size, size, w->len,
               LAB_BLAME("maps-a-guessed-length", "shm_create_writer",
                         "maps a length of its own rather than the object's "
                         "size"));
    lab_assert(size_by_name(name) == (long long)size, NOTE("growing-and-shrinking"),
               "expected: the new object's size is %zu\n  got:      %lld",
               size, size_by_name(name));
    assert_read_write(lab_fmt("shm_create_writer(\"%s\", %zu)", name, size),
                      w->addr);
    char *first = w->addr;
    memcpy(first, "first writer", 13);
    first[size - 1] = 'L';
    ev_take(&snap);
    int fd = -1;
    lab_assert(ev_shm_fds(&snap, name, &fd) == 0, NOTE("closing-what-you-opened"),
               "expected: shm_create_writer closes its descriptor once mapped"
               "\n  got:      descriptor %d still refers to /dev/shm%s", fd, name);

    errno = 0;
    struct shm_view *w2 = shm_open_writer(name);
    int err = errno;
    long long now = size_by_name(name);
    lab_assert(w2 != NULL && now == (long long)size, NOTE("truncating-on-open-destroys-the-data"),
               "shm_open_writer(\"%s\") while the first writer holds %zu "
               "bytes\n  expected: a view, and the object still %zu bytes\n"
               "  got:      %s, the object %lld bytes\n  likely:   %s", name,
               size, size,
               w2 ? lab_fmt("a view of %zu bytes", w2->len)
                  : lab_fmt("NULL with errno %s", lab_errno_name(err)),
               now, now == 0 ? "O_TRUNC in shm_open: it set the size to 0, "
                               "destroying the first writer's data (and its "
                               "mapping now raises SIGBUS)"
                             : lab_errno_hint(err));
    assert_read_write(lab_fmt("shm_open_writer(\"%s\")", name), w2->addr);
    const char *second = w2->addr;
    lab_assert(w2->len == size && strcmp(second, "first writer") == 0 &&
                   second[size - 1] == 'L',
               NOTE("truncating-on-open-destroys-the-data"),
               "expected: the second writer's view shows the first writer's "
               "data over all %zu bytes\n  got:      len %zu, %s", size,
               w2->len, lab_quote(second, 12));
    memcpy(w2->addr, "second", 6);
    lab_assert(memcmp(first, "second", 6) == 0, NOTE("truncating-on-open-destroys-the-data"),
               "wrote \"second\" through the second writer's view\n  expected:"
               " the first writer's view shows it\n  got:      %s",
               lab_quote(first, 6));

    const char *missing = lab_name("nobody");
    errno = 0;
    struct shm_view *none = shm_open_writer(missing);
    err = errno;
    lab_assert(none == NULL && err == ENOENT && !lab_shm_exists(missing),
               NOTE("truncating-on-open-destroys-the-data"),
               "shm_open_writer on a name that does not exist\n  expected: "
               "NULL with errno ENOENT, and no object made\n  got:      %s",
               none ? "a view" : lab_fmt("NULL with errno %s", lab_errno_name(err)));
    shm_view_release(w2);
    shm_view_release(w);
}

LAB_TEST(writer, release_unmaps_the_view, 4)
{
    const char *name = lab_name("release");
    struct shm_view *w = must_create_writer(name, PAGE,
                                            NOTE("growing-and-shrinking"));
    void *addr = w->addr;
    memcpy(w->addr, "kept", 5);
    errno = 0;
    int rc = shm_view_release(w);
    int err = errno;
    lab_assert(rc == 0, NOTE("closing-what-you-opened"),
               "shm_view_release\n  expected: 0\n  got:      %d, errno %s",
               rc, lab_errno_name(err));
    ev_take(&snap);
    const struct ev_map *m = ev_shm_map(&snap, name);
    lab_assert(m == NULL, NOTE("closing-what-you-opened"),
               "expected: after shm_view_release no mapping of /dev/shm%s is "
               "left in /proc/self/maps\n  got:      the mapping %lx-%lx %s "
               "(the view at %p) is still there\n  likely:   munmap missing:"
               " freeing the view does not unmap it", name, m ? m->lo : 0UL,
               m ? m->hi : 0UL, m ? m->perms : "", addr);
    lab_assert(lab_shm_exists(name) && size_by_name(name) == PAGE,
               NOTE("closing-what-you-opened"),
               "expected: shm_view_release leaves the object (name, size %d)"
               "\n  got:      %s", PAGE,
               lab_shm_exists(name) ? lab_fmt("size %lld", size_by_name(name))
                                    : "the name is gone");
    lab_assert(shm_view_release(NULL) == 0, NOTE("closing-what-you-opened"),
               "expected: shm_view_release(NULL) does nothing and returns 0");
}
