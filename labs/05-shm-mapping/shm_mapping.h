/* shm_mapping.h - lab 05: mapping a POSIX shared memory object.
 *
 * The contract between your code (shm_mapping.c) and the grader. Do not
 * change this file: the grader compiles your code against its own copy.
 *
 * Every function returns -1 or NULL on failure and leaves errno as the
 * failing system call set it: callers, and the grader, read errno to
 * learn why. A function that fails leaves nothing behind: no descriptor,
 * no mapping, no memory, and no object it created. Nothing here prints
 * or exits.
 */
#ifndef SHM_MAPPING_H
#define SHM_MAPPING_H

#include <stddef.h>
#include <stdint.h>

/* Permissions of a new object: the owner may read and write. */
#define SHM_MODE 0600

/* ---- mapping -------------------------------------------------------- */

/* Maps the first LEN bytes of the object open on FD, shared (MAP_SHARED:
 * stores reach the object and every other mapping of it), at an address
 * the kernel chooses, with protection PROT (PROT_READ, or PROT_READ |
 * PROT_WRITE). FD stays open: closing it is the caller's business.
 * Returns the address, or NULL with errno from mmap: EACCES when PROT asks
 * for writing and FD is open O_RDONLY, EINVAL when LEN is 0. (mmap itself
 * reports failure as MAP_FAILED, not NULL.) */
void *shm_map(int fd, size_t len, int prot);

/* ---- regions: an object and this process's mapping of it ------------ */

/* One mapping of one shm object in this process. */
struct shm_region {
    void *addr;   /* where the object is mapped in this process */
    size_t len;   /* bytes mapped: the length that was given to mmap */
};

/* How a region may be used. */
enum shm_access {
    SHM_READ_ONLY,    /* opened O_RDONLY, mapped PROT_READ               */
    SHM_READ_WRITE    /* opened O_RDWR, mapped PROT_READ | PROT_WRITE    */
};

/* Creates the shm object NAME, which must not exist yet (mode SHM_MODE),
 * gives it a size of LEN bytes, maps all of it for reading and writing,
 * and closes the descriptor: the mapping alone keeps access to the
 * object. The region is allocated with malloc; shm_region_close frees it.
 * Returns the region, or NULL with errno: EEXIST if the name is taken,
 * EINVAL if LEN is 0 (mmap cannot map 0 bytes). On failure the object is
 * removed again if this call created it. */
struct shm_region *shm_region_create(const char *name, size_t len);

/* Opens the existing shm object NAME and maps its first LEN bytes, for
 * reading only or for reading and writing as ACCESS says, then closes
 * the descriptor. Never creates the object.
 * Returns the region, or NULL with errno: ENOENT if there is no such
 * object. */
struct shm_region *shm_region_open(const char *name, size_t len,
                                   enum shm_access access);

/* Unmaps R and frees it. The object and its contents stay: other
 * mappings, and the name, are not affected. R is gone afterwards, even if
 * unmapping failed. shm_region_close(NULL) does nothing and returns 0.
 * Returns 0, or -1 with errno from munmap. */
int shm_region_close(struct shm_region *r);

/* Removes the name NAME. Mappings of the object keep working; the object
 * itself goes once the last of them is gone.
 * Returns 0, or -1 with errno (ENOENT: no such object). */
int shm_region_remove(const char *name);

/* ---- a board: a list of strings that lives in shared memory --------
 *
 * Every process may map the object at a different address, so a pointer
 * stored in shared memory means nothing to the other processes. The board
 * therefore links its entries by offsets: the number of bytes from the
 * board's start (BASE) to the entry. Offset 0 means "none" (the header
 * sits there, so no entry can).
 *
 *   BASE
 *   | board_header | entry 0 |   entry 1     |   entry 2   | free ...  |
 *   0              ^ first    ^                ^ last        ^ used    SIZE
 *
 * Layout, all in the shared memory, all offsets from BASE:
 *   - a struct board_header at offset 0;
 *   - entries, each a struct board_entry followed by the text and its
 *     '\0', starting at an offset that is a multiple of BOARD_ALIGN, one
 *     after the other in the order they were appended. */

#define BOARD_MAGIC UINT64_C(0x35306472616f6221)  /* "!board05" */
#define BOARD_ALIGN 8

struct board_header {
    uint64_t magic;   /* BOARD_MAGIC once board_init has run */
    uint64_t count;   /* entries appended so far */
    uint64_t used;    /* bytes in use from BASE: header and entries */
    uint64_t first;   /* offset of the first entry, 0 while empty */
    uint64_t last;    /* offset of the last entry, 0 while empty */
};

struct board_entry {
    uint64_t next;    /* offset of the next entry, 0 for the last one */
    uint64_t len;     /* strlen(text) */
    char text[];      /* len bytes, then '\0' */
};

/* Makes the SIZE bytes at BASE an empty board. BASE is aligned to
 * BOARD_ALIGN.
 * Returns 0, or -1 with errno EINVAL if SIZE cannot hold the header. */
int board_init(void *base, size_t size);

/* Appends a copy of TEXT as the board's last entry. An entry takes
 * sizeof(struct board_entry) + strlen(TEXT) + 1 bytes, rounded up to a
 * multiple of BOARD_ALIGN, and must fit within SIZE; nothing is written
 * past BASE + SIZE, ever.
 * Returns 0, or -1 with errno: ENOSPC if the entry does not fit (the board
 * is unchanged), EINVAL if BASE holds no board or its header is spoiled
 * (used beyond SIZE, for which ENOSPC is accepted too, or a last that is
 * not an entry inside the board; the header is then unchanged). */
int board_append(void *base, size_t size, const char *text);

/* The text of entry INDEX (0 is the oldest), as a pointer into this
 * process's mapping of the board. Checks every offset it follows against
 * SIZE: the board is shared, so its contents are not to be trusted. An
 * entry's fields, its LEN bytes of text and the '\0' after them must lie
 * inside [BASE, BASE + SIZE), and a link of 0 where count promises an
 * entry is as wrong; nothing outside the board is ever read.
 * Returns the text, or NULL with errno: ENOENT if INDEX >= count, EINVAL
 * if BASE holds no board (SIZE too small for the header, wrong magic) or
 * an offset it follows is wrong as above. */
const char *board_get(const void *base, size_t size, size_t index);

#endif
