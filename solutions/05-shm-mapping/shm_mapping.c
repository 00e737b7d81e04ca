/* shm_mapping.c - lab 05 solution: create, open, map and unmap a POSIX
 * shared memory object, and keep a list of strings in it that every
 * process can read whatever address it mapped it at. See shm_mapping.h
 * for the contract. */
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
    /* NULL: let the kernel choose the address. MAP_SHARED: stores go to
     * the object itself, so every other mapping of it sees them;
     * MAP_PRIVATE would give this process a copy nobody else sees. */
    void *addr = mmap(NULL, len, prot, MAP_SHARED, fd, 0);
    /* mmap reports failure as MAP_FAILED ((void *)-1), never as NULL. */
    if (addr == MAP_FAILED)
        return NULL;
    return addr;
}

/* Maps LEN bytes of the object open on FD and closes FD, whatever mmap
 * did: a mapping holds its own reference to the object, so the
 * descriptor has served its purpose either way, and keeping it would
 * leak one descriptor per region. Fills R on success. */
static int map_and_close(int fd, size_t len, int prot, struct shm_region *r)
{
    void *addr = shm_map(fd, len, prot);
    int saved = errno;
    if (close(fd) == -1 && addr != NULL) {
        saved = errno;
        munmap(addr, len);  /* undoing: the close error is the one to report */
        addr = NULL;
    }
    errno = saved;
    if (addr == NULL)
        return -1;
    r->addr = addr;
    r->len = len;
    return 0;
}

/* Frees R and removes the object CREATED (if not NULL) that this call
 * made, keeping errno: the caller must see the first error, not one from
 * the cleanup. */
static struct shm_region *give_up(struct shm_region *r, const char *created)
{
    int saved = errno;
    if (created != NULL)
        shm_unlink(created);
    free(r);
    errno = saved;
    return NULL;
}

struct shm_region *shm_region_create(const char *name, size_t len)
{
    struct shm_region *r = malloc(sizeof *r);
    if (r == NULL)
        return NULL;
    /* O_EXCL: a stale object from an earlier run must be an error, not
     * silently reused with its old size and contents. */
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, SHM_MODE);
    if (fd == -1)
        return give_up(r, NULL);
    /* A new object has size 0: a store into a mapping beyond the object's
     * size raises SIGBUS, so give it its size before mapping. */
    if (ftruncate(fd, (off_t)len) == -1) {
        int saved = errno;
        close(fd);  /* undoing: ftruncate's error is the one to report */
        errno = saved;
        return give_up(r, name);
    }
    if (map_and_close(fd, len, PROT_READ | PROT_WRITE, r) == -1)
        return give_up(r, name);
    return r;
}

struct shm_region *shm_region_open(const char *name, size_t len,
                                   enum shm_access access)
{
    /* The descriptor must allow what the mapping asks for: PROT_WRITE
     * with MAP_SHARED on an O_RDONLY descriptor fails with EACCES. */
    int oflag = access == SHM_READ_WRITE ? O_RDWR : O_RDONLY;
    int prot = access == SHM_READ_WRITE ? PROT_READ | PROT_WRITE : PROT_READ;
    struct shm_region *r = malloc(sizeof *r);
    if (r == NULL)
        return NULL;
    /* No O_CREAT: opening must never invent an empty object that the
     * peer did not make; the mode argument is then ignored. */
    int fd = shm_open(name, oflag, 0);
    if (fd == -1)
        return give_up(r, NULL);
    if (map_and_close(fd, len, prot, r) == -1)
        return give_up(r, NULL);
    return r;
}

int shm_region_close(struct shm_region *r)
{
    if (r == NULL)
        return 0;
    /* munmap ends the mapping; closing the descriptor never did. Give it
     * back the length given to mmap. The object itself stays. */
    int rc = munmap(r->addr, r->len);
    int saved = errno;
    free(r);  /* only now: munmap needed r->addr and r->len */
    errno = saved;
    return rc;
}

int shm_region_remove(const char *name)
{
    return shm_unlink(name);
}

/* ---- the board ------------------------------------------------------- */

static size_t align_up(size_t n)
{
    return (n + BOARD_ALIGN - 1) / BOARD_ALIGN * BOARD_ALIGN;
}

/* The offset of P from BASE: the one form of a position in the board
 * that means the same in every process, wherever each mapped it. */
static uint64_t offset_of(const void *base, const void *p)
{
    return (uint64_t)((const char *)p - (const char *)base);
}

/* The entry at offset OFF in this process's mapping, or NULL if it does
 * not lie wholly inside the board: the board is shared, so a peer (or a
 * bug) may have written anything there. */
static struct board_entry *entry_at(const void *base, size_t size,
                                    uint64_t off)
{
    /* Room for the entry's fields and at least its '\0'; written as
     * differences, never as OFF + ..., which a huge OFF would wrap. */
    if (off < sizeof(struct board_header) || off > size ||
        size - off < sizeof(struct board_entry) + 1)
        return NULL;
    struct board_entry *e = (struct board_entry *)((const char *)base + off);
    /* The text and its '\0': len + 1 bytes after the fields. */
    if (e->len > size - off - sizeof *e - 1)
        return NULL;
    return e;
}

/* The header at BASE if BASE holds a board of SIZE bytes, else NULL. */
static struct board_header *header_of(const void *base, size_t size)
{
    struct board_header *h = (struct board_header *)base;
    if (size < sizeof *h || h->magic != BOARD_MAGIC || h->used > size)
        return NULL;
    return h;
}

int board_init(void *base, size_t size)
{
    if (size < sizeof(struct board_header)) {
        errno = EINVAL;
        return -1;
    }
    struct board_header *h = base;
    h->count = 0;
    h->used = sizeof *h;
    h->first = 0;
    h->last = 0;
    h->magic = BOARD_MAGIC;
    return 0;
}

int board_append(void *base, size_t size, const char *text)
{
    struct board_header *h = header_of(base, size);
    if (h == NULL) {
        errno = EINVAL;
        return -1;
    }
    size_t len = strlen(text);
    /* Room for the entry's own fields too, not just the text: the check
     * decides whether anything may be written past BASE + SIZE. */
    size_t need = align_up(sizeof(struct board_entry) + len + 1);
    if (need > size - h->used) {
        errno = ENOSPC;
        return -1;
    }
    struct board_entry *prev = NULL;
    if (h->last != 0 && (prev = entry_at(base, size, h->last)) == NULL) {
        errno = EINVAL;
        return -1;
    }
    struct board_entry *e = (struct board_entry *)((char *)base + h->used);
    e->next = 0;
    e->len = len;
    memcpy(e->text, text, len + 1);
    /* Link by offset, never by address: this mapping's addresses mean
     * nothing in a process that mapped the board elsewhere. */
    uint64_t off = offset_of(base, e);
    if (prev != NULL)
        prev->next = off;
    else
        h->first = off;
    h->last = off;
    h->used += need;
    h->count++;
    return 0;
}

const char *board_get(const void *base, size_t size, size_t index)
{
    const struct board_header *h = header_of(base, size);
    if (h == NULL) {
        errno = EINVAL;
        return NULL;
    }
    if (index >= h->count) {
        errno = ENOENT;
        return NULL;
    }
    /* Turn each offset back into an address of this process's mapping. */
    const struct board_entry *e = entry_at(base, size, h->first);
    for (size_t i = 0; i < index && e != NULL; i++)
        e = entry_at(base, size, e->next);
    if (e == NULL) {
        errno = EINVAL;
        return NULL;
    }
    return e->text;
}
