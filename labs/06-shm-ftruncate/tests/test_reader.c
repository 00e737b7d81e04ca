/* test_reader.c - lab 06: a reader learns the size with fstat and maps,
 * or copies, exactly that much. */
#include "lab_test.h"
#include "shm_size.h"

#include "lab_evidence.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTE(anchor) "06-shm-ftruncate.md#" anchor
#define ODD_SIZE 10000   /* not a multiple of the page size */
#define PAGE_BYTES 4096

static struct ev_snapshot snap;

/* The byte at offset I of the test's objects. */
static char pattern(size_t i)
{
    return (char)('a' + i % 26);
}

/* An object of SIZE bytes, filled with the pattern, made by the test. */
static void test_object(const char *name, size_t size)
{
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    cr_assert(fd != -1 && ftruncate(fd, (off_t)size) == 0,
              "grader: cannot make %s: %s", name, strerror(errno));
    static char buf[3 * ODD_SIZE];
    cr_assert(size <= sizeof buf, "grader: object too big");
    for (size_t i = 0; i < size; i++)
        buf[i] = pattern(i);
    cr_assert(pwrite(fd, buf, size, 0) == (ssize_t)size, "grader: pwrite failed");
    close(fd);
}

/* The first offset below LEN where BYTES differ from the pattern, or -1. */
static long first_difference(const char *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (bytes[i] != pattern(i))
            return (long)i;
    return -1;
}

/* Fails if the process still holds a descriptor or mapping of NAME. */
static void assert_nothing_held(const char *name, const char *after)
{
    ev_take(&snap);
    int fd = -1;
    int n = ev_shm_fds(&snap, name, &fd);
    lab_assert(n == 0, NOTE("closing-what-you-opened"),
               "expected: no descriptor refers to /dev/shm%s after %s\n  got:"
               "      descriptor %d still does\n  likely:   the descriptor "
               "from shm_open was not closed", name, after, fd);
    const struct ev_map *m = ev_shm_map(&snap, name);
    lab_assert(m == NULL, NOTE("closing-what-you-opened"),
               "expected: no mapping of /dev/shm%s after %s\n  got:      "
               "%lx-%lx %s is still mapped\n  likely:   munmap missing",
               name, after, m ? m->lo : 0UL, m ? m->hi : 0UL, m ? m->perms : "");
}

LAB_TEST(reader, reader_maps_exactly_the_size_it_finds, 6)
{
    const char *name = lab_name("reader");
    test_object(name, ODD_SIZE);
    errno = 0;
    struct shm_view *v = shm_open_reader(name);
    int err = errno;
    lab_assert(v != NULL, NOTE("a-reader-learns-the-size"),
               "shm_open_reader(\"%s\") on a %d-byte object\n  expected: a "
               "view\n  got:      NULL with errno %s\n  likely:   %s", name,
               ODD_SIZE, lab_errno_name(err), lab_errno_hint(err));
    lab_assert(v->len == ODD_SIZE, NOTE("a-reader-learns-the-size"),
               "shm_open_reader(\"%s\") on a %d-byte object\n  expected: a "
               "view of exactly %d bytes\n  got:      %zu bytes\n  likely:   "
               "the length given to mmap is a constant; ask the object with "
               "fstat (st_size)", name, ODD_SIZE, ODD_SIZE, v->len);
    long diff = first_difference(v->addr, v->len);
    lab_assert(diff == -1, NOTE("a-reader-learns-the-size"),
               "expected: the view shows the object's bytes\n  got:      "
               "a difference at offset %ld", diff);
    ev_take(&snap);
    const struct ev_map *m = ev_map_at(&snap, v->addr);
    lab_assert(m && strcmp(m->perms, "r--s") == 0, NOTE("a-reader-learns-the-size"),
               "expected: the reader's view is mapped r--s (read only, "
               "shared)\n  got:      %s", m ? m->perms : "no mapping there");
    int fd = -1;
    lab_assert(ev_shm_fds(&snap, name, &fd) == 0, NOTE("closing-what-you-opened"),
               "expected: shm_open_reader closes its descriptor once mapped\n"
               "  got:      descriptor %d still refers to /dev/shm%s", fd, name);
    shm_view_release(v);

    /* The writer grows the object: a new reader must see the new size. */
    int wfd = shm_open(name, O_RDWR, 0);
    cr_assert(wfd != -1 && ftruncate(wfd, 2 * ODD_SIZE) == 0, "grader: resize failed");
    close(wfd);
    v = shm_open_reader(name);
    lab_assert(v != NULL && v->len == 2 * ODD_SIZE, NOTE("a-reader-learns-the-size"),
               "after the object grew to %d bytes, shm_open_reader again\n  "
               "expected: a view of %d bytes\n  got:      %s", 2 * ODD_SIZE,
               2 * ODD_SIZE, v ? lab_fmt("%zu bytes", v->len) : "NULL");
    shm_view_release(v);

    const char *missing = lab_name("nobody");
    errno = 0;
    v = shm_open_reader(missing);
    err = errno;
    lab_assert(v == NULL && err == ENOENT && !lab_shm_exists(missing),
               NOTE("a-reader-learns-the-size"),
               "shm_open_reader on a name that does not exist\n  expected: "
               "NULL with errno ENOENT, and still no object\n  got:      %s",
               v ? "a view" : !lab_shm_exists(missing)
                   ? lab_fmt("NULL with errno %s", lab_errno_name(err))
                   : "the object was created (O_CREAT?)");
    const char *empty = lab_name("empty");
    close(shm_open(empty, O_RDWR | O_CREAT | O_EXCL, 0600));
    errno = 0;
    v = shm_open_reader(empty);
    err = errno;
    lab_assert(v == NULL && err == EINVAL, NOTE("mapping-zero-bytes"),
               "shm_open_reader on an object of size 0 (the writer has not "
               "sized it yet)\n  expected: NULL with errno EINVAL\n  got:    "
               "  %s", v ? lab_fmt("a view of %zu bytes", v->len)
                         : lab_fmt("NULL with errno %s", lab_errno_name(err)));
    assert_nothing_held(empty, "shm_open_reader failed");

    /* An object this process may only read: a reader needs no more than
     * O_RDONLY (unless the process may override file permissions, as
     * root can: then there is nothing to tell apart). */
    const char *ro = lab_name("readable");
    int rfd = shm_open(ro, O_RDWR | O_CREAT | O_EXCL, 0400);
    cr_assert(rfd != -1 && ftruncate(rfd, PAGE_BYTES) == 0 && close(rfd) == 0,
              "grader: setup failed: %s", strerror(errno));
    int probe = shm_open(ro, O_RDWR, 0);
    if (probe != -1) {
        close(probe);
        return;
    }
    errno = 0;
    v = shm_open_reader(ro);
    err = errno;
    lab_assert(v != NULL, NOTE("a-reader-learns-the-size"),
               "shm_open_reader(\"%s\") on an object of mode 0400 (this "
               "process may read it, not write it)\n  expected: a view\n  "
               "got:      NULL with errno %s\n  likely:   %s", ro,
               lab_errno_name(err),
               err == EACCES ? "it was opened O_RDWR; a reader opens O_RDONLY"
                             : lab_errno_hint(err));
    shm_view_release(v);
    size_t len = 0;
    errno = 0;
    char *text = shm_read_all(ro, &len);
    err = errno;
    lab_assert(text != NULL && len == PAGE_BYTES, NOTE("a-reader-learns-the-size"),
               "shm_read_all(\"%s\", &len) on an object of mode 0400\n  "
               "expected: a copy of %d bytes\n  got:      %s\n  likely:   %s",
               ro, PAGE_BYTES,
               text ? lab_fmt("len %zu", len)
                    : lab_fmt("NULL with errno %s", lab_errno_name(err)),
               err == EACCES ? "it was opened O_RDWR; a reader opens O_RDONLY"
                             : lab_errno_hint(err));
    free(text);
}

/* Leaves a freed block of SIZE bytes full of 'J' where the next malloc of
 * that size will most likely find it: a copy whose '\0' was never
 * written then shows, instead of ending by luck in zeroed fresh memory. */
static void dirty_heap(size_t size)
{
    char *junk = malloc(size);
    cr_assert(junk != NULL, "grader: malloc failed");
    memset(junk, 'J', size);
    free(junk);
}

LAB_TEST(reader, read_all_copies_the_whole_object_as_a_string, 5)
{
    const char *name = lab_name("copy");
    test_object(name, ODD_SIZE);
    size_t len = 0;
    dirty_heap(ODD_SIZE + 1);
    errno = 0;
    char *text = shm_read_all(name, &len);
    int err = errno;
    lab_assert(text != NULL, NOTE("a-reader-learns-the-size"),
               "shm_read_all(\"%s\", &len) on a %d-byte object\n  expected: "
               "a copy\n  got:      NULL with errno %s", name, ODD_SIZE,
               lab_errno_name(err));
    long diff = len == ODD_SIZE ? first_difference(text, len) : -1;
    lab_assert(len == ODD_SIZE && diff == -1 && text[len] == '\0',
               NOTE("a-reader-learns-the-size"),
               "shm_read_all on a %d-byte object\n  expected: len %d, the "
               "object's bytes, then '\\0'\n  got:      len %zu%s\n  likely:  "
               " %s", ODD_SIZE, ODD_SIZE, len,
               diff >= 0 ? lab_fmt(", a difference at offset %ld", diff) : "",
               len != ODD_SIZE ? "the size is a constant, not fstat's st_size"
                               : "the copy does not end with '\\0'");
    free(text);
    assert_nothing_held(name, "shm_read_all");

    const char *empty = lab_name("empty");
    close(shm_open(empty, O_RDWR | O_CREAT | O_EXCL, 0600));
    len = 99;
    dirty_heap(1);
    errno = 0;
    text = shm_read_all(empty, &len);
    err = errno;
    lab_assert(text != NULL && text[0] == '\0' && len == 0,
               NOTE("mapping-zero-bytes"),
               "shm_read_all on an object of size 0\n  expected: \"\" and len "
               "0\n  got:      %s\n  likely:   %s",
               text ? lab_fmt("len %zu", len)
                    : lab_fmt("NULL with errno %s", lab_errno_name(err)),
               text ? "len not set" : "an empty object was mapped: mmap "
                                      "refuses a length of 0");
    free(text);
    assert_nothing_held(empty, "shm_read_all");

    const char *one = lab_name("one");
    test_object(one, 1);
    len = 99;
    dirty_heap(2);
    errno = 0;
    text = shm_read_all(one, &len);
    err = errno;
    lab_assert(text != NULL && len == 1 && text[0] == pattern(0) && text[1] == '\0',
               NOTE("a-reader-learns-the-size"),
               "shm_read_all on an object of 1 byte, \"%c\"\n  expected: "
               "\"%c\" and len 1\n  got:      %s", pattern(0), pattern(0),
               text ? lab_fmt("%s, len %zu", lab_quote(text, 2), len)
                    : lab_fmt("NULL with errno %s", lab_errno_name(err)));
    free(text);

    const char *missing = lab_name("nobody");
    errno = 0;
    text = shm_read_all(missing, &len);
    err = errno;
    lab_assert(text == NULL && err == ENOENT, NOTE("a-reader-learns-the-size"),
               "shm_read_all on a name that does not exist\n  expected: NULL "
               "with errno ENOENT\n  got:      %s",
               text ? "a copy" : lab_fmt("NULL with errno %s", lab_errno_name(err)));
}
