/* mq_nonblock.h - lab 03: non-blocking descriptors, EAGAIN, deadlines.
 *
 * The contract between your code (mq_nonblock.c) and the grader. Do not
 * change this file: the grader compiles your code against its own copy.
 *
 * Every function returns -1 (or (mqd_t)-1) on failure and leaves errno as
 * the failing call set it. Nothing here prints or exits.
 */
#ifndef MQ_NONBLOCK_H
#define MQ_NONBLOCK_H

#include <mqueue.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* Permissions of a new queue: owner and group may read and write. */
#define NB_MODE 0660

/* The longest nap of nb_send_retry between two tries, in milliseconds. */
#define NB_MAX_NAP_MS 64

/* Creates the queue NAME, which must not exist yet, open for sending and
 * receiving, with permissions NB_MODE and room for MAXMSG messages of at
 * most MSGSIZE bytes. If NONBLOCKING is not 0, the descriptor is
 * non-blocking from the start. (mq_open ignores attr.mq_flags: where does
 * O_NONBLOCK go?)
 * Returns its descriptor, or (mqd_t)-1 with errno from mq_open. */
mqd_t nb_create(const char *name, long maxmsg, long msgsize, int nonblocking);

/* Turns O_NONBLOCK on (ON != 0) or off (ON == 0) for Q, with mq_setattr.
 * Returns the state before the call (1 non-blocking, 0 blocking), or -1
 * with errno (EBADF). */
int nb_set_nonblocking(mqd_t q, int on);

/* Fills *DEADLINE with the CLOCK_REALTIME time MS milliseconds from now,
 * as mq_timedsend and mq_timedreceive want it: absolute, with tv_nsec in
 * 0..999999999.
 * Returns 0, or -1 with errno (EINVAL: MS < 0). */
int nb_deadline_after(struct timespec *deadline, long ms);

/* mq_send that gives up TIMEOUT_MS milliseconds from now.
 * Returns 0, or -1 with errno: ETIMEDOUT (the queue stayed full until
 * the deadline), EAGAIN (full, and Q is non-blocking: no waiting at
 * all), EMSGSIZE, EBADF, EINVAL (also for TIMEOUT_MS < 0), or the errno
 * of a failing nb_deadline_after; nothing is sent then. */
int nb_send_within(mqd_t q, const void *data, size_t len, unsigned prio,
                   long timeout_ms);

/* mq_receive that gives up TIMEOUT_MS milliseconds from now. BUF holds
 * SIZE bytes (at least the queue's mq_msgsize); *PRIO gets the message's
 * priority if PRIO is not NULL.
 * Returns the message's length, or -1 with errno: ETIMEDOUT (the queue
 * stayed empty until the deadline), EAGAIN (empty, and Q is
 * non-blocking), EMSGSIZE, EBADF, EINVAL (also for TIMEOUT_MS < 0), or
 * the errno of a failing nb_deadline_after; nothing is taken then. */
ssize_t nb_receive_within(mqd_t q, void *buf, size_t size, unsigned *prio,
                          long timeout_ms);

/* What nb_drain calls for each message it takes: its bytes (LEN of them,
 * valid only during the call), its priority, and nb_drain's ARG. */
typedef void (*nb_visit)(const void *data, size_t len, unsigned prio,
                         void *arg);

/* Takes every message waiting in Q now, in the order mq_receive gives
 * them, without ever blocking, whether Q is blocking or not: Q is made
 * non-blocking for the drain and then put back as it was. Calls VISIT
 * (if not NULL) for each message, zero-length messages included.
 * Returns the number of messages taken (0 for an empty queue), or -1
 * with errno on an error other than EAGAIN (of mq_receive, or of any
 * call that fails: mq_getattr, malloc, mq_setattr); Q's mode is restored
 * (unless restoring it is what failed) and everything allocated is freed
 * on every path. If a call fails while cleaning up after an earlier
 * failure, errno may be either one's. */
long nb_drain(mqd_t q, nb_visit visit, void *arg);

/* Sends on Q, which may be non-blocking, retrying while the queue is full
 * (EAGAIN) until TIMEOUT_MS milliseconds have passed. Between tries it
 * sleeps without using the CPU: 1 ms, then twice as long each time, at
 * most NB_MAX_NAP_MS, and never past the deadline (a nap a signal
 * interrupts may be resumed or cut short). The first try comes
 * at once, even with TIMEOUT_MS 0; one last try at the deadline is
 * allowed, not required.
 * Returns 0, or -1 with errno: ETIMEDOUT (still full at the deadline),
 * the error of mq_send other than EAGAIN, or that of a failing
 * clock_gettime. */
int nb_send_retry(mqd_t q, const void *data, size_t len, unsigned prio,
                  long timeout_ms);

#endif
