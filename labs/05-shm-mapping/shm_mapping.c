/* shm_mapping.c - lab 05: create, open, map and unmap a POSIX shared
 * memory object, and keep a list of strings in it that every process can
 * read whatever address it mapped it at. The contract is shm_mapping.h;
 * the spec is README.md. Replace each TODO(student) with the real code. */
#include "shm_mapping.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void *shm_map(int fd, size_t len, int prot)
{
    /* TODO(student): map LEN bytes of FD with PROT, shared, at an address
     * the kernel chooses, and turn mmap's MAP_FAILED into NULL. */
    (void)fd;
    (void)len;
    (void)prot;
    errno = ENOSYS;
    return NULL;
}

struct shm_region *shm_region_create(const char *name, size_t len)
{
    /* TODO(student): allocate the region, create the object (it must not
     * exist yet), size it, map it for reading and writing, and close the
     * descriptor; on failure undo every step, keeping errno. */
    (void)name;
    (void)len;
    errno = ENOSYS;
    return NULL;
}

struct shm_region *shm_region_open(const char *name, size_t len,
                                   enum shm_access access)
{
    /* TODO(student): open the existing object with the access mode that
     * matches ACCESS, map LEN bytes with the matching protection, and
     * close the descriptor. */
    (void)name;
    (void)len;
    (void)access;
    errno = ENOSYS;
    return NULL;
}

int shm_region_close(struct shm_region *r)
{
    /* TODO(student): unmap the region and free it. */
    (void)r;
    errno = ENOSYS;
    return -1;
}

int shm_region_remove(const char *name)
{
    /* TODO(student): remove the object's name. */
    (void)name;
    errno = ENOSYS;
    return -1;
}

int board_init(void *base, size_t size)
{
    /* TODO(student): write an empty board's header at BASE. */
    (void)base;
    (void)size;
    errno = ENOSYS;
    return -1;
}

int board_append(void *base, size_t size, const char *text)
{
    /* TODO(student): check the entry fits, write it after the last one,
     * and link it in by its offset from BASE, never by its address. */
    (void)base;
    (void)size;
    (void)text;
    errno = ENOSYS;
    return -1;
}

const char *board_get(const void *base, size_t size, size_t index)
{
    /* TODO(student): follow the offsets from the first entry, checking
     * each against SIZE, and return the text of entry INDEX. */
    (void)base;
    (void)size;
    (void)index;
    errno = ENOSYS;
    return NULL;
}
