/* shm_size.c - lab 06: create an object, learn and set its size, and map
 * exactly as much of it as exists. The contract is shm_size.h; the spec
 * is README.md. Replace each TODO(student) with the real code. */
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
    /* TODO(student): create the object, which must not exist yet, open
     * for reading and writing, and leave its size alone. */
    (void)name;
    errno = ENOSYS;
    return -1;
}

off_t shm_object_size(int fd)
{
    /* TODO(student): return the object's size as fstat reports it. */
    (void)fd;
    errno = ENOSYS;
    return -1;
}

int shm_set_size(int fd, off_t size)
{
    /* TODO(student): set the object's size with ftruncate, and report
     * its failure. */
    (void)fd;
    (void)size;
    errno = ENOSYS;
    return -1;
}

struct shm_view *shm_map_whole(int fd, int prot)
{
    /* TODO(student): learn the object's size, allocate the view, and map
     * exactly that many bytes, shared; on failure free the view, keeping
     * errno. */
    (void)fd;
    (void)prot;
    errno = ENOSYS;
    return NULL;
}

struct shm_view *shm_create_writer(const char *name, off_t size)
{
    /* TODO(student): create the object, size it, map it for reading and
     * writing, and close the descriptor; on failure remove the object
     * this call created, keeping errno. */
    (void)name;
    (void)size;
    errno = ENOSYS;
    return NULL;
}

struct shm_view *shm_open_writer(const char *name)
{
    /* TODO(student): open the existing object for reading and writing
     * without changing its size, map all of it, and close the
     * descriptor. */
    (void)name;
    errno = ENOSYS;
    return NULL;
}

struct shm_view *shm_open_reader(const char *name)
{
    /* TODO(student): open the existing object read-only, map all of it
     * for reading, and close the descriptor. */
    (void)name;
    errno = ENOSYS;
    return NULL;
}

int shm_view_release(struct shm_view *v)
{
    /* TODO(student): unmap the view and free it. */
    (void)v;
    errno = ENOSYS;
    return -1;
}

char *shm_read_all(const char *name, size_t *len)
{
    /* TODO(student): open the object read-only, learn its size, copy all
     * of it into a buffer with room for a final '\0' (without mapping an
     * empty object), and release everything but the buffer. */
    (void)name;
    (void)len;
    errno = ENOSYS;
    return NULL;
}
