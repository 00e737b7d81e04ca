/* mq_multiplex.c - lab 08 solution: one server, several queues, served
 * with select() and with poll(). See mq_multiplex.h for the contract. */
#include "mq_multiplex.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>

int mux_open(struct mux_server *s, const char *const names[], int count,
             long maxmsg, long msgsize)
{
    if (count < 1 || count > MUX_MAX_INPUTS) {
        errno = EINVAL;
        return -1;
    }
    memset(s, 0, sizeof *s);
    for (int i = 0; i < MUX_MAX_INPUTS; i++)
        s->in[i].q = (mqd_t)-1;

    struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
    for (int i = 0; i < count; i++) {
        if (strlen(names[i]) >= MUX_NAME_MAX) {
            errno = ENAMETOOLONG;
            goto fail;
        }
        /* O_NONBLOCK goes in the flags: mq_open ignores attr.mq_flags.
         * O_EXCL: a stale queue of an earlier run must not be adopted. */
        mqd_t q = mq_open(names[i], O_RDONLY | O_CREAT | O_EXCL | O_NONBLOCK,
                          MUX_MODE, &attr);
        if (q == (mqd_t)-1)
            goto fail;
        strcpy(s->in[i].name, names[i]);
        s->in[i].q = q;
        /* Counted only once created: the cleanup below must never remove
         * a queue that someone else owns (the one that gave EEXIST). */
        s->count = i + 1;
    }

    /* Size the buffer from what the kernel says the queue holds: a
     * buffer smaller than mq_msgsize makes mq_receive fail (EMSGSIZE). */
    struct mq_attr got;
    if (mq_getattr(s->in[0].q, &got) == -1)
        goto fail;
    s->bufsize = (size_t)got.mq_msgsize;
    s->buf = malloc(s->bufsize);
    if (s->buf == NULL)
        goto fail;
    s->live = count;
    return 0;

fail:
    {
        /* Leave nothing behind, and report the first error, not one the
         * cleanup might raise. */
        int saved = errno;
        mux_close(s);
        errno = saved;
    }
    return -1;
}

/* The producer of input I is done: stop watching it for good. */
static int end_input(struct mux_server *s, int i)
{
    int rc = mq_close(s->in[i].q);
    s->in[i].q = (mqd_t)-1;
    s->live--;
    return rc;
}

int mux_drain(struct mux_server *s, int i, int budget, mux_handler handler,
              void *ctx)
{
    if (i < 0 || i >= s->count) {
        errno = EINVAL;
        return -1;
    }
    int received = 0;
    while (received < budget && s->in[i].q != (mqd_t)-1) {
        ssize_t n = mq_receive(s->in[i].q, s->buf, s->bufsize, NULL);
        if (n == -1) {
            /* Non-blocking: EAGAIN means "empty now", the normal way out.
             * Readiness said "at least one", never "how many". */
            if (errno == EAGAIN)
                break;
            return -1;
        }
        received++;
        if (n == 0) {
            if (end_input(s, i) == -1)
                return -1;
            break;
        }
        handler(ctx, i, s->buf, (size_t)n);
    }
    return received;
}

/* Puts every live input in SET; returns the nfds select() needs, or -1. */
static int watch_set(const struct mux_server *s, fd_set *set)
{
    FD_ZERO(set);
    int maxfd = -1;
    for (int i = 0; i < s->count; i++) {
        mqd_t q = s->in[i].q;
        if (q == (mqd_t)-1)
            continue;   /* ended: a closed descriptor would be EBADF */
        /* An fd_set has room for descriptors below FD_SETSIZE only. */
        if (q >= FD_SETSIZE) {
            errno = EINVAL;
            return -1;
        }
        FD_SET(q, set);   /* Linux only: an mqd_t is a descriptor */
        if (q > maxfd)
            maxfd = q;
    }
    /* nfds is one more than the highest descriptor, not a count. */
    return maxfd + 1;
}

int mux_serve_select(struct mux_server *s, mux_handler handler, void *ctx)
{
    while (s->live > 0) {
        /* select() overwrites the set with the ready ones: rebuild it
         * before every call. */
        fd_set ready;
        int nfds = watch_set(s, &ready);
        if (nfds == -1)
            return -1;
        /* No timeout: sleep until a message arrives, using no CPU. */
        if (select(nfds, &ready, NULL, NULL, NULL) == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (int i = 0; i < s->count; i++) {
            mqd_t q = s->in[i].q;
            if (q == (mqd_t)-1 || !FD_ISSET(q, &ready))
                continue;
            /* At most MUX_BUDGET, then the next ready input gets its
             * turn: a producer that never stops cannot starve the rest. */
            if (mux_drain(s, i, MUX_BUDGET, handler, ctx) == -1)
                return -1;
        }
    }
    return 0;
}

int mux_serve_poll(struct mux_server *s, mux_handler handler, void *ctx)
{
    struct pollfd fds[MUX_MAX_INPUTS];
    for (int i = 0; i < s->count; i++) {
        /* poll() skips entries whose fd is negative: an input that has
         * already ended is simply not watched. */
        fds[i].fd = s->in[i].q;
        fds[i].events = POLLIN;
        fds[i].revents = 0;
    }
    while (s->live > 0) {
        /* -1: no timeout, sleep until a message arrives. */
        if (poll(fds, (nfds_t)s->count, -1) == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (int i = 0; i < s->count; i++) {
            if (fds[i].revents & POLLNVAL) {
                errno = EBADF;  /* a closed descriptor is still watched */
                return -1;
            }
            /* revents is a bit mask: test the bit, never compare. */
            if (!(fds[i].revents & POLLIN))
                continue;
            if (mux_drain(s, i, MUX_BUDGET, handler, ctx) == -1)
                return -1;
            /* Once its stream ended, take the input off the list. */
            fds[i].fd = s->in[i].q;
        }
    }
    return 0;
}

int mux_close(struct mux_server *s)
{
    int first_errno = 0;
    for (int i = 0; i < s->count; i++) {
        if (s->in[i].q != (mqd_t)-1 && mq_close(s->in[i].q) == -1 &&
            first_errno == 0)
            first_errno = errno;
        s->in[i].q = (mqd_t)-1;
        /* The server owns the names. A producer or an operator may have
         * removed one already: that is what we wanted anyway. */
        if (mq_unlink(s->in[i].name) == -1 && errno != ENOENT &&
            first_errno == 0)
            first_errno = errno;
    }
    free(s->buf);
    s->buf = NULL;
    s->bufsize = 0;
    s->count = 0;
    s->live = 0;
    if (first_errno != 0) {
        errno = first_errno;
        return -1;
    }
    return 0;
}
