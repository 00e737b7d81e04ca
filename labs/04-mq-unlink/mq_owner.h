/* mq_owner.h - lab 04: a queue's life beyond its name, and who removes it.
 *
 * The contract between your code (mq_owner.c) and the grader. Do not
 * change this file: the grader compiles your code against its own copy.
 *
 * Every function returns -1 (or (mqd_t)-1) on failure and leaves errno as
 * the failing call set it. Nothing here prints or exits.
 */
#ifndef MQ_OWNER_H
#define MQ_OWNER_H

#include <mqueue.h>
#include <stddef.h>
#include <sys/types.h>

/* Permissions of a new queue: owner and group may read and write. */
#define OWNER_MODE 0660

/* The longest queue name: '/' and 255 characters. */
#define OWNER_NAME_MAX 256

/* The size of every mailbox queue (mailbox_post creates them). */
#define MAILBOX_MAXMSG 10
#define MAILBOX_MSGSIZE 256

/* The longest nap of peer_open_wait between two tries, in milliseconds. */
#define PEER_MAX_NAP_MS 50

/* The creator of a queue, responsible for its name. */
struct owner {
    mqd_t q;                         /* its descriptor, O_RDWR          */
    char name[OWNER_NAME_MAX + 1];   /* the name it created             */
    int name_released;               /* 1 once it removed the name      */
};

/* ---- the owner ------------------------------------------------------- */

/* Creates the queue NAME, which must not exist yet, open for sending and
 * receiving, with permissions OWNER_MODE, MAXMSG messages of at most
 * MSGSIZE bytes, and fills *O (name_released 0).
 * Returns 0, or -1 with errno: EEXIST if the name exists (never remove
 * it to make room: it may be another owner's queue, in use),
 * ENAMETOOLONG if NAME does not fit in O->name, the errors of mq_open. */
int owner_start(struct owner *o, const char *name, long maxmsg, long msgsize);

/* Removes O's name now, while O->q stays open: the name is gone at once,
 * and O->q, like every descriptor opened before, keeps working. Does
 * nothing if the name was released already.
 * Returns 0, or -1 with errno from mq_unlink (name_released stays 0:
 * the name is still there). */
int owner_release_name(struct owner *o);

/* The end of the owner: closes O->q, and removes the name unless it was
 * released already (then the name may belong to a newer queue). Both are
 * attempted.
 * Returns 0, or -1 with the errno of the first call that failed. */
int owner_stop(struct owner *o);

/* ---- peers ----------------------------------------------------------- */

/* Opens the existing queue NAME with OFLAG (O_RDONLY, O_WRONLY or O_RDWR,
 * optionally | O_NONBLOCK), passed on as it is. Never creates a queue.
 * (Other flags in OFLAG are outside this contract: the grader never
 * passes them.)
 * Returns the descriptor, or (mqd_t)-1 with errno (ENOENT: no queue of
 * that name, not yet or not any more). */
mqd_t peer_open(const char *name, int oflag);

/* A peer that may start before its owner: peer_open, retried while it
 * fails with ENOENT, until TIMEOUT_MS milliseconds have passed. Between
 * tries it sleeps: 1 ms, then twice as long each time, at most
 * PEER_MAX_NAP_MS, never past the deadline (a nap a signal interrupts
 * may be resumed or cut short). Never creates a queue.
 * The first try comes at once, even with TIMEOUT_MS 0; one last try at
 * the deadline is allowed, not required.
 * Returns the descriptor, or (mqd_t)-1 with errno: ETIMEDOUT (the name
 * never appeared), another error of peer_open at once, or that of a
 * failing clock_gettime. */
mqd_t peer_open_wait(const char *name, int oflag, long timeout_ms);

/* 1 if a queue NAME exists now, 0 if not, -1 with errno on another
 * error (of mq_open, or of closing the probe). A queue this process may
 * not open (EACCES) exists; but mq_open gives EACCES also for a name no
 * queue can have (a '/' after the first character, "/." or "/.."), which
 * is never 1: 0, or -1 with EINVAL. Creates nothing, leaves nothing open. */
int queue_exists(const char *name);

/* ---- a mailbox: messages that outlive their senders ------------------ */

/* What mailbox_collect calls for each message: its bytes (LEN of them,
 * valid only during the call), its priority, and mailbox_collect's ARG. */
typedef void (*mailbox_visit)(const void *data, size_t len, unsigned prio,
                              void *arg);

/* Leaves a message in the mailbox NAME and goes: opens NAME for sending,
 * non-blocking, creating it if it does not exist yet (MAILBOX_MAXMSG x
 * MAILBOX_MSGSIZE, OWNER_MODE; not exclusive: whoever posts first
 * creates it), sends the LEN bytes at DATA with priority 0, and closes.
 * The message stays in the queue after every process has closed it.
 * Returns 0, or -1 with errno (EAGAIN: the mailbox is full; EMSGSIZE);
 * a failed send's errno even if the close fails too. */
int mailbox_post(const char *name, const void *data, size_t len);

/* The mailbox's collector, which owns its end: opens the existing NAME
 * for receiving, non-blocking; takes every message in it, calling VISIT
 * (if not NULL) for each; closes it and removes the name.
 * Returns the number of messages taken, or -1 with errno (ENOENT: no
 * such mailbox; or that of any call that failed: if a second one fails
 * while cleaning up after the first, either one's). Everything it opens or
 * allocates is released on every path. After a failure before the
 * mailbox was empty, removing the name or not is up to you. */
long mailbox_collect(const char *name, mailbox_visit visit, void *arg);

#endif
