/* mq_nonblock.c - lab 03 solution: non-blocking descriptors, EAGAIN,
 * absolute deadlines, a drain that never blocks and a retry loop that
 * sleeps. See mq_nonblock.h for the contract. */
#include "mq_nonblock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#define NS_PER_SEC 1000000000L
#define NS_PER_MS 1000000L

mqd_t nb_create(const char *name, long maxmsg, long msgsize, int nonblocking)
{
    struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
    int oflag = O_RDWR | O_CREAT | O_EXCL;
    /* mq_open ignores attr.mq_flags: only the open flags can make the
     * new descriptor non-blocking. */
    if (nonblocking)
        oflag |= O_NONBLOCK;
    return mq_open(name, oflag, NB_MODE, &attr);
}

int nb_set_nonblocking(mqd_t q, int on)
{
    struct mq_attr attr;
    if (mq_getattr(q, &attr) == -1)
        return -1;
    int was = (attr.mq_flags & O_NONBLOCK) != 0;
    /* mq_setattr looks only at mq_flags; change the one bit we own. */
    if (on)
        attr.mq_flags |= O_NONBLOCK;
    else
        attr.mq_flags &= ~O_NONBLOCK;
    if (mq_setattr(q, &attr, NULL) == -1)
        return -1;
    return was;
}

int nb_deadline_after(struct timespec *deadline, long ms)
{
    if (ms < 0) {
        errno = EINVAL;
        return -1;
    }
    /* The timed calls compare with the wall clock: an absolute
     * CLOCK_REALTIME time, not a duration. */
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) == -1)
        return -1;
    now.tv_sec += ms / 1000;
    now.tv_nsec += (ms % 1000) * NS_PER_MS;
    /* The sum can pass a second; tv_nsec >= 1e9 is EINVAL. */
    if (now.tv_nsec >= NS_PER_SEC) {
        now.tv_sec += 1;
        now.tv_nsec -= NS_PER_SEC;
    }
    *deadline = now;
    return 0;
}

int nb_send_within(mqd_t q, const void *data, size_t len, unsigned prio,
                   long timeout_ms)
{
    struct timespec deadline;
    if (nb_deadline_after(&deadline, timeout_ms) == -1)
        return -1;
    return mq_timedsend(q, data, len, prio, &deadline);
}

ssize_t nb_receive_within(mqd_t q, void *buf, size_t size, unsigned *prio,
                          long timeout_ms)
{
    struct timespec deadline;
    if (nb_deadline_after(&deadline, timeout_ms) == -1)
        return -1;
    return mq_timedreceive(q, buf, size, prio, &deadline);
}

long nb_drain(mqd_t q, nb_visit visit, void *arg)
{
    struct mq_attr attr;
    if (mq_getattr(q, &attr) == -1)
        return -1;
    size_t size = (size_t)attr.mq_msgsize;
    char *buf = malloc(size);
    if (buf == NULL)
        return -1;
    /* On a blocking descriptor the receive after the last message would
     * wait for ever; non-blocking, it fails with EAGAIN instead. */
    int was = nb_set_nonblocking(q, 1);
    if (was == -1) {
        free(buf);
        return -1;
    }
    long count = 0;
    unsigned prio;
    ssize_t n;
    /* != -1, not > 0: a zero-length message is a message, not the end. */
    while ((n = mq_receive(q, buf, size, &prio)) != -1) {
        count++;
        if (visit != NULL)
            visit(buf, (size_t)n, prio, arg);
    }
    /* EAGAIN means empty: the drain is done. Anything else is an error. */
    int failed = (n == -1 && errno != EAGAIN) ? errno : 0;
    free(buf);
    /* Put the mode back: the flag belongs to the open queue description,
     * which the caller (and a forked child) may share. */
    if (nb_set_nonblocking(q, was) == -1 && failed == 0)
        failed = errno;
    if (failed != 0) {
        errno = failed;
        return -1;
    }
    return count;
}

/* Milliseconds of CLOCK_MONOTONIC since START into *SPENT: immune to
 * changes of the wall clock, unlike CLOCK_REALTIME. 0, or -1 with errno
 * from clock_gettime. */
static int ms_since(const struct timespec *start, long *spent)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) == -1)
        return -1;
    *spent = (long)(now.tv_sec - start->tv_sec) * 1000 +
             (now.tv_nsec - start->tv_nsec) / NS_PER_MS;
    return 0;
}

/* Sleeps MS milliseconds, resuming after a signal. */
static void nap(long ms)
{
    struct timespec left = {ms / 1000, (ms % 1000) * NS_PER_MS};
    while (nanosleep(&left, &left) == -1 && errno == EINTR)
        continue;
}

int nb_send_retry(mqd_t q, const void *data, size_t len, unsigned prio,
                  long timeout_ms)
{
    struct timespec start;
    if (clock_gettime(CLOCK_MONOTONIC, &start) == -1)
        return -1;
    long wait_ms = 1;
    for (;;) {
        if (mq_send(q, data, len, prio) == 0)
            return 0;
        if (errno != EAGAIN)
            return -1;
        long spent;
        /* A clock that fails cannot tell the deadline: give up with its
         * errno rather than guess. */
        if (ms_since(&start, &spent) == -1)
            return -1;
        long left = timeout_ms - spent;
        if (left <= 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        /* Sleeping, not spinning: a loop that retries at once would burn
         * a whole CPU while the queue stays full. */
        nap(wait_ms < left ? wait_ms : left);
        if (wait_ms < NB_MAX_NAP_MS)
            wait_ms *= 2;
    }
}
