/* helpers.h - lab 02: what several test files need. Header-only, static
 * inline, so a file that uses only some of it still compiles with -Werror. */
#ifndef LAB02_HELPERS_H
#define LAB02_HELPERS_H

#include "lab_test.h"
#include "mq_priorities.h"

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define N_ORDER    "02-mq-priorities.md#how-the-queue-orders-messages"
#define N_EXAMPLE  "02-mq-priorities.md#the-course-notes-example"
#define N_ANYORDER "02-mq-priorities.md#any-priority-in-any-order"
#define N_RANGE    "02-mq-priorities.md#the-range-of-priorities"
#define N_LEARN    "02-mq-priorities.md#learning-a-messages-priority"
#define N_SIZES    "02-mq-priorities.md#message-sizes"
#define N_BUFFER   "02-mq-priorities.md#the-receive-buffer"
#define N_ZERO     "02-mq-priorities.md#zero-length-messages"
#define N_BINARY   "02-mq-priorities.md#binary-payloads"
#define N_SENDERS  "02-mq-priorities.md#several-senders"
#define N_REMOVE   "02-mq-priorities.md#closing-and-removing"
#define N_CLEAN    "02-mq-priorities.md#cleaning-up"

/* A new queue from prio_create. The test's descriptor is then made
 * non-blocking, so that a message that never came fails with EAGAIN
 * instead of hanging the test. */
static inline mqd_t make_queue(const char *name, long maxmsg, long msgsize)
{
    mqd_t q = prio_create(name, maxmsg, msgsize);
    lab_assert_ok(q, N_SIZES, "prio_create(\"%s\", %ld, %ld)", name, maxmsg,
                  msgsize);
    struct mq_attr nb = {.mq_flags = O_NONBLOCK};
    lab_assert_ok(mq_setattr(q, &nb, NULL), N_SIZES,
                  "grader: mq_setattr(O_NONBLOCK) on the new queue");
    return q;
}

static inline void send_ok(mqd_t q, const void *data, size_t len,
                           unsigned prio, const char *note)
{
    lab_assert_ok(prio_send(q, data, len, prio), note,
                  "prio_send(q, %s, %zu, %u)", lab_quote(data, (long)len),
                  len, prio);
}

/* Receives the next message with prio_receive, which must succeed. */
static inline struct prio_msg receive_ok(mqd_t q, const char *what,
                                         const char *note)
{
    struct prio_msg msg = {.prio = 12345, .len = 12345, .data = NULL};
    errno = 0;
    int r = prio_receive(q, &msg);
    lab_assert_ok(r, note, "prio_receive for %s", what);
    lab_assert(r == 0 && msg.data != NULL, note,
               "prio_receive for %s\n  expected: 0 and msg.data pointing "
               "to a copy of the bytes\n  got:      %d and msg.data %s", what,
               r, msg.data ? "set" : "NULL");
    return msg;
}

static inline long pending(mqd_t q)
{
    struct mq_attr a;
    lab_assert_ok(mq_getattr(q, &a), N_ORDER, "grader: mq_getattr");
    return a.mq_curmsgs;
}

/* Descriptors this process has open now (from /proc/self/fd). */
static inline int open_descriptors(void)
{
    DIR *d = opendir("/proc/self/fd");
    cr_assert(d != NULL, "grader: cannot read /proc/self/fd");
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

#endif
