/* test_lifetime.c - lab 07: how long queues and shm objects really live:
 * past close, past detach, until unlinked and no longer held; and across
 * processes, past another process's unlink. */
#include "support.h"

#include "lab_handshake.h"
#include "lab_evidence.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct ev_snapshot snap;

static int exists_text(const char *name, int is_queue)
{
    return is_queue ? lab_queue_exists(name) : lab_shm_exists(name);
}

/* "queue /x exists, object /y is gone" */
static const char *names_state(const char *q, const char *d)
{
    return lab_fmt("queue %s %s, object %s %s", q,
                   exists_text(q, 1) ? "exists" : "is gone", d,
                   exists_text(d, 0) ? "exists" : "is gone");
}

LAB_TEST(lifetime, create_refuses_names_in_use_and_leaves_nothing, 6)
{
    const char *q = lab_name("q"), *d = lab_name("d");
    int fd = shm_open(d, O_RDWR | O_CREAT | O_EXCL, 0600);
    cr_assert(fd != -1, "grader: shm_open failed: %s", strerror(errno));
    close(fd);
    errno = 0;
    struct channel *c = channel_create(q, d, 4096);
    int err = errno;
    lab_assert(c == NULL && err == EEXIST, NOTE("names-in-use"),
               "channel_create(\"%s\", \"%s\", 4096) where the object's name "
               "is taken\n  expected: NULL with errno EEXIST\n  got:      %s"
               "\n  likely:   O_EXCL missing on shm_open", q, d,
               c ? "a channel" : lab_fmt("NULL with errno %s", lab_errno_name(err)));
    lab_assert(!lab_queue_exists(q), NOTE("names-in-use"),
               "after channel_create failed because %s was taken\n  expected:"
               " the queue %s it had just created is removed again\n  got:   "
               "   the queue still exists\n  likely:   the error path closed "
               "the queue (mq_close) but did not remove it (mq_unlink)", d, q);
    ev_take(&snap);
    int qfd = -1;
    lab_assert(ev_queue_fds(&snap, q, &qfd) == 0 && ev_shm_map(&snap, d) == NULL,
               NOTE("names-in-use"),
               "after the failed channel_create\n  expected: no descriptor of "
               "%s and no mapping of %s left\n  got:      %s", q, d,
               qfd != -1 ? lab_fmt("descriptor %d of the queue", qfd)
                         : "a mapping of the object");
    lab_assert(lab_shm_exists(d), NOTE("names-in-use"),
               "expected: the object %s, which channel_create did not create,"
               " is left alone\n  got:      it was removed", d);

    const char *q2 = lab_name("q2"), *d2 = lab_name("d2");
    struct mq_attr attr = {.mq_maxmsg = 2, .mq_msgsize = 16};
    mqd_t theirs = mq_open(q2, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    cr_assert(theirs != (mqd_t)-1, "grader: mq_open failed: %s", strerror(errno));
    cr_assert(mq_send(theirs, "theirs", 7, 0) == 0, "grader: mq_send failed");
    errno = 0;
    c = channel_create(q2, d2, 4096);
    err = errno;
    lab_assert(c == NULL && err == EEXIST, NOTE("names-in-use"),
               "channel_create(\"%s\", \"%s\", 4096) where the queue's name "
               "is taken\n  expected: NULL with errno EEXIST\n  got:      %s"
               "\n  likely:   O_EXCL missing on mq_open: an old queue, with "
               "its old messages, would be reused", q2, d2,
               c ? "a channel" : lab_fmt("NULL with errno %s", lab_errno_name(err)));
    lab_assert(lab_queue_exists(q2) && pending(theirs) == 1 && !lab_shm_exists(d2),
               NOTE("names-in-use"),
               "after channel_create failed because %s was taken\n  expected:"
               " that queue untouched (1 message), no object %s\n  got:      "
               "%s, %ld message(s)", q2, d2, names_state(q2, d2), pending(theirs));
    mq_close(theirs);
}

LAB_TEST(lifetime, detached_objects_keep_their_contents_until_unlinked, 7)
{
    const char *q = lab_name("q"), *d = lab_name("d");
    struct channel *c = must_create(q, d, 4096);
    must_publish(c, "persistent");
    errno = 0;
    int rc = channel_detach(c);
    int err = errno;
    lab_assert(rc == 0, NOTE("what-close-and-detach-release"),
               "channel_detach\n  expected: 0\n  got:      %d, errno %s", rc,
               lab_errno_name(err));
    lab_assert(lab_queue_exists(q) && lab_shm_exists(d),
               NOTE("what-close-and-detach-release"),
               "after the only process holding them detached\n  expected: "
               "both names still there (nothing was unlinked)\n  got:      %s"
               "\n  likely:   channel_detach unlinks; detaching releases this "
               "process's hold, it does not destroy the objects",
               names_state(q, d));

    /* Nobody holds either object now: they live on, contents and all. */
    struct channel *a = must_attach(q, d);
    lab_assert(a->len == 4096 && strcmp(a->data, "persistent") == 0,
               NOTE("what-close-and-detach-release"),
               "attached again after everyone had detached\n  expected: a "
               "4096-byte object holding \"persistent\"\n  got:      %zu "
               "bytes holding %s", a->len, lab_quote(a->data, 12));
    expect_text(a, "persistent", "a channel attached after everyone had "
                "detached (the notice waited in the queue)",
                NOTE("what-close-and-detach-release"));
    channel_detach(a);

    errno = 0;
    rc = channel_unlink(q, d);
    err = errno;
    lab_assert(rc == 0 && !lab_queue_exists(q) && !lab_shm_exists(d),
               NOTE("unlinking"),
               "channel_unlink(\"%s\", \"%s\")\n  expected: 0, both names "
               "gone\n  got:      %d%s, %s\n  likely:   %s", q, d, rc,
               rc ? lab_fmt(" (errno %s)", lab_errno_name(err)) : "",
               names_state(q, d),
               rc == 0 ? "mq_unlink or shm_unlink not called: no object goes"
                         " away by itself when the last holder lets go"
                       : lab_errno_hint(err));
    errno = 0;
    struct channel *gone = channel_attach(q, d);
    err = errno;
    lab_assert(gone == NULL && err == ENOENT, NOTE("unlinking"),
               "channel_attach after channel_unlink\n  expected: NULL with "
               "errno ENOENT\n  got:      %s; %s\n  likely:   %s",
               gone ? "a channel"
                    : lab_fmt("NULL with errno %s", lab_errno_name(err)),
               names_state(q, d),
               lab_queue_exists(q) || lab_shm_exists(d)
                   ? "O_CREAT in channel_attach: it makes new, empty "
                     "objects under the old names"
                   : "errno was changed while cleaning up");
}

LAB_TEST(lifetime, mapping_outlives_the_closed_shm_descriptor, 6)
{
    const char *q = lab_name("q"), *d = lab_name("d");
    struct channel *c = must_create(q, d, 8192);
    ev_take(&snap);
    int fd = -1;
    int n = ev_shm_fds(&snap, d, &fd);
    lab_assert(n == 0, NOTE("close-does-not-unmap"),
               "after channel_create, in /proc/self/fd\n  expected: no "
               "descriptor of the object %s (closed once mapped)\n  got:      "
               "descriptor %d -> /dev/shm%s, opened by channel_create and "
               "still open\n  likely:   the descriptor was kept \"for the "
               "mapping\"; the mapping holds the object by itself, so close "
               "it", d, fd, d);
    const struct ev_map *m = ev_shm_map(&snap, d);
    lab_assert(m != NULL && strcmp(m->perms, "rw-s") == 0 &&
                   m->lo == (unsigned long)c->data && m->hi - m->lo == 8192,
               NOTE("close-does-not-unmap"),
               "after channel_create, in /proc/self/maps\n  expected: one "
               "mapping rw-s of /dev/shm%s, 8192 bytes at c->data %p\n  got:"
               "      %s", d, (void *)c->data,
               m ? lab_fmt("%lx-%lx %s", m->lo, m->hi, m->perms) : "none");
    int qfd = -1;
    lab_assert(ev_queue_fds(&snap, q, &qfd) == 1 && qfd == (int)c->queue,
               NOTE("close-does-not-unmap"),
               "after channel_create\n  expected: exactly one descriptor of "
               "the queue %s, c->queue\n  got:      %d", q,
               ev_queue_fds(&snap, q, NULL));

    /* The descriptor is gone, the mapping still reaches the object. */
    c->data[8191] = 'Z';
    errno = 0;
    int look = shm_open(d, O_RDONLY, 0);
    int err = errno;
    lab_assert(look != -1, NOTE("close-does-not-unmap"),
               "the grader's shm_open(\"%s\", O_RDONLY), to read the object "
               "channel_create made through a descriptor of its own\n  "
               "expected: success\n  got:      -1, errno %s\n  likely:   %s",
               d, lab_errno_name(err),
               err == ENOENT
                   ? LAB_BLAME("create-unlinks-early", "channel_create",
                               "(or something after it) unlinked the object's "
                               "name: it must stay until channel_unlink")
                   : lab_errno_hint(err));
    char back = 0;
    cr_assert(pread(look, &back, 1, 8191) == 1, "grader: pread failed");
    close(look);
    lab_assert(back == 'Z', NOTE("close-does-not-unmap"),
               "stored 'Z' through the mapping after its descriptor was "
               "closed\n  expected: the object holds it\n  got:      %s",
               lab_quote(&back, 1));
    channel_detach(c);
}

LAB_TEST(lifetime, unlinked_names_are_free_for_new_separate_objects, 8)
{
    const char *q = lab_name("q"), *d = lab_name("d");
    struct channel *old = must_create(q, d, 4096);
    must_publish(old, "old data");
    errno = 0;
    int rc = channel_unlink(q, d);
    int err = errno;
    lab_assert(rc == 0 && !lab_queue_exists(q) && !lab_shm_exists(d),
               NOTE("unlinking"),
               "channel_unlink(\"%s\", \"%s\") while this process holds both"
               "\n  expected: 0, both names gone at once\n  got:      %d%s, %s"
               "\n  likely:   %s", q, d, rc,
               rc ? lab_fmt(" (errno %s)", lab_errno_name(err)) : "",
               names_state(q, d),
               rc ? lab_errno_hint(err)
                  : "an unlink was not done: a name may be removed while "
                    "the object is in use; that is no reason to wait");

    errno = 0;
    struct channel *late = channel_attach(q, d);
    err = errno;
    lab_assert(late == NULL && err == ENOENT && !lab_queue_exists(q) &&
                   !lab_shm_exists(d),
               NOTE("unlinking"),
               "channel_attach(\"%s\", \"%s\") after the names were unlinked"
               "\n  expected: NULL with errno ENOENT, and still no names\n  "
               "got:      %s; %s\n  likely:   O_CREAT in channel_attach: it "
               "makes new, empty objects under the old names", q, d,
               late ? "a channel" : lab_fmt("NULL with errno %s",
                                            lab_errno_name(err)),
               names_state(q, d));

    errno = 0;
    struct channel *young = channel_create(q, d, 4096);
    err = errno;
    lab_assert(young != NULL, NOTE("unlinking"),
               "channel_create(\"%s\", \"%s\", 4096) after the names were "
               "unlinked, while the old objects are still held\n  expected: "
               "a new channel (the names are free)\n  got:      NULL with "
               "errno %s", q, d, lab_errno_name(err));
    lab_assert(young->data[0] == '\0' && pending(young->queue) == 0,
               NOTE("unlinking"),
               "expected: the new objects are new: an empty queue and a "
               "zero-filled object\n  got:      %ld message(s), object "
               "starting with %s", pending(young->queue),
               lab_quote(young->data, 8));
    must_publish(young, "new data");
    lab_assert(strcmp(old->data, "old data") == 0, NOTE("unlinking"),
               "after a new object took the old name\n  expected: the old "
               "mapping still shows \"old data\"\n  got:      %s",
               lab_quote(old->data, 8));
    expect_text(old, "old data", "the old channel, whose names were "
                "unlinked", NOTE("unlinking"));
    expect_text(young, "new data", "the new channel under the same names",
                NOTE("unlinking"));
    channel_detach(old);
    channel_detach(young);
    channel_unlink(q, d);
}

/* ---- across processes -------------------------------------------------- */

struct holder {
    const char *q, *d;
    struct handshake hs;
};

/* The other process: attaches, waits while the test detaches and
 * unlinks, then reads what the objects still hold. */
static int holder_process(void *arg)
{
    struct holder *h = arg;
    hs_child_side(&h->hs);
    int up = h->hs.up[1];
    struct channel *c = channel_attach(h->q, h->d);
    if (c == NULL) {
        hs_say(up, "in the child, channel_attach failed with errno %s",
               lab_errno_name(errno));
        return 1;
    }
    hs_say(up, "attached");
    char line[64];
    if (!hs_expect(h->hs.down[0], "go", line, sizeof line, 10.0))
        return 2;
    ev_take(&snap);
    const struct ev_map *m = ev_shm_map(&snap, h->d);
    if (m == NULL || !ev_is_deleted(m->path)) {
        hs_say(up, "in the child, /proc/self/maps shows %s",
               m ? m->path : "no mapping of the object");
        return 3;
    }
    int qfd = -1;
    for (int i = 0; i < snap.nfds; i++)
        if (ev_is_queue(snap.fds[i].target, h->q) &&
            ev_is_deleted(snap.fds[i].target))
            qfd = snap.fds[i].fd;
    if (qfd != (int)c->queue) {
        hs_say(up, "in the child, /proc/self/fd shows no descriptor %d of "
               "the queue %s marked (deleted)", (int)c->queue, h->q);
        return 3;
    }
    if (strcmp(c->data, "kept alive") != 0) {
        hs_say(up, "the child's mapping holds %s after the unlink",
               lab_quote(c->data, 10));
        return 4;
    }
    char out[64] = "";
    ssize_t n = channel_receive(c, out, sizeof out);
    if (n != 10 || strcmp(out, "kept alive") != 0) {
        hs_say(up, "in the child, channel_receive after the unlink gave %zd"
               "%s%s", n, n == -1 ? ", errno " : " ",
               n == -1 ? lab_errno_name(errno) : lab_quote(out, 10));
        return 5;
    }
    if (channel_detach(c) == -1) {
        hs_say(up, "in the child, channel_detach failed with errno %s",
               lab_errno_name(errno));
        return 6;
    }
    hs_say(up, "done");
    return 0;
}

LAB_TEST_TIMEOUT(processes, holder_reads_after_another_process_unlinks, 10, 15.0)
{
    static struct holder h;
    h.q = lab_name("q");
    h.d = lab_name("d");
    struct channel *c = must_create(h.q, h.d, 4096);
    must_publish(c, "kept alive");
    cr_assert(hs_open(&h.hs) == 0, "grader: pipe failed");
    pid_t pid = lab_spawn(holder_process, &h);
    hs_parent_side(&h.hs);
    char line[1100];
    int attached = hs_expect(h.hs.up[0], "attached", line, sizeof line, 10.0);
    lab_assert(attached, NOTE("a-channel"),
               "a second process ran channel_attach(\"%s\", \"%s\")\n  "
               "expected: it attaches\n  got:      %s", h.q, h.d,
               line[0] ? line : "no answer from the child");

    /* The test lets go of everything, then removes the names: from now
     * on only the child holds the objects. */
    errno = 0;
    int rc = channel_detach(c);
    lab_assert(rc == 0, NOTE("what-close-and-detach-release"),
               "channel_detach in the creating process\n  expected: 0\n  "
               "got:      %d, errno %s", rc, lab_errno_name(errno));
    errno = 0;
    rc = channel_unlink(h.q, h.d);
    int err = errno;
    lab_assert(rc == 0 && !lab_queue_exists(h.q) && !lab_shm_exists(h.d),
               NOTE("unlinking"),
               "channel_unlink(\"%s\", \"%s\") while another process holds "
               "both\n  expected: 0, both names gone\n  got:      %d%s, %s"
               "\n  likely:   %s", h.q, h.d, rc,
               rc ? lab_fmt(" (errno %s)", lab_errno_name(err)) : "",
               names_state(h.q, h.d),
               rc ? lab_errno_hint(err)
                  : "mq_unlink or shm_unlink not called: holders keep their "
                    "objects, so there is no reason to wait for them");
    hs_say(h.hs.down[1], "go");
    int done = hs_expect(h.hs.up[0], "done", line, sizeof line, 10.0);
    int status = 0;
    int ended = lab_wait_pid(pid, 5.0, &status);
    lab_assert(done, NOTE("across-processes"),
               "the creator detached and unlinked; the child, the last "
               "holder, then read the object and received the notice\n  "
               "expected: \"kept alive\" from both\n  got:      %s",
               line[0] ? line
               : ended ? lab_fmt("the child %s", lab_describe_status(status))
                       : "no answer from the child");
    lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0,
               NOTE("across-processes"),
               "expected: the child ends with status 0\n  got:      %s",
               ended ? lab_describe_status(status) : "still running");
}
