/* shm_size.c - lab 06 solution: create an object, learn and set its
 * size, and map exactly as much of it as exists. See shm_size.h for the
 * contract. */
#include "shm_size.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int shm_create_empty(const char *name)
{
    /* O_EXCL: a stale object from an earlier run must be an error. No
     * ftruncate: a new object has size 0, and that is what is asked. */
    return shm_open(name, O_RDWR | O_CREAT | O_EXCL, SHM_MODE);
}

off_t shm_object_size(int fd)
{
    struct stat st;
    if (fstat(fd, &st) == -1)
        return -1;
    return st.st_size;
}

int shm_set_size(int fd, off_t size)
{
    /* ftruncate both grows (with zeros) and shrinks. It fails, with
     * EINVAL, on a descriptor not open for writing: check it. */
    if (ftruncate(fd, size) == -1)
        return -1;
    return 0;
}

struct shm_view *shm_map_whole(int fd, int prot)
{
    /* Map what exists, no more: a page of the mapping beyond the
     * object's end raises SIGBUS when touched. Ask the object, not the
     * caller, how big it is: another process may have resized it. */
    off_t size = shm_object_size(fd);
    if (size == -1)
        return NULL;
    struct shm_view *v = malloc(sizeof *v);
    if (v == NULL)
        return NULL;
    /* Size 0 reaches mmap, which refuses a length of 0 with EINVAL. */
    void *addr = mmap(NULL, (size_t)size, prot, MAP_SHARED, fd, 0);
    if (addr == MAP_FAILED) {
        int saved = errno;
        free(v);
        errno = saved;
        return NULL;
    }
    v->addr = addr;
    v->len = (size_t)size;
    return v;
}

/* Maps the whole object open on FD and closes FD whatever happened: a
 * mapping holds its own reference to the object, so the descriptor is
 * not needed any more either way. */
static struct shm_view *map_and_close(int fd, int prot)
{
    struct shm_view *v = shm_map_whole(fd, prot);
    int saved = errno;
    if (close(fd) == -1 && v != NULL) {
        saved = errno;
        shm_view_release(v);  /* undoing: the close error is reported */
        v = NULL;
    }
    errno = saved;
    return v;
}

struct shm_view *shm_create_writer(const char *name, off_t size)
{
    int fd = shm_create_empty(name);
    if (fd == -1)
        return NULL;
    /* The size first: mapping the new, empty object would fail. */
    struct shm_view *v = NULL;
    if (shm_set_size(fd, size) == 0)
        v = shm_map_whole(fd, PROT_READ | PROT_WRITE);
    /* The mapping keeps the object: the descriptor is not needed now. */
    int saved = errno;
    if (close(fd) == -1 && v != NULL) {
        saved = errno;
        shm_view_release(v);
        v = NULL;
    }
    if (v == NULL) {
        /* This call created the object: remove it again. The caller
         * wants the first error, not one from the cleanup. */
        shm_unlink(name);
        errno = saved;
        return NULL;
    }
    return v;
}

struct shm_view *shm_open_writer(const char *name)
{
    /* Never O_TRUNC: it would set the size to 0 under the first writer's
     * feet, destroying its data and making its mapping raise SIGBUS. */
    int fd = shm_open(name, O_RDWR, 0);
    if (fd == -1)
        return NULL;
    return map_and_close(fd, PROT_READ | PROT_WRITE);
}

struct shm_view *shm_open_reader(const char *name)
{
    /* O_RDONLY allows PROT_READ only, and that is all a reader needs. */
    int fd = shm_open(name, O_RDONLY, 0);
    if (fd == -1)
        return NULL;
    return map_and_close(fd, PROT_READ);
}

int shm_view_release(struct shm_view *v)
{
    if (v == NULL)
        return 0;
    /* munmap ends the mapping; nothing else does (not close, not free). */
    int rc = munmap(v->addr, v->len);
    int saved = errno;
    free(v);
    errno = saved;
    return rc;
}

/* A buffer of LEN + 1 bytes: LEN bytes copied from SRC, then '\0'. */
static char *copy_as_string(const void *src, size_t len)
{
    char *buf = malloc(len + 1);  /* + 1: the '\0' needs its own byte */
    if (buf == NULL)
        return NULL;
    if (len > 0)
        memcpy(buf, src, len);
    buf[len] = '\0';
    return buf;
}

char *shm_read_all(const char *name, size_t *len)
{
    int fd = shm_open(name, O_RDONLY, 0);
    if (fd == -1)
        return NULL;
    size_t size = 0;
    char *buf = NULL;
    off_t now = shm_object_size(fd);
    if (now == -1) {
        int saved = errno;
        close(fd);  /* undoing: fstat's error is the one to report */
        errno = saved;
        return NULL;
    }
    if (now == 0) {
        /* Nothing to map, and mmap refuses a length of 0. */
        if (close(fd) == -1)
            return NULL;
        buf = copy_as_string("", 0);
    } else {
        /* Map what the object holds now (fstat again, inside): another
         * process may have resized it since the check above. */
        struct shm_view *v = map_and_close(fd, PROT_READ);
        if (v == NULL)
            return NULL;
        size = v->len;
        buf = copy_as_string(v->addr, v->len);
        int saved = errno;
        if (shm_view_release(v) == -1 && buf != NULL) {
            saved = errno;
            free(buf);
            buf = NULL;
        }
        errno = saved;
    }
    if (buf != NULL && len != NULL)
        *len = size;
    return buf;
}
