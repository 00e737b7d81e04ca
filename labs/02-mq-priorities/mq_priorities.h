/* mq_priorities.h - lab 02: priorities, message sizes, binary payloads.
 *
 * The contract between your code (mq_priorities.c) and the grader. Do
 * not change this file: the grader compiles your code against its own
 * copy.
 *
 * Every function returns -1 (or (mqd_t)-1) on failure and leaves errno as
 * the failing system call set it. Nothing here prints or exits.
 */
#ifndef MQ_PRIORITIES_H
#define MQ_PRIORITIES_H

#include <mqueue.h>
#include <stddef.h>
#include <sys/types.h>

/* Permissions of a new queue: owner and group may read and write. */
#define PRIO_MODE 0660

/* One received message, as the receiver sees it. */
struct prio_msg {
    unsigned prio;   /* the priority it was sent with                  */
    size_t len;      /* its length in bytes; 0 is a valid length       */
    char *data;      /* a malloc'd copy of exactly its LEN bytes (one
                        byte is allocated when LEN is 0, so it is never
                        NULL); no '\0' is added: the bytes are binary  */
};

/* Creates the queue NAME, which must not exist yet, open for sending and
 * receiving, with permissions PRIO_MODE and room for MAXMSG messages of
 * at most MSGSIZE bytes each.
 * Returns its descriptor, or (mqd_t)-1 with errno from mq_open (EEXIST:
 * the name is taken; EINVAL: no leading slash, or bad sizes;
 * EACCES: a slash inside the name, among others). */
mqd_t prio_create(const char *name, long maxmsg, long msgsize);

/* Ends the queue's life: closes Q, then removes the name NAME. Both are
 * attempted even if the first fails.
 * Returns 0, or -1 with the errno of the first call that failed (the
 * close's when both fail). */
int prio_destroy(mqd_t q, const char *name);

/* Sends the LEN bytes at DATA with priority PRIO. The bytes are binary:
 * they may contain '\0' and need not end with one; LEN may be 0.
 * Any priority from 0 to sysconf(_SC_MQ_PRIO_MAX) - 1 is valid, in any
 * order. Blocks while the queue is full.
 * Returns 0, or -1 with errno from mq_send (EINVAL: PRIO too high;
 * EMSGSIZE: LEN above the queue's mq_msgsize; EBADF: Q not open for
 * sending). */
int prio_send(mqd_t q, const void *data, size_t len, unsigned prio);

/* What a sender process does: opens the existing queue NAME for sending
 * only, sends the message as prio_send does, and closes the queue again,
 * also when the send failed. Never creates the queue.
 * Returns 0, or -1 with errno (ENOENT: no such queue; the errors of
 * prio_send; when only the close fails, the close's errno). */
int prio_send_to(const char *name, const void *data, size_t len,
                 unsigned prio);

/* Receives the next message of Q (the oldest of the highest priority) and
 * fills *MSG with its priority, its length and a copy of its bytes.
 * Blocks while the queue is empty. The caller releases MSG->data with
 * prio_msg_free.
 * Returns 0, or -1 with errno (EBADF: Q not open for receiving); on
 * failure nothing is allocated and *MSG is not changed. */
int prio_receive(mqd_t q, struct prio_msg *msg);

/* Frees MSG->data and sets it to NULL. MSG may be NULL. */
void prio_msg_free(struct prio_msg *msg);

#endif
