/* pubsub.h - lab 10 (capstone): publish a record in shared memory,
 * notify every subscriber through its own message queue.
 *
 * The contract between your code (pubsub.c) and the grader. Do not
 * change this file: the grader compiles your code against its own copy.
 *
 * One shared memory object holds a struct ps_shared: the record (seq,
 * len, data), a counter, the table of subscriber queues, and the
 * process-shared mutex that guards all of it. The process that creates
 * the object owns its name; every other process attaches to it. A
 * subscriber creates and owns a small queue; after each update the
 * publisher sends it a notification (the new seq), and the subscriber
 * then reads the record itself. A notification is only a hint: the record
 * is the truth, and a subscriber that was slow reads the latest state.
 *
 * Every function returns -1 on failure and leaves errno as the failing
 * call set it (the pthread_* functions return their error: put it in
 * errno), even if a clean-up call fails after it. Nothing here prints or
 * exits.
 */
#ifndef PUBSUB_H
#define PUBSUB_H

#include <mqueue.h>
#include <pthread.h>
#include <stddef.h>
#include <time.h>

/* Bytes of data in the record: large enough that a copy made while the
 * publisher writes shows a mix of two updates. */
#define PS_DATA_MAX 4096
/* Room for a name (shm object or queue), '\0' included. */
#define PS_NAME_MAX 64
/* Subscriber queues the table can hold. */
#define PS_MAX_SUBSCRIBERS 8
/* Notifications a subscriber queue holds (its mq_maxmsg); each is one
 * unsigned long, the seq of the update (its mq_msgsize). */
#define PS_QUEUE_DEPTH 4
/* Permissions of the shm object and of the queues: owner only. */
#define PS_MODE 0600

/* What lives in the shared memory object. Every field is read and
 * written with lock held. */
struct ps_shared {
    pthread_mutex_t lock;        /* process-shared (and robust: bonus)  */
    unsigned long seq;           /* updates published so far; 0 at first */
    unsigned long counter;       /* what ps_increment adds to           */
    size_t len;                  /* bytes of data that are valid        */
    char data[PS_DATA_MAX];      /* the record's contents               */
    char subscribers[PS_MAX_SUBSCRIBERS][PS_NAME_MAX];
                                 /* queue names; "" is a free slot      */
};

/* A consistent copy of the record. */
struct ps_snapshot {
    unsigned long seq;
    size_t len;
    char data[PS_DATA_MAX];
};

/* One process's view of the object. */
struct ps_handle {
    char name[PS_NAME_MAX];      /* the shm object's name                */
    int owner;                   /* 1 if this process created it         */
    struct ps_shared *shm;       /* the mapping, or NULL when closed     */
    mqd_t q;                     /* subscriber: its queue, else (mqd_t)-1 */
    char qname[PS_NAME_MAX];     /* subscriber: its queue's name, else "" */
    int slot;                    /* subscriber: its table slot, else -1  */
};

/* Creates the shm object NAME, which must not exist yet, with permissions
 * PS_MODE and the size of a struct ps_shared; maps it shared, read and
 * write; closes the descriptor (the mapping keeps the object); and
 * initialises the mutex as process-shared (PTHREAD_PROCESS_SHARED) and
 * robust (PTHREAD_MUTEX_ROBUST). A new object is all zeros: seq, counter
 * and len are 0, every slot free. H becomes the owner's handle.
 * Returns 0, or -1 with errno (ENAMETOOLONG if NAME does not fit in
 * PS_NAME_MAX; EEXIST; ...). On failure nothing is left behind. */
int ps_create(struct ps_handle *h, const char *name);

/* Attaches to the existing object NAME, created by ps_create (call it
 * only once ps_create has returned in the creator): maps it shared, for
 * reading and writing, and keeps no descriptor of it. It never creates,
 * truncates or resizes the object.
 * Returns 0, or -1 with errno (ENOENT: no such object; EINVAL: smaller
 * than a struct ps_shared). */
int ps_attach(struct ps_handle *h, const char *name);

/* Replaces the record by the LEN bytes of DATA and adds one to seq, so
 * that every reader sees the old record with the old seq or the new one
 * with the new seq, never a mix. Then sends every subscriber in the table
 * a notification holding the new seq, once the new record can be read,
 * without ever blocking: a queue that is full (EAGAIN) belongs to a
 * subscriber that is behind, and one that is gone (ENOENT) to a
 * subscriber that left; both are skipped. Any other failure of a notification
 * leaves the update published: skip that subscriber (0), or return -1
 * with its errno; either way the lock is released and no queue left open.
 * Returns 0, or -1 with errno (EINVAL if LEN > PS_DATA_MAX). */
int ps_publish(struct ps_handle *h, const void *data, size_t len);

/* Copies seq, len and the len bytes of data into OUT, all from the same
 * update.
 * Returns 0, or -1 with errno. */
int ps_read(struct ps_handle *h, struct ps_snapshot *out);

/* Adds one to counter; concurrent calls lose no increment.
 * Returns 0, or -1 with errno. */
int ps_increment(struct ps_handle *h);

/* Subscribes this process: creates the queue QNAME (must not exist; open
 * for receiving, blocking; PS_QUEUE_DEPTH messages of sizeof(unsigned
 * long) bytes; PS_MODE), then under the lock takes a free slot of the
 * table and writes QNAME there.
 * Returns 0, or -1 with errno (EBUSY: already subscribed; ENAMETOOLONG;
 * ENOSPC: the table is full, and then the queue is removed again). */
int ps_subscribe(struct ps_handle *h, const char *qname);

/* Waits at most TIMEOUT (relative) for a notification, with
 * mq_timedreceive (which wants an absolute CLOCK_REALTIME deadline;
 * EINTR: wait again). On one, takes the other notifications already
 * queued too (they all point to the record as it is now), and then reads
 * the record into OUT as ps_read does.
 * Returns 1 with OUT filled, 0 if the time ran out, -1 with errno
 * (EINVAL if this process has not subscribed). */
int ps_wait(struct ps_handle *h, struct ps_snapshot *out,
            const struct timespec *timeout);

/* Unsubscribes: under the lock frees the slot, then closes and removes
 * the queue. Returns 0, or -1 with errno (EINVAL: not subscribed). */
int ps_unsubscribe(struct ps_handle *h);

/* Releases what this process holds, and removes what it owns: the
 * subscription if any (as ps_unsubscribe), the mapping, and, for the
 * owner only, the object's name. Goes on after a failure; returns 0, or
 * -1 with the first failure's errno. The owner closes last: the others
 * must have closed, or at least stopped using the object. */
int ps_close(struct ps_handle *h);

#endif
