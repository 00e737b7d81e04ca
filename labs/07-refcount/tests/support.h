/* support.h - lab 07: small steps the tests share (static inline, so a
 * file that uses only some of them still compiles with -Werror). Each
 * step fails the test with a message naming the call that went wrong. */
#ifndef SUPPORT_H
#define SUPPORT_H

#include "lab_test.h"
#include "refcount.h"

#include <string.h>

#define NOTE(anchor) "07-refcount.md#" anchor

static inline struct channel *must_create(const char *q, const char *d,
                                          size_t len)
{
    errno = 0;
    struct channel *c = channel_create(q, d, len);
    int err = errno;
    lab_assert(c != NULL, NOTE("a-channel"),
               "channel_create(\"%s\", \"%s\", %zu)\n  expected: a channel\n"
               "  got:      NULL with errno %s\n  likely:   %s", q, d, len,
               lab_errno_name(err), lab_errno_hint(err));
    /* Checked here, right after the call: a name gone later would
     * otherwise be blamed on whatever the test called last (detach). */
    int queue = lab_queue_exists(q), object = lab_shm_exists(d);
    lab_assert(queue && object, NOTE("unlinking"),
               "channel_create(\"%s\", \"%s\", %zu) returned a channel\n"
               "  expected: both names there, until channel_unlink removes "
               "them\n  got:      right after channel_create, the queue %s, "
               "the object %s\n  likely:   %s", q, d, len,
               queue ? "exists" : "is gone", object ? "exists" : "is gone",
               LAB_BLAME("create-unlinks-early", "channel_create",
                         "unlinks the names too early (right after "
                         "mapping): the mapping keeps the object alive for "
                         "this process, but only the name lets another "
                         "process attach"));
    return c;
}

static inline struct channel *must_attach(const char *q, const char *d)
{
    errno = 0;
    struct channel *c = channel_attach(q, d);
    int err = errno;
    lab_assert(c != NULL, NOTE("a-channel"),
               "channel_attach(\"%s\", \"%s\") on existing objects\n  "
               "expected: a channel\n  got:      NULL with errno %s\n  "
               "likely:   %s", q, d, lab_errno_name(err), lab_errno_hint(err));
    return c;
}

static inline void must_publish(struct channel *c, const char *text)
{
    errno = 0;
    int rc = channel_publish(c, text);
    int err = errno;
    lab_assert(rc == 0, NOTE("a-channel"),
               "channel_publish(c, \"%s\")\n  expected: 0\n  got:      %d, "
               "errno %s\n  likely:   %s", text, rc, lab_errno_name(err),
               lab_errno_hint(err));
}

/* Receives from C and fails unless the text is WANT. WHO says whose
 * channel it is, for the message. */
static inline void expect_text(struct channel *c, const char *want,
                               const char *who, const char *note)
{
    char out[CHANNEL_MSGSIZE * 4];
    memset(out, '#', sizeof out);  /* its '\0' must be copied too */
    errno = 0;
    ssize_t n = channel_receive(c, out, sizeof out);
    int err = errno;
    lab_assert(n == (ssize_t)strlen(want) && strcmp(out, want) == 0, note,
               "channel_receive on %s\n  expected: %zu, \"%s\"\n  got:      "
               "%zd%s%s\n  likely:   %s", who, strlen(want), want, n,
               n == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : ", ",
               n == -1 ? "" : lab_quote(out, (long)strnlen(out, sizeof out)),
               n == -1 && err == EMSGSIZE
                   ? "mq_receive's buffer must hold CHANNEL_MSGSIZE bytes, "
                     "however short the notice is"
               : n == -1 ? lab_errno_hint(err)
                         : "the text came from another object, or was "
                           "overwritten");
}

/* Messages waiting in Q, or -1. */
static inline long pending(mqd_t q)
{
    struct mq_attr attr;
    return mq_getattr(q, &attr) == -1 ? -1 : attr.mq_curmsgs;
}

#endif
