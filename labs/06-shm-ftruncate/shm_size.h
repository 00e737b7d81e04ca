/* shm_size.h - lab 06: the size of a POSIX shared memory object.
 *
 * The contract between your code (shm_size.c) and the grader. Do not
 * change this file: the grader compiles your code against its own copy.
 *
 * Every function returns -1 or NULL on failure and leaves errno as the
 * failing system call set it: callers, and the grader, read errno to
 * learn why. A function that fails leaves nothing behind: no descriptor,
 * no mapping, no memory, and no object it created. Nothing here prints
 * or exits.
 */
#ifndef SHM_SIZE_H
#define SHM_SIZE_H

#include <stddef.h>
#include <sys/types.h>

/* Permissions of a new object: the owner may read and write. */
#define SHM_MODE 0600

/* One mapping of a whole object, as big as the object was when mapped.
 * Allocated by the functions below; shm_view_release frees it. */
struct shm_view {
    void *addr;   /* where the object is mapped in this process */
    size_t len;   /* bytes mapped: the object's size at mapping time */
};

/* ---- the object and its size ------------------------------------------ */

/* Creates the object NAME, which must not exist yet, open for reading and
 * writing, with mode SHM_MODE, and does not size it: a new object has
 * size 0.
 * Returns the descriptor (the caller closes it), or -1 with errno:
 * EEXIST if the name is taken. */
int shm_create_empty(const char *name);

/* The current size of the object open on FD, as fstat reports it.
 * Returns the size, or -1 with errno (EBADF). */
off_t shm_object_size(int fd);

/* Sets the size of the object open on FD to SIZE bytes with ftruncate,
 * growing it (the new bytes read as zeros, unless a mapping stored past
 * the old end within its last page: notes/06, "Mapping exactly what
 * exists") or shrinking it (the bytes beyond SIZE are gone, and touching
 * them through an older, longer mapping raises SIGBUS).
 * Returns 0, or -1 with errno: EINVAL if FD is not open for writing or
 * SIZE is negative. */
int shm_set_size(int fd, off_t size);

/* ---- views: mappings of a whole object ---------------------------------- */

/* Learns the size of the object open on FD with fstat and maps exactly
 * that many bytes, shared, with protection PROT (PROT_READ, or PROT_READ
 * | PROT_WRITE). FD stays open.
 * Returns the view, or NULL with errno: EINVAL if the object is empty
 * (mmap cannot map 0 bytes), EACCES if PROT asks for writing and FD is
 * open O_RDONLY. */
struct shm_view *shm_map_whole(int fd, int prot);

/* A writer's start: creates the object NAME (it must not exist yet),
 * sets its size to SIZE, maps all of it for reading and writing, and
 * closes the descriptor.
 * Returns the view, or NULL with errno: EEXIST if the name is taken,
 * EINVAL if SIZE is 0 or negative. On failure the object is removed
 * again if this call created it. */
struct shm_view *shm_create_writer(const char *name, off_t size);

/* A second writer: opens the existing object NAME for reading and
 * writing without changing its size or contents, maps all of it, and
 * closes the descriptor.
 * Returns the view, or NULL with errno: ENOENT if there is no such
 * object, EINVAL if it is empty. */
struct shm_view *shm_open_writer(const char *name);

/* A reader: opens the existing object NAME read-only, maps exactly its
 * size for reading, and closes the descriptor.
 * Returns the view, or NULL with errno: ENOENT if there is no such
 * object, EINVAL if it is empty. */
struct shm_view *shm_open_reader(const char *name);

/* Unmaps V and frees it. The object stays. shm_view_release(NULL) does
 * nothing and returns 0. V is gone afterwards, even if unmapping failed.
 * Returns 0, or -1 with errno from munmap. */
int shm_view_release(struct shm_view *v);

/* A reader's copy of the whole object NAME: opens it read-only, learns
 * its size, copies all of it into a malloc'd buffer of size + 1 bytes
 * that ends with '\0', and releases everything else. An empty object
 * gives an empty string (and is not mapped: mmap cannot map 0 bytes).
 * If LEN is not NULL, *LEN gets the object's size.
 * Returns the buffer (the caller frees it), or NULL with errno: ENOENT if
 * there is no such object. */
char *shm_read_all(const char *name, size_t *len);

#endif
