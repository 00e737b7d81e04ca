/* mq_owner.c - lab 04 solution: an owner responsible for a queue's name,
 * peers that never create, and a mailbox whose messages outlive their
 * senders. See mq_owner.h for the contract. */
#include "mq_owner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define NS_PER_MS 1000000L

int owner_start(struct owner *o, const char *name, long maxmsg, long msgsize)
{
    if (strlen(name) > OWNER_NAME_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
    /* O_EXCL, and no mq_unlink "to make room" first: a queue of that
     * name may be another owner's, in use right now. */
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, OWNER_MODE, &attr);
    if (q == (mqd_t)-1)
        return -1;
    o->q = q;
    strcpy(o->name, name);
    o->name_released = 0;
    return 0;
}

int owner_release_name(struct owner *o)
{
    if (o->name_released)
        return 0;
    /* Unlinking an open queue is allowed: the name goes now, the queue
     * lives on for every descriptor already open, ours included. */
    if (mq_unlink(o->name) == -1)
        return -1;
    o->name_released = 1;
    return 0;
}

int owner_stop(struct owner *o)
{
    int failed = 0;
    if (mq_close(o->q) == -1)
        failed = errno;
    o->q = (mqd_t)-1;
    /* Released early: the name is gone, or belongs to a newer queue now,
     * which an unlink here would steal from its owner. */
    if (!o->name_released && mq_unlink(o->name) == -1 && failed == 0)
        failed = errno;
    o->name_released = 1;
    if (failed != 0) {
        errno = failed;
        return -1;
    }
    return 0;
}

mqd_t peer_open(const char *name, int oflag)
{
    /* Never O_CREAT: a peer that creates a missing queue talks into a
     * queue its owner will never read, or makes the owner's O_EXCL fail. */
    return mq_open(name, oflag);
}

/* Milliseconds of CLOCK_MONOTONIC since START into *SPENT. 0, or -1
 * with errno from clock_gettime. */
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

mqd_t peer_open_wait(const char *name, int oflag, long timeout_ms)
{
    struct timespec start;
    if (clock_gettime(CLOCK_MONOTONIC, &start) == -1)
        return (mqd_t)-1;
    long wait_ms = 1;
    for (;;) {
        mqd_t q = peer_open(name, oflag);
        /* Only ENOENT means "not created yet"; anything else is final. */
        if (q != (mqd_t)-1 || errno != ENOENT)
            return q;
        long spent;
        /* A clock that fails cannot tell the deadline: give up with its
         * errno rather than guess. */
        if (ms_since(&start, &spent) == -1)
            return (mqd_t)-1;
        long left = timeout_ms - spent;
        if (left <= 0) {
            errno = ETIMEDOUT;
            return (mqd_t)-1;
        }
        nap(wait_ms < left ? wait_ms : left);
        wait_ms = wait_ms * 2 < PEER_MAX_NAP_MS ? wait_ms * 2 : PEER_MAX_NAP_MS;
    }
}

/* 1 if a queue could have NAME. mq_open gives EACCES for a queue we may
 * not open, but also for a name no queue can have: a '/' after the first
 * character (mq_open(3)), and "/." or "/.." (the kernel's lookup refuses
 * them as it refuses them in any directory). */
static int name_can_be_a_queue(const char *name)
{
    /* mq_open said EACCES, so NAME has its leading '/' (without one it
     * says EINVAL): what follows it decides. */
    const char *rest = name + 1;
    return strchr(rest, '/') == NULL && strcmp(rest, ".") != 0 &&
           strcmp(rest, "..") != 0;
}

int queue_exists(const char *name)
{
    mqd_t q = peer_open(name, O_RDONLY | O_NONBLOCK);
    if (q == (mqd_t)-1) {
        if (errno == ENOENT)
            return 0;
        /* EACCES: a queue we may not open exists; a name no queue can
         * have names none, which is an answer too (0), not an error. */
        if (errno == EACCES)
            return name_can_be_a_queue(name);
        return -1;
    }
    /* The probe must not keep the queue open. */
    if (mq_close(q) == -1)
        return -1;
    return 1;
}

int mailbox_post(const char *name, const void *data, size_t len)
{
    struct mq_attr attr = {.mq_maxmsg = MAILBOX_MAXMSG,
                           .mq_msgsize = MAILBOX_MSGSIZE};
    /* O_CREAT without O_EXCL: the first poster creates the mailbox, the
     * others open it. Non-blocking: a full mailbox is EAGAIN, not a hang. */
    mqd_t q = mq_open(name, O_WRONLY | O_CREAT | O_NONBLOCK, OWNER_MODE, &attr);
    if (q == (mqd_t)-1)
        return -1;
    int result = mq_send(q, data, len, 0);
    int saved = errno;
    if (mq_close(q) == -1 && result == 0)
        return -1;
    /* No mq_unlink: the message must outlive this process. A queue
     * persists, messages and all, until its name is removed. */
    errno = saved;
    return result;
}

long mailbox_collect(const char *name, mailbox_visit visit, void *arg)
{
    mqd_t q = peer_open(name, O_RDONLY | O_NONBLOCK);
    if (q == (mqd_t)-1)
        return -1;
    struct mq_attr attr;
    char *buf = NULL;
    if (mq_getattr(q, &attr) == -1 ||
        (buf = malloc((size_t)attr.mq_msgsize)) == NULL) {
        int saved = errno;
        mq_close(q);
        errno = saved;
        return -1;
    }
    long count = 0;
    unsigned prio;
    ssize_t n;
    while ((n = mq_receive(q, buf, (size_t)attr.mq_msgsize, &prio)) != -1) {
        count++;
        if (visit != NULL)
            visit(buf, (size_t)n, prio, arg);
    }
    /* EAGAIN: the mailbox is empty. Anything else is an error. */
    int failed = errno != EAGAIN ? errno : 0;
    free(buf);
    if (mq_close(q) == -1 && failed == 0)
        failed = errno;
    /* The collector owns the end: closing alone would leave the queue,
     * and any message posted meanwhile, for ever. */
    if (mq_unlink(name) == -1 && failed == 0)
        failed = errno;
    if (failed != 0) {
        errno = failed;
        return -1;
    }
    return count;
}
