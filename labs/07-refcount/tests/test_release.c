/* test_release.c - lab 07: create/attach and detach release exactly
 * what they acquire, proved from the process's own evidence: a look at
 * /proc/self/fd and /proc/self/maps after every call, and at the names.
 * Any difference is explained: which descriptor or mapping, of which
 * object, acquired by which call, and still held after which. */
#include "support.h"

#include "lab_evidence.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_STEPS 6

/* The evidence after each call of a test, in order; step 0 is "before". */
static struct {
    const char *call;
    struct ev_snapshot snap;
} steps[MAX_STEPS];
static int nsteps;

static void look(const char *after_call)
{
    cr_assert(nsteps < MAX_STEPS, "grader: too many steps");
    steps[nsteps].call = after_call;
    ev_take(&steps[nsteps].snap);
    nsteps++;
}

/* What TARGET (a descriptor's link or a mapping's file) is, in words. */
static const char *what(const char *target)
{
    size_t len = ev_base_len(target);
    const char *gone = ev_is_deleted(target) ? " (its name since unlinked)" : "";
    if (strncmp(target, "/dev/shm/", 9) == 0)
        return lab_fmt("the shm object %.*s%s", (int)(len - 8), target + 8, gone);
    if (target[0] == '/' && strchr(target + 1, '/') == NULL)
        return lab_fmt("the message queue %.*s%s", (int)len, target, gone);
    return lab_fmt("%s", target);
}

/* The first call after which descriptor FD was there. */
static const char *fd_origin(const struct ev_fd *fd)
{
    for (int i = 1; i < nsteps; i++)
        for (int j = 0; j < steps[i].snap.nfds; j++)
            if (steps[i].snap.fds[j].fd == fd->fd &&
                ev_base_len(steps[i].snap.fds[j].target) == ev_base_len(fd->target))
                return steps[i].call;
    return "?";
}

static const char *map_origin(const struct ev_map *m)
{
    for (int i = 1; i < nsteps; i++)
        for (int j = 0; j < steps[i].snap.nmaps; j++)
            if (steps[i].snap.maps[j].lo == m->lo &&
                steps[i].snap.maps[j].hi == m->hi)
                return steps[i].call;
    return "?";
}

/* Everything held after step LAST that was not held before step FIRST,
 * one line each; "" if nothing. */
static const char *difference(int first, int last)
{
    static char text[2048];
    text[0] = '\0';
    size_t used = 0;
    const struct ev_snapshot *before = &steps[first].snap;
    const struct ev_snapshot *after = &steps[last].snap;
    for (int i = 0; i < after->nfds && used < sizeof text - 300; i++) {
        const struct ev_fd *fd = &after->fds[i];
        if (!ev_had_fd(before, fd))
            used += (size_t)snprintf(text + used, sizeof text - used,
                                     "\n            descriptor %d: %s, opened "
                                     "by %s", fd->fd, what(fd->target),
                                     fd_origin(fd));
    }
    for (int i = 0; i < after->nmaps && used < sizeof text - 300; i++) {
        const struct ev_map *m = &after->maps[i];
        if (!ev_had_map(before, m))
            used += (size_t)snprintf(text + used, sizeof text - used,
                                     "\n            mapping %lx-%lx %s: %s, "
                                     "mapped by %s", m->lo, m->hi, m->perms,
                                     what(m->path), map_origin(m));
    }
    return text;
}

/* Fails unless, right after the acquiring call (step 1), the process
 * holds exactly one more descriptor, the queue Q, and one more mapping,
 * of the object D, LEN bytes at C->data. */
static void assert_acquired(const char *call, const char *q, const char *d,
                            const struct channel *c, size_t len)
{
    const struct ev_snapshot *s = &steps[1].snap;
    int qfd = -1, dfd = -1;
    int queues = ev_queue_fds(s, q, &qfd);
    int objects = ev_shm_fds(s, d, &dfd);
    lab_assert(objects == 0, NOTE("close-does-not-unmap"),
               "after %s, in /proc/self/fd\n  expected: no descriptor of the "
               "shm object %s (closed once mapped)\n  got:      descriptor %d"
               " -> /dev/shm%s, opened by %s and still open\n  likely:   the"
               " descriptor was kept for the mapping's sake; the mapping "
               "holds the object by itself", call, d, dfd, d, call);
    lab_assert(queues == 1 && qfd == (int)c->queue, NOTE("releasing-exactly-what-you-acquire"),
               "after %s, in /proc/self/fd\n  expected: one descriptor of the"
               " queue %s, c->queue (%d)\n  got:      %d such descriptor(s)",
               call, q, (int)c->queue, queues);
    const struct ev_map *m = ev_shm_map(s, d);
    lab_assert(m != NULL && m->lo == (unsigned long)c->data &&
                   m->hi - m->lo >= len,
               NOTE("releasing-exactly-what-you-acquire"),
               "after %s, in /proc/self/maps\n  expected: a mapping of %s at "
               "c->data (%p)\n  got:      %s", call, d, (void *)c->data,
               m ? lab_fmt("%lx-%lx %s", m->lo, m->hi, m->perms) : "none");
    const char *extra = difference(0, 1);
    int n = 0;
    for (const char *p = extra; (p = strstr(p, "\n            ")); p++)
        n++;
    lab_assert(n == 2, NOTE("releasing-exactly-what-you-acquire"),
               "after %s\n  expected: exactly two new things held: the "
               "queue's descriptor and the object's mapping\n  got:%s",
               call, extra[0] ? extra : " nothing new");
}

/* Fails if anything acquired since step 0 is still held at the end. */
static void assert_all_released(const char *release_call)
{
    const char *left = difference(0, nsteps - 1);
    lab_assert(left[0] == '\0', NOTE("releasing-exactly-what-you-acquire"),
               "expected: after %s, the process holds exactly what it held "
               "before the test's first call\n  got:      still held:%s\n  "
               "likely:   %s", release_call, left,
               strstr(left, "mapping") && strstr(left, "descriptor")
                   ? "munmap and mq_close missing in channel_detach"
               : strstr(left, "mapping")
                   ? "munmap missing: closing descriptors never unmaps; "
                     "only munmap (or the process's end) does"
                   : "a descriptor not closed: mq_close for the queue, "
                     "close for the object as soon as it is mapped");
}

static void assert_names_kept(const char *q, const char *d, const char *call)
{
    lab_assert(lab_queue_exists(q) && lab_shm_exists(d),
               NOTE("what-close-and-detach-release"),
               "after %s\n  expected: both names still there: releasing is "
               "not removing\n  got:      the queue %s, the object %s",
               call, lab_queue_exists(q) ? "exists" : "is gone",
               lab_shm_exists(d) ? "exists" : "is gone");
}

LAB_TEST(release, create_and_detach_release_exactly_what_they_acquire, 8)
{
    const char *q = lab_name("q"), *d = lab_name("d");
    nsteps = 0;
    look("before");
    struct channel *c = must_create(q, d, 8192);
    look("channel_create()");
    assert_acquired("channel_create()", q, d, c, 8192);
    must_publish(c, "round trip");
    look("channel_publish()");
    expect_text(c, "round trip", "the creator's own channel", NOTE("a-channel"));
    look("channel_receive()");
    errno = 0;
    int rc = channel_detach(c);
    int err = errno;
    look("channel_detach()");
    lab_assert(rc == 0, NOTE("releasing-exactly-what-you-acquire"),
               "channel_detach\n  expected: 0\n  got:      %d, errno %s", rc,
               lab_errno_name(err));
    assert_all_released("channel_detach()");
    assert_names_kept(q, d, "channel_detach()");
    channel_unlink(q, d);
}

LAB_TEST(release, attach_and_detach_release_exactly_what_they_acquire, 6)
{
    const char *q = lab_name("q"), *d = lab_name("d");
    /* The objects come from the test, so only attaching is measured. */
    struct mq_attr attr = {.mq_maxmsg = CHANNEL_MAXMSG,
                           .mq_msgsize = CHANNEL_MSGSIZE};
    mqd_t tq = mq_open(q, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    int tfd = shm_open(d, O_RDWR | O_CREAT | O_EXCL, 0600);
    cr_assert(tq != (mqd_t)-1 && tfd != -1 && ftruncate(tfd, 4096) == 0 &&
                  pwrite(tfd, "from the test", 14, 0) == 14,
              "grader: setup failed: %s", strerror(errno));
    channel_notice notice = 13;
    cr_assert(mq_send(tq, (const char *)&notice, sizeof notice, 0) == 0,
              "grader: mq_send failed");
    mq_close(tq);
    close(tfd);

    nsteps = 0;
    look("before");
    struct channel *c = must_attach(q, d);
    look("channel_attach()");
    assert_acquired("channel_attach()", q, d, c, 4096);
    lab_assert(c->len == 4096, NOTE("a-channel"),
               "channel_attach on a 4096-byte object\n  expected: len 4096 "
               "(from fstat)\n  got:      %zu", c->len);
    expect_text(c, "from the test", "an attached channel", NOTE("a-channel"));
    look("channel_receive()");
    must_publish(c, "reply");
    look("channel_publish()");
    errno = 0;
    int rc = channel_detach(c);
    int err = errno;
    look("channel_detach()");
    lab_assert(rc == 0, NOTE("releasing-exactly-what-you-acquire"),
               "channel_detach\n  expected: 0\n  got:      %d, errno %s", rc,
               lab_errno_name(err));
    assert_all_released("channel_detach()");
    assert_names_kept(q, d, "channel_attach() and channel_detach()");
}
