/* mq_priorities.c - lab 02 solution: sending with priorities, receiving
 * in the kernel's order, and binary messages of any length up to
 * mq_msgsize. See mq_priorities.h for the contract. */
#include "mq_priorities.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

mqd_t prio_create(const char *name, long maxmsg, long msgsize)
{
    struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
    /* O_EXCL: a stale queue would bring its old messages and priorities. */
    return mq_open(name, O_RDWR | O_CREAT | O_EXCL, PRIO_MODE, &attr);
}

int prio_destroy(mqd_t q, const char *name)
{
    int failed_errno = 0;
    if (mq_close(q) == -1)
        failed_errno = errno;
    /* Closing never removes a queue: it lives on, messages and all,
     * until its name is unlinked. */
    if (mq_unlink(name) == -1 && failed_errno == 0)
        failed_errno = errno;
    if (failed_errno != 0) {
        errno = failed_errno;
        return -1;
    }
    return 0;
}

int prio_send(mqd_t q, const void *data, size_t len, unsigned prio)
{
    /* The kernel checks PRIO against MQ_PRIO_MAX and LEN against
     * mq_msgsize itself; LEN, not strlen: the bytes are binary. */
    return mq_send(q, data, len, prio);
}

int prio_send_to(const char *name, const void *data, size_t len,
                 unsigned prio)
{
    /* No O_CREAT: a sender that creates the queue would hide a missing
     * receiver behind a queue nobody reads. */
    mqd_t q = mq_open(name, O_WRONLY);
    if (q == (mqd_t)-1)
        return -1;
    int result = prio_send(q, data, len, prio);
    int saved = errno;
    /* Closed on both paths: a failed send must not leak the descriptor. */
    if (mq_close(q) == -1 && result == 0)
        return -1;
    errno = saved;
    return result;
}

int prio_receive(mqd_t q, struct prio_msg *msg)
{
    struct mq_attr attr;
    if (mq_getattr(q, &attr) == -1)
        return -1;
    /* mq_receive refuses (EMSGSIZE) any buffer smaller than mq_msgsize,
     * however short the waiting message is: size it from the queue. */
    size_t size = (size_t)attr.mq_msgsize;
    char *buf = malloc(size);
    if (buf == NULL)
        return -1;
    unsigned prio;
    ssize_t n = mq_receive(q, buf, size, &prio);
    if (n == -1) {
        int saved = errno;
        free(buf);
        errno = saved;
        return -1;
    }
    /* Keep only the bytes the message has; at least one byte so that a
     * zero-length message still gets a pointer the caller can free. */
    char *copy = malloc(n > 0 ? (size_t)n : 1);
    if (copy == NULL) {
        free(buf);
        errno = ENOMEM;
        return -1;
    }
    /* memcpy, not strcpy: the message may hold '\0' anywhere, or none. */
    memcpy(copy, buf, (size_t)n);
    free(buf);
    msg->prio = prio;
    msg->len = (size_t)n;
    msg->data = copy;
    return 0;
}

void prio_msg_free(struct prio_msg *msg)
{
    if (msg == NULL)
        return;
    free(msg->data);
    msg->data = NULL;
}
