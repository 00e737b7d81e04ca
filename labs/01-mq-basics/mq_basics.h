/* mq_basics.h - lab 01: the life of one POSIX message queue.
 *
 * The contract between your code (mq_basics.c) and the grader. Do not
 * change this file: the grader compiles your code against its own copy.
 *
 * Every function returns -1 (or (mqd_t)-1) on failure and leaves errno as
 * the failing system call set it: callers, and the grader, read errno to
 * learn why. Nothing here prints or exits.
 */
#ifndef MQ_BASICS_H
#define MQ_BASICS_H

#include <mqueue.h>
#include <sys/types.h>

/* Permissions of a new queue: owner and group may read and write. */
#define MQB_MODE 0660

/* Creates the queue NAME, which must not exist yet, open for sending and
 * receiving, with permissions MQB_MODE and room for MAXMSG messages of at
 * most MSGSIZE bytes each.
 * Returns its descriptor, or (mqd_t)-1 with errno from mq_open: EEXIST if
 * the name is taken, EINVAL for a name without a leading '/' or sizes
 * outside 1..msg_max and 1..msgsize_max. */
mqd_t mqb_create(const char *name, long maxmsg, long msgsize);

/* Opens the existing queue NAME for receiving only.
 * Returns its descriptor, or (mqd_t)-1 with errno (ENOENT: no such queue). */
mqd_t mqb_open_reader(const char *name);

/* Opens the existing queue NAME for sending only.
 * Returns its descriptor, or (mqd_t)-1 with errno (ENOENT: no such queue). */
mqd_t mqb_open_writer(const char *name);

/* Sends TEXT, including its terminating '\0' (strlen(TEXT) + 1 bytes), at
 * priority 0. Blocks while the queue is full.
 * Returns 0, or -1 with errno (EMSGSIZE: longer than the queue's
 * mq_msgsize; EBADF: Q is not open for sending). */
int mqb_send_text(mqd_t q, const char *text);

/* Receives the oldest message of Q and stores it in OUT as a string.
 * Works whatever OUTSIZE is (OUTSIZE >= 1): mq_receive itself needs a
 * buffer of at least the queue's mq_msgsize bytes, so receive into one of
 * that size and copy. A message longer than OUTSIZE - 1 bytes is cut to
 * OUTSIZE - 1 bytes. OUT always ends with '\0', even when the message
 * did not.
 * Returns the number of bytes the message had (before any cut), or -1
 * with errno (EBADF: Q is not open for receiving). */
ssize_t mqb_receive_text(mqd_t q, char *out, size_t outsize);

/* Returns how many messages wait in Q now (mq_curmsgs), or -1 with errno. */
long mqb_pending(mqd_t q);

/* Closes the descriptor Q. The queue and its messages stay.
 * Returns 0, or -1 with errno (EBADF). */
int mqb_close(mqd_t q);

/* Removes the name NAME. The queue itself goes once no descriptor is open.
 * Returns 0, or -1 with errno (ENOENT: no such queue). */
int mqb_destroy(const char *name);

#endif
