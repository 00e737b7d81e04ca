/* test_faults.c - lab 07: the promises about errors. The student's own
 * calls are made to fail (grader/harness/lab_fault.h): a create or attach
 * that fails must return NULL with the failing call's errno and leave
 * nothing behind: no descriptor, no mapping, no memory, no name it made.
 * The tests count the calls a solution makes before they make one fail,
 * so any order and number of calls the spec allows passes. */
#include "support.h"

#include "lab_evidence.h"
#include "lab_fault.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* One failure to inject: the Nth call of CALL fails with ERR. A call
 * marked TOLERATED may fail without the whole call failing (a solution
 * need not call fstat in create; a close that fails still closed). */
struct step {
    enum lab_fault_call call;
    unsigned n;
    int err;
    int tolerated;
};

static const struct {
    enum lab_fault_call call;
    int err;
    int tolerated;
} kinds[] = {
    {LAB_FAULT_MALLOC, ENOMEM, 0},    {LAB_FAULT_CALLOC, ENOMEM, 0},
    {LAB_FAULT_MQ_OPEN, EMFILE, 0},   {LAB_FAULT_SHM_OPEN, ENFILE, 0},
    {LAB_FAULT_FTRUNCATE, EFBIG, 0},  {LAB_FAULT_FSTAT, EOVERFLOW, 1},
    {LAB_FAULT_MMAP, ENOMEM, 0},      {LAB_FAULT_CLOSE, EIO, 1},
};
#define NKINDS ((int)(sizeof kinds / sizeof kinds[0]))

/* Every failure a clean run of the operation makes possible. */
static int plan_steps(struct step *plan, int max)
{
    int n = 0;
    for (int k = 0; k < NKINDS; k++)
        for (unsigned i = 1; i <= lab_fault_calls(kinds[k].call) && n < max; i++)
            plan[n++] = (struct step){kinds[k].call, i, kinds[k].err,
                                      kinds[k].tolerated};
    return n;
}

static int mappings(void)
{
    static struct ev_snapshot snap;
    ev_take(&snap);
    return snap.nmaps;
}

/* CREATE: 1 for channel_create (its names must be gone after a failure),
 * 0 for channel_attach (its names must still be there). */
static void sweep(int create)
{
    const char *q = lab_name("q"), *d = lab_name("d");
    const char *op = create ? "channel_create" : "channel_attach";
    struct channel *owner = NULL;
    if (!create) {
        owner = must_create(q, d, 128);
        must_publish(owner, "still here");
    }

    /* A clean run: how many calls of each kind this solution makes. */
    lab_fault_reset();
    struct channel *c = create ? must_create(q, d, 128) : must_attach(q, d);
    struct step plan[48];
    int nplan = plan_steps(plan, 48);
    lab_fault_reset();
    lab_assert_ok(channel_detach(c), NOTE("what-close-and-detach-release"),
                  "channel_detach after %s", op);
    if (create)
        lab_assert_ok(channel_unlink(q, d), NOTE("unlinking"),
                      "channel_unlink after channel_create");

    int fds_before = lab_open_fd_count();
    int maps_before = mappings();
    for (int p = 0; p < nplan; p++) {
        lab_fault_reset();
        unsigned blocks = lab_fault_live_blocks();
        lab_fault_fail(plan[p].call, plan[p].n, plan[p].err, LAB_FAULT_ONCE);
        /* The cleanup's mq_close fails too (it still closes, as on Linux):
         * the errno reported must stay the first failure's. */
        lab_fault_fail(LAB_FAULT_MQ_CLOSE, 1, EIO, LAB_FAULT_FROM_ON);
        /* So does the close of the object's descriptor, unless that is
         * the step being tested or one a solution may carry on from. */
        if (plan[p].call != LAB_FAULT_CLOSE && !plan[p].tolerated)
            lab_fault_fail(LAB_FAULT_CLOSE, 1, EIO, LAB_FAULT_FROM_ON);
        errno = 0;
        c = create ? channel_create(q, d, 128) : channel_attach(q, d);
        int err = errno;
        const char *what = lab_fmt("%s", lab_fault_describe());
        lab_fault_reset();
        if (c != NULL && plan[p].tolerated) {
            /* Carrying on is allowed here: then the channel must work
             * (a mapping given back already would crash here). */
            lab_assert(c->len == 128, NOTE("a-channel"),
                       "%s carried on when %s\n  expected: len 128\n  got:"
                       "      %zu", op, what, c->len);
            volatile char *byte = c->data;
            byte[0] = byte[0];
            byte[127] = byte[127];
            lab_assert_ok(channel_detach(c), NOTE("what-close-and-detach-release"),
                          "channel_detach of the channel %s made when %s",
                          op, what);
            if (create)
                channel_unlink(q, d);
            continue;
        }
        if (c != NULL) {
            channel_detach(c);
            if (create)
                channel_unlink(q, d);
        }
        lab_assert(c == NULL && err == plan[p].err,
                   NOTE("releasing-exactly-what-you-acquire"),
                   "%s when %s (injected by the grader)\n  expected: NULL "
                   "with errno %s\n  got:      %s\n  likely:   %s", op, what,
                   lab_errno_name(plan[p].err),
                   c ? "a channel" : lab_fmt("NULL with errno %s",
                                             lab_errno_name(err)),
                   c ? "this call's result is not checked"
                   : err == EIO ? "the cleanup's mq_close overwrote errno: "
                                  "save it before cleaning up, restore it "
                                  "after"
                                : "errno was changed after the failing call");
        if (create)
            lab_assert(!lab_queue_exists(q) && !lab_shm_exists(d),
                       NOTE("names-in-use"),
                       "channel_create failed when %s\n  expected: both names"
                       " as they were: free\n  got:      %s%s%s still "
                       "exist%s\n  likely:   this error path does not remove"
                       " the names this call created", what,
                       lab_queue_exists(q) ? "the queue" : "",
                       lab_queue_exists(q) && lab_shm_exists(d) ? " and " : "",
                       lab_shm_exists(d) ? "the object" : "",
                       lab_queue_exists(q) && lab_shm_exists(d) ? "" : "s");
        else
            lab_assert(lab_queue_exists(q) && lab_shm_exists(d),
                       NOTE("unlinking"),
                       "channel_attach failed when %s\n  expected: both names"
                       " left alone (attach never removes anything)\n  got:  "
                       "    %s was removed", what,
                       lab_queue_exists(q) ? "the object" : "the queue");
        lab_assert(lab_open_fd_count() == fds_before,
                   NOTE("releasing-exactly-what-you-acquire"),
                   "%s failed when %s\n  expected: %d descriptors open, as "
                   "before\n  got:      %d\n  likely:   a queue or object "
                   "opened before the failure was not closed", op, what,
                   fds_before, lab_open_fd_count());
        lab_assert(mappings() == maps_before,
                   NOTE("releasing-exactly-what-you-acquire"),
                   "%s failed when %s\n  expected: no mapping of a lab object"
                   " left\n  got:      %d more\n  likely:   the mapping made "
                   "before the failure was not unmapped", op, what,
                   mappings() - maps_before);
        lab_assert(lab_fault_live_blocks() == blocks,
                   NOTE("releasing-exactly-what-you-acquire"),
                   "%s failed when %s\n  expected: no memory kept\n  got:    "
                   "  %u block%s not freed\n  likely:   the struct channel is "
                   "not freed on this error path", op, what,
                   lab_fault_live_blocks() - blocks,
                   lab_fault_live_blocks() - blocks == 1 ? "" : "s");
    }
    if (owner) {
        expect_text(owner, "still here", "the owner's channel after the "
                    "failed attaches", NOTE("unlinking"));
        channel_detach(owner);
        channel_unlink(q, d);
    }
}

LAB_TEST(release, a_failing_create_leaves_nothing_and_keeps_its_errno, 8)
{
    sweep(1);
}

LAB_TEST(release, a_failing_attach_leaves_nothing_and_keeps_its_errno, 6)
{
    sweep(0);
}

LAB_TEST(channel, malformed_notices_and_sizes_are_refused, 4)
{
    const char *q = lab_name("q"), *d = lab_name("d");
    errno = 0;
    struct channel *z = channel_create(q, d, 0);
    int err = errno;
    lab_assert(z == NULL && err == EINVAL && !lab_queue_exists(q) &&
                   !lab_shm_exists(d),
               NOTE("a-channel"),
               "channel_create(q, d, 0)\n  expected: NULL with errno EINVAL"
               " (from mmap), and neither name left\n  got:      %s; queue "
               "%s, object %s", z ? "a channel"
                                  : lab_fmt("NULL with errno %s",
                                            lab_errno_name(err)),
               lab_queue_exists(q) ? "exists" : "gone",
               lab_shm_exists(d) ? "exists" : "gone");
    if (z) {
        channel_detach(z);
        channel_unlink(q, d);
    }

    struct channel *c = must_create(q, d, 16);
    char out[64];
    /* A notice announcing exactly the object's size: no room for '\0'. */
    memset(c->data, 'y', 16);
    channel_notice notice = 16;
    cr_assert(mq_send(c->queue, (const char *)&notice, sizeof notice, 0) == 0,
              "grader: mq_send failed");
    errno = 0;
    ssize_t n = channel_receive(c, out, sizeof out);
    err = errno;
    lab_assert(n == -1 && err == EBADMSG, NOTE("a-channel"),
               "channel_receive of a notice announcing 16 bytes in a 16-byte "
               "object (length >= c->len)\n  expected: -1 with errno EBADMSG"
               "\n  got:      %zd%s\n  likely:   the text and its '\\0' need "
               "length + 1 bytes of the object", n,
               n == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    /* A notice announcing 5 where the object holds no '\0' at [5]. */
    notice = 5;
    cr_assert(mq_send(c->queue, (const char *)&notice, sizeof notice, 0) == 0,
              "grader: mq_send failed");
    errno = 0;
    n = channel_receive(c, out, sizeof out);
    err = errno;
    lab_assert(n == -1 && err == EBADMSG, NOTE("a-channel"),
               "channel_receive of a notice announcing 5 where the object "
               "holds \"yyyyyyyy...\" (no '\\0' at data[5])\n  expected: -1 "
               "with errno EBADMSG\n  got:      %zd%s\n  likely:   the "
               "object is shared: check that data[length] is '\\0'", n,
               n == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    /* A message of 1 byte is no notice, whatever the stale bytes of a
     * buffer after it would say. */
    memset(c->data, 0, 16);
    cr_assert(mq_send(c->queue, "\x07", 1, 0) == 0, "grader: mq_send failed");
    errno = 0;
    n = channel_receive(c, out, sizeof out);
    err = errno;
    lab_assert(n == -1 && err == EBADMSG, NOTE("a-channel"),
               "channel_receive of a 1-byte message\n  expected: -1 with "
               "errno EBADMSG (a notice is exactly %zu bytes)\n  got:      "
               "%zd%s", sizeof(channel_notice), n,
               n == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    /* OUT of exactly length + 1 bytes is enough. */
    must_publish(c, "hello");
    char six[6];
    memset(six, '#', sizeof six);  /* the '\0' must come from channel_receive */
    errno = 0;
    n = channel_receive(c, six, sizeof six);
    err = errno;
    lab_assert(n == 5 && memcmp(six, "hello", 6) == 0, NOTE("a-channel"),
               "channel_receive(c, out, 6) for the 5-character \"hello\"\n"
               "  expected: 5, \"hello\" and its '\\0' (6 bytes fit in 6)"
               "\n  got:      %zd%s", n,
               n == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    /* mq_receive itself fails (a signal, say): its errno, nothing else. */
    must_publish(c, "kept");
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_MQ_RECEIVE, 1, EINTR, LAB_FAULT_ONCE);
    lab_fault_fail(LAB_FAULT_MQ_TIMEDRECEIVE, 1, EINTR, LAB_FAULT_ONCE);
    errno = 0;
    n = channel_receive(c, out, sizeof out);
    err = errno;
    const char *what = lab_fmt("%s", lab_fault_describe());
    lab_fault_reset();
    lab_assert(n == -1 && err == EINTR, NOTE("a-channel"),
               "channel_receive when %s (injected by the grader)\n  "
               "expected: -1 with errno EINTR\n  got:      %zd%s\n  likely:"
               "   mq_receive's -1 is not checked before the notice is "
               "looked at", what, n,
               n == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    expect_text(c, "kept", "a channel whose first receive failed",
                NOTE("a-channel"));
    /* A text of exactly len - 1 characters fits; the notice is native. */
    must_publish(c, "fifteen chars..");
    expect_text(c, "fifteen chars..", "a 16-byte object holding 15 characters",
                NOTE("a-channel"));
    channel_detach(c);
    channel_unlink(q, d);
}

LAB_TEST(release, detach_and_unlink_go_on_after_a_failure, 4)
{
    lab_assert(channel_detach(NULL) == 0, NOTE("what-close-and-detach-release"),
               "channel_detach(NULL)\n  expected: 0, as free(NULL) does "
               "nothing");
    const char *q = lab_name("q"), *d = lab_name("d");
    int fds_before = lab_open_fd_count();
    int maps_before = mappings();
    unsigned blocks = lab_fault_live_blocks();

    /* munmap fails: the queue is closed and the struct freed all the same.
     * (An injected munmap does not unmap: the grader does it after.) */
    struct channel *c = must_create(q, d, 64);
    void *data = c->data;
    size_t len = c->len;
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_MUNMAP, 1, EINVAL, LAB_FAULT_ONCE);
    errno = 0;
    int rc = channel_detach(c);
    int err = errno;
    const char *what = lab_fmt("%s", lab_fault_describe());
    lab_fault_reset();
    munmap(data, len);
    lab_assert(rc == -1 && err == EINVAL, NOTE("what-close-and-detach-release"),
               "channel_detach when %s (injected by the grader)\n  expected:"
               " -1 with errno EINVAL\n  got:      %d%s", what, rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    lab_assert(lab_open_fd_count() == fds_before &&
                   lab_fault_live_blocks() == blocks,
               NOTE("what-close-and-detach-release"),
               "channel_detach when %s\n  expected: the queue closed and the "
               "struct freed all the same\n  got:      %d descriptor(s) and %u"
               " block(s) more than before\n  likely:   detach stops at the "
               "first failure", what, lab_open_fd_count() - fds_before,
               lab_fault_live_blocks() - blocks);

    /* mq_close fails: the mapping is gone and the struct freed. */
    lab_assert_ok(channel_unlink(q, d), NOTE("unlinking"), "channel_unlink");
    c = must_create(q, d, 64);
    lab_fault_fail(LAB_FAULT_MQ_CLOSE, 1, EIO, LAB_FAULT_ONCE);
    errno = 0;
    rc = channel_detach(c);
    err = errno;
    what = lab_fmt("%s", lab_fault_describe());
    lab_fault_reset();
    lab_assert(rc == -1 && err == EIO, NOTE("what-close-and-detach-release"),
               "channel_detach when %s (injected by the grader)\n  expected:"
               " -1 with errno EIO\n  got:      %d%s", what, rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    lab_assert(mappings() == maps_before && lab_fault_live_blocks() == blocks,
               NOTE("what-close-and-detach-release"),
               "channel_detach when %s\n  expected: the object unmapped and "
               "the struct freed all the same\n  got:      %d mapping(s) and "
               "%u block(s) more than before", what, mappings() - maps_before,
               lab_fault_live_blocks() - blocks);

    /* One name missing: the other is removed all the same, ENOENT. */
    lab_assert(mq_unlink(q) == 0, NOTE("unlinking"), "grader: mq_unlink");
    errno = 0;
    rc = channel_unlink(q, d);
    err = errno;
    lab_assert(rc == -1 && err == ENOENT && !lab_shm_exists(d),
               NOTE("unlinking"),
               "channel_unlink where the queue's name was already removed\n"
               "  expected: -1 with errno ENOENT, and the object's name "
               "removed all the same\n  got:      %d%s, object %s", rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "",
               lab_shm_exists(d) ? "still there" : "removed");
    c = must_create(q, d, 64);
    channel_detach(c);
    lab_assert(shm_unlink(d) == 0, NOTE("unlinking"), "grader: shm_unlink");
    errno = 0;
    rc = channel_unlink(q, d);
    err = errno;
    lab_assert(rc == -1 && err == ENOENT && !lab_queue_exists(q),
               NOTE("unlinking"),
               "channel_unlink where the object's name was already removed\n"
               "  expected: -1 with errno ENOENT, and the queue's name "
               "removed all the same\n  got:      %d%s, queue %s", rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "",
               lab_queue_exists(q) ? "still there" : "removed");
    errno = 0;
    rc = channel_unlink(q, d);
    err = errno;
    lab_assert(rc == -1 && err == ENOENT, NOTE("unlinking"),
               "channel_unlink where neither name exists\n  expected: -1 with"
               " errno ENOENT\n  got:      %d%s", rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    /* Both fail, differently: the first one's errno (mq_unlink's). */
    c = must_create(q, d, 64);
    channel_detach(c);
    lab_assert(shm_unlink(d) == 0, NOTE("unlinking"), "grader: shm_unlink");
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_MQ_UNLINK, 1, EACCES, LAB_FAULT_ONCE);
    errno = 0;
    rc = channel_unlink(q, d);
    err = errno;
    what = lab_fmt("%s", lab_fault_describe());
    lab_fault_reset();
    lab_assert(rc == -1 && err == EACCES, NOTE("unlinking"),
               "channel_unlink when %s (injected by the grader) and the "
               "object's name is already gone (ENOENT)\n  expected: -1 with "
               "errno EACCES, the first failure's\n  got:      %d%s\n  "
               "likely:   errno is the last failure's: keep the first one and"
               " set errno to it before returning", what, rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    mq_unlink(q);
}
