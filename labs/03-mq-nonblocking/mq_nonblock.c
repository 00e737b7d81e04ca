/* mq_nonblock.c - lab 03: non-blocking descriptors, EAGAIN, absolute
 * deadlines, a drain that never blocks and a retry loop that sleeps.
 * The contract is mq_nonblock.h; the spec is README.md.
 * Replace each TODO(student) with the real code. */
#include "mq_nonblock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

mqd_t nb_create(const char *name, long maxmsg, long msgsize, int nonblocking)
{
    /* TODO(student): create the queue exclusively with MAXMSG and MSGSIZE,
     * non-blocking from the start when NONBLOCKING is not 0. */
    (void)name;
    (void)maxmsg;
    (void)msgsize;
    (void)nonblocking;
    errno = ENOSYS;
    return (mqd_t)-1;
}

int nb_set_nonblocking(mqd_t q, int on)
{
    /* TODO(student): read the flags with mq_getattr, set or clear
     * O_NONBLOCK, apply them with mq_setattr, return the old state. */
    (void)q;
    (void)on;
    errno = ENOSYS;
    return -1;
}

int nb_deadline_after(struct timespec *deadline, long ms)
{
    /* TODO(student): add MS milliseconds to the CLOCK_REALTIME time now,
     * keeping tv_nsec below one second. */
    (void)deadline;
    (void)ms;
    errno = ENOSYS;
    return -1;
}

int nb_send_within(mqd_t q, const void *data, size_t len, unsigned prio,
                   long timeout_ms)
{
    /* TODO(student): send with mq_timedsend and a deadline TIMEOUT_MS
     * from now. */
    (void)q;
    (void)data;
    (void)len;
    (void)prio;
    (void)timeout_ms;
    errno = ENOSYS;
    return -1;
}

ssize_t nb_receive_within(mqd_t q, void *buf, size_t size, unsigned *prio,
                          long timeout_ms)
{
    /* TODO(student): receive with mq_timedreceive and a deadline
     * TIMEOUT_MS from now. */
    (void)q;
    (void)buf;
    (void)size;
    (void)prio;
    (void)timeout_ms;
    errno = ENOSYS;
    return -1;
}

long nb_drain(mqd_t q, nb_visit visit, void *arg)
{
    /* TODO(student): make Q non-blocking, receive until EAGAIN calling
     * VISIT for each message, then restore Q's mode and free your buffer,
     * on every path. */
    (void)q;
    (void)visit;
    (void)arg;
    errno = ENOSYS;
    return -1;
}

int nb_send_retry(mqd_t q, const void *data, size_t len, unsigned prio,
                  long timeout_ms)
{
    /* TODO(student): try mq_send; while it fails with EAGAIN and the
     * deadline has not passed, sleep (1 ms, doubling up to NB_MAX_NAP_MS)
     * and try again; give ETIMEDOUT at the deadline. */
    (void)q;
    (void)data;
    (void)len;
    (void)prio;
    (void)timeout_ms;
    errno = ENOSYS;
    return -1;
}
