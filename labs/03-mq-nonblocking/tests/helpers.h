/* helpers.h - lab 03: what several test files need. Header-only, static
 * inline, so a file that uses only some of it still compiles with -Werror. */
#ifndef LAB03_HELPERS_H
#define LAB03_HELPERS_H

#include "lab_test.h"
#include "mq_nonblock.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_MODES    "03-mq-nonblocking.md#blocking-and-non-blocking"
#define N_OPEN     "03-mq-nonblocking.md#o_nonblock-goes-in-the-open-flags"
#define N_SETATTR  "03-mq-nonblocking.md#switching-with-mq_setattr"
#define N_EAGAIN   "03-mq-nonblocking.md#eagain"
#define N_WAITS    "03-mq-nonblocking.md#a-blocking-send-waits-for-room"
#define N_DEADLINE "03-mq-nonblocking.md#deadlines-are-absolute"
#define N_NSEC     "03-mq-nonblocking.md#normalising-tv_nsec"
#define N_DRAIN    "03-mq-nonblocking.md#draining-without-blocking"
#define N_RETRY    "03-mq-nonblocking.md#retrying-without-burning-the-cpu"
#define N_CLEAN    "03-mq-nonblocking.md#cleaning-up"

static inline double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A new queue from nb_create, which must succeed. */
static inline mqd_t make_queue(const char *name, long maxmsg, long msgsize,
                               int nonblocking)
{
    mqd_t q = nb_create(name, maxmsg, msgsize, nonblocking);
    lab_assert_ok(q, N_OPEN, "nb_create(\"%s\", %ld, %ld, %d)", name, maxmsg,
                  msgsize, nonblocking);
    return q;
}

/* The test's own switch, so that a test of one function does not depend
 * on the student's nb_set_nonblocking. */
static inline void force_mode(mqd_t q, int nonblocking)
{
    struct mq_attr a = {.mq_flags = nonblocking ? O_NONBLOCK : 0};
    lab_assert_ok(mq_setattr(q, &a, NULL), N_SETATTR, "grader: mq_setattr");
}

static inline long flags_of(mqd_t q)
{
    struct mq_attr a;
    lab_assert_ok(mq_getattr(q, &a), N_SETATTR, "grader: mq_getattr");
    return a.mq_flags;
}

static inline long pending(mqd_t q)
{
    struct mq_attr a;
    lab_assert_ok(mq_getattr(q, &a), N_MODES, "grader: mq_getattr");
    return a.mq_curmsgs;
}

static inline void nap_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) == -1 && errno == EINTR)
        continue;
}

/* Waits until the wall clock's milliseconds within the current second are
 * in [LO, HI). A deadline TIMEOUT ms ahead then crosses a second boundary
 * (or not) for certain, so a missing tv_nsec normalisation shows every
 * time rather than at random. */
static inline void align_wall_clock(long lo, long hi)
{
    for (;;) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        long ms = ts.tv_nsec / 1000000L;
        if (ms >= lo && ms < hi)
            return;
        nap_ms(ms < lo ? lo - ms : 1000 - ms + lo);
    }
}

/* A child's exit status as a sentence: 0 is fine, other values are the
 * errno it met, 254/253 the child's own verdicts. */
static inline const char *child_said(int status, const char *what_254)
{
    if (!WIFEXITED(status))
        return lab_describe_status(status);
    int code = WEXITSTATUS(status);
    if (code == 0)
        return "success";
    if (code == 254)
        return what_254;
    return lab_fmt("-1 with errno %s (%s)", lab_errno_name(code),
                   lab_errno_hint(code));
}

#endif
