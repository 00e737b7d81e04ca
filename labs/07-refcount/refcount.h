/* refcount.h - lab 07: how long queues and shm objects live, and
 * releasing exactly what you acquire.
 *
 * The contract between your code (refcount.c) and the grader. Do not
 * change this file: the grader compiles your code against its own copy.
 *
 * A channel is the course notes' pattern for shared memory: the data
 * goes into a shm object, and a short notice on a message queue tells
 * the reader it is there. Each process that uses a channel holds its own
 * struct channel: one queue descriptor and one mapping of the object.
 *
 * Every function returns -1 or NULL on failure and leaves errno as the
 * failing call set it. A function that fails leaves nothing behind: no
 * descriptor, no mapping, no memory, and no name it created. Nothing
 * here prints or exits.
 */
#ifndef REFCOUNT_H
#define REFCOUNT_H

#include <mqueue.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Permissions of the queue and the object: the owner may read, write. */
#define CHANNEL_MODE 0600
/* The queue's attributes: room for 4 notices of at most 64 bytes. */
#define CHANNEL_MAXMSG 4
#define CHANNEL_MSGSIZE 64

/* A notice is one message of exactly sizeof(channel_notice) bytes: the
 * length of the text just published (without its '\0'), in the
 * machine's own byte order (memcpy of a channel_notice variable). */
typedef uint32_t channel_notice;

/* What one process holds of a channel. Allocated by channel_create and
 * channel_attach; channel_detach releases all of it. */
struct channel {
    mqd_t queue;    /* the queue, open O_RDWR */
    char *data;     /* the shm object, mapped shared, read and write */
    size_t len;     /* the mapping's length: the object's size */
};

/* Creates both objects, neither of which may exist yet: the queue QNAME
 * (O_RDWR, CHANNEL_MODE, CHANNEL_MAXMSG x CHANNEL_MSGSIZE) and the shm
 * object DNAME (O_RDWR, CHANNEL_MODE) of LEN bytes, mapped whole. The
 * object's descriptor is closed once it is mapped: the mapping keeps the
 * object alive, and a descriptor kept open would only leak.
 * Returns the channel, or NULL with errno: EEXIST if either name is
 * taken, EINVAL if LEN is 0. On failure both names are as they were: a
 * queue or object this call created is removed again, one it did not
 * create is left alone. */
struct channel *channel_create(const char *qname, const char *dname,
                               size_t len);

/* Attaches to existing objects: opens the queue QNAME (O_RDWR) and the
 * object DNAME (O_RDWR), maps the whole object (its size from fstat), and
 * closes the object's descriptor. Never creates anything.
 * Returns the channel, or NULL with errno: ENOENT if either name does not
 * exist (for instance, because it was unlinked). */
struct channel *channel_attach(const char *qname, const char *dname);

/* Copies TEXT and its '\0' to the start of the object, then sends a
 * notice holding strlen(TEXT) at priority 0. Blocks while the queue is
 * full.
 * Returns 0, or -1 with errno: EMSGSIZE if strlen(TEXT) + 1 > c->len
 * (nothing is written or sent). */
int channel_publish(struct channel *c, const char *text);

/* Waits for a notice, then copies the text it announces from the object
 * into OUT, with its '\0'.
 * Returns the text's length, or -1 with errno: EMSGSIZE if OUT cannot
 * hold the text and its '\0' (OUTSIZE < length + 1; the notice is
 * consumed and nothing is written to OUT), EBADMSG if the notice is
 * malformed or announces more than the object holds. */
ssize_t channel_receive(struct channel *c, char *out, size_t outsize);

/* Releases what this process holds: unmaps the object, closes the
 * queue, frees C. The objects, their contents and their names stay.
 * channel_detach(NULL) returns 0. C is gone afterwards, even on failure.
 * Returns 0, or -1 with the errno of the first release that failed. */
int channel_detach(struct channel *c);

/* Removes both names, QNAME and DNAME (both are tried, whatever the
 * first gives). The objects live on for every process that still holds
 * them, and the names are free at once for new, separate objects.
 * Returns 0, or -1 with the errno of the first removal that failed
 * (ENOENT: no such name). */
int channel_unlink(const char *qname, const char *dname);

#endif
