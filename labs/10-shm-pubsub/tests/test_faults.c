/* test_faults.c - lab 10: when one of the calls the library makes fails
 * (fault injection, grader/harness/lab_fault.h): the function returns -1
 * with errno as that call left it, and leaves nothing behind. Each sweep
 * first counts the calls a clean run makes, so any order or number of
 * calls the spec allows is fine. */
#include "kid.h"
#include "lab_fault.h"
#include "probe.h"
#include "pubsub.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define NOTE(anchor) "10-shm-pubsub.md#" anchor
#define FAILING NOTE("when-a-call-fails")

/* A call that can fail, and the errno the test gives it: each a
 * different one, so a wrong errno shows where it came from. */
struct fault { enum lab_fault_call call; int err; };

static const struct fault create_calls[] = {
    {LAB_FAULT_SHM_OPEN, EMFILE},
    {LAB_FAULT_FTRUNCATE, EFBIG},
    {LAB_FAULT_FSTAT, EOVERFLOW},
    {LAB_FAULT_MMAP, ENOMEM},
    {LAB_FAULT_CLOSE, EIO},
    {LAB_FAULT_MALLOC, ENOMEM},
    {LAB_FAULT_PTHREAD_MUTEXATTR_INIT, ENOMEM},
    {LAB_FAULT_PTHREAD_MUTEXATTR_SETPSHARED, ENOTSUP},
    {LAB_FAULT_PTHREAD_MUTEXATTR_SETROBUST, ENOTSUP},
    {LAB_FAULT_PTHREAD_MUTEX_INIT, EAGAIN},
};
#define COUNT(a) (int)(sizeof(a) / sizeof(a)[0])

/* The clean-up calls: made to fail as well in the second round, where
 * errno must still say why the function failed. Only calls that none of
 * these functions makes on its way to success (close is, after mmap). */
static const struct fault cleanup_calls[] = {
    {LAB_FAULT_MUNMAP, EINVAL},
    {LAB_FAULT_SHM_UNLINK, EACCES},
    {LAB_FAULT_MQ_CLOSE, EBADF},
    {LAB_FAULT_MQ_UNLINK, EACCES},
};

/* "the 2nd mmap failed with ENOMEM (injected by the grader)", said
 * before the call: lab_fault_describe names the last failure made, which
 * in the second round is a clean-up call's. */
static const char *planned(const struct fault *f, unsigned n)
{
    static const char *const th[] = {"th", "st", "nd", "rd"};
    unsigned last = n % 10;
    const char *suffix = (n % 100) / 10 == 1 || last > 3 ? "th" : th[last];
    return lab_fmt("the %u%s %s failed with %s (injected by the grader)", n,
                   suffix, lab_fault_name(f->call), lab_errno_name(f->err));
}

static void fail_cleanup_too(enum lab_fault_call except)
{
    for (int i = 0; i < COUNT(cleanup_calls); i++)
        if (cleanup_calls[i].call != except)
            lab_fault_fail(cleanup_calls[i].call, 1, cleanup_calls[i].err,
                           LAB_FAULT_FROM_ON);
}

LAB_TEST(faults, create_leaves_nothing_behind_when_a_call_fails, 4)
{
    const char *name = lab_name("fcreate");
    unsigned count[COUNT(create_calls)];
    struct ps_handle h;
    lab_fault_reset();
    lab_assert_ok(ps_create(&h, name), NOTE("creating-the-shared-object"),
                  "ps_create on a new name");
    for (int c = 0; c < COUNT(create_calls); c++)
        count[c] = lab_fault_calls(create_calls[c].call);
    lab_assert_ok(ps_close(&h), NOTE("teardown-by-each-owner"),
                  "ps_close of the owner");
    int fds = lab_open_fd_count();
    unsigned blocks = lab_fault_live_blocks();

    for (int round = 0; round < 2; round++)
        for (int c = 0; c < COUNT(create_calls); c++)
            for (unsigned n = 1; n <= count[c]; n++) {
                const struct fault *f = &create_calls[c];
                lab_fault_reset();
                lab_fault_fail(f->call, n, f->err, LAB_FAULT_ONCE);
                if (round == 1)
                    fail_cleanup_too(f->call);
                const char *what = planned(f, n);
                errno = 0;
                int rc = ps_create(&h, name);
                int err = errno;
                lab_fault_reset();
                if (rc == 0) {
                    ps_close(&h);
                    lab_assert(0, FAILING,
                               "ps_create, when %s\n  expected: -1 with "
                               "errno %s\n  got:      0\n  likely:   every "
                               "call's result is checked; a failure is "
                               "returned, not ignored", what,
                               lab_errno_name(f->err));
                }
                lab_assert(err == f->err, FAILING,
                           "ps_create, when %s%s\n  expected: -1 with errno "
                           "%s, as the failing call left it\n  got:      -1"
                           ", errno %s\n  likely:   %s", what,
                           round ? ", and every clean-up call (munmap, "
                                   "shm_unlink) failed too" : "",
                           lab_errno_name(f->err), lab_errno_name(err),
                           round ? "save errno before cleaning up, and put "
                                   "it back: a clean-up call that fails "
                                   "overwrites it"
                                 : "a pthread_* call returns its error: put"
                                   " it in errno");
                if (round == 1) {
                    /* The clean-up was made to fail: remove by hand. */
                    shm_unlink(name);
                    continue;
                }
                lab_assert(!lab_shm_exists(name), FAILING,
                           "ps_create, when %s\n  expected: -1 and the new "
                           "object's name removed again\n  got:      the "
                           "name is left\n  likely:   once shm_open created "
                           "it, every later failure must shm_unlink it",
                           what);
                lab_assert(lab_open_fd_count() == fds &&
                               probe_mappings(name) == 0 &&
                               lab_fault_live_blocks() == blocks,
                           FAILING,
                           "ps_create, when %s\n  expected: -1, no "
                           "descriptor, mapping or memory left\n  got:      "
                           "%d descriptors more, %d mappings of the object, "
                           "%d blocks not freed\n  likely:   undo each step"
                           " that succeeded: close the descriptor, munmap",
                           what, lab_open_fd_count() - fds,
                           probe_mappings(name),
                           (int)(lab_fault_live_blocks() - blocks));
            }
}

static const struct fault attach_calls[] = {
    {LAB_FAULT_SHM_OPEN, EACCES},
    {LAB_FAULT_FSTAT, EOVERFLOW},
    {LAB_FAULT_MMAP, ENOMEM},
    {LAB_FAULT_CLOSE, EIO},
    {LAB_FAULT_MALLOC, ENOMEM},
};

LAB_TEST(faults, attach_leaves_the_object_alone_when_a_call_fails, 2)
{
    const char *name = lab_name("fattach");
    struct ps_handle owner, h;
    lab_assert_ok(ps_create(&owner, name), NOTE("creating-the-shared-object"),
                  "ps_create on a new name");
    lab_assert_ok(ps_increment(&owner), NOTE("one-lock-for-every-access"),
                  "ps_increment");
    unsigned count[COUNT(attach_calls)];
    lab_fault_reset();
    lab_assert_ok(ps_attach(&h, name), NOTE("attaching"), "ps_attach");
    for (int c = 0; c < COUNT(attach_calls); c++)
        count[c] = lab_fault_calls(attach_calls[c].call);
    lab_assert_ok(ps_close(&h), NOTE("teardown-by-each-owner"),
                  "ps_close of an attached handle");
    int fds = lab_open_fd_count();
    unsigned blocks = lab_fault_live_blocks();
    for (int round = 0; round < 2; round++)
        for (int c = 0; c < COUNT(attach_calls); c++)
            for (unsigned n = 1; n <= count[c]; n++) {
                const struct fault *f = &attach_calls[c];
                lab_fault_reset();
                lab_fault_fail(f->call, n, f->err, LAB_FAULT_ONCE);
                if (round == 1)
                    fail_cleanup_too(f->call);
                const char *what = planned(f, n);
                errno = 0;
                int rc = ps_attach(&h, name);
                int err = errno;
                lab_fault_reset();
                if (rc == 0)
                    ps_close(&h);
                lab_assert(rc == -1 && err == f->err, FAILING,
                           "ps_attach, when %s%s\n  expected: -1 with errno"
                           " %s, as the failing call left it\n  got:      "
                           "%d, errno %s", what,
                           round ? ", and every clean-up call failed too"
                                 : "", lab_errno_name(f->err), rc,
                           lab_errno_name(err));
                /* Injected munmap failures keep mappings: in that round
                 * only errno and the object itself are checked. */
                if (round == 0)
                    lab_assert(lab_open_fd_count() == fds &&
                                   probe_mappings(name) == 1 &&
                                   lab_fault_live_blocks() == blocks,
                               FAILING,
                               "ps_attach, when %s\n  expected: no "
                               "descriptor, mapping or memory of its own "
                               "left\n  got:      %d descriptors more, %d "
                               "mappings of the object besides the owner's,"
                               " %d blocks not freed", what,
                               lab_open_fd_count() - fds,
                               probe_mappings(name) - 1,
                               (int)(lab_fault_live_blocks() - blocks));
                lab_assert(lab_shm_exists(name) && owner.shm->counter == 1,
                           FAILING,
                           "ps_attach, when %s\n  expected: the object "
                           "left as it was (it is the creator's)\n  got:    "
                           "  %s", what, lab_shm_exists(name)
                               ? "its contents changed" : "it was removed: "
                                 "only the creator removes the name");
            }
    ps_close(&owner);
}

/* 1 if every slot of the table is free. */
static int table_empty(struct ps_shared *shm)
{
    for (int i = 0; i < PS_MAX_SUBSCRIBERS; i++)
        if (shm->subscribers[i][0] != '\0')
            return 0;
    return 1;
}

static const struct fault subscribe_calls[] = {
    {LAB_FAULT_MQ_OPEN, EMFILE},
    {LAB_FAULT_PTHREAD_MUTEX_LOCK, ENOTRECOVERABLE},
    {LAB_FAULT_MALLOC, ENOMEM},
};

static const struct timespec no_wait = {0, 0};
static struct ps_snapshot snap;

/* Takes every notification queued for S: 1 if there was one. */
static int drain(struct ps_handle *s)
{
    int got = 0;
    while (ps_wait(s, &snap, &no_wait) == 1)
        got = 1;
    return got;
}

LAB_TEST(faults, subscribe_publish_and_wait_keep_errno_and_release_everything, 4)
{
    const char *name = lab_name("fsub");
    const char *qname = lab_name("fsubq");
    struct ps_handle h, s;
    lab_assert_ok(ps_create(&h, name), NOTE("creating-the-shared-object"),
                  "ps_create on a new name");
    lab_assert_ok(ps_attach(&s, name), NOTE("attaching"), "ps_attach");

    /* ---- ps_subscribe ---- */
    unsigned count[COUNT(subscribe_calls)];
    lab_fault_reset();
    lab_assert_ok(ps_subscribe(&s, qname), NOTE("subscribing"),
                  "ps_subscribe");
    for (int c = 0; c < COUNT(subscribe_calls); c++)
        count[c] = lab_fault_calls(subscribe_calls[c].call);
    lab_assert_ok(ps_unsubscribe(&s), NOTE("subscribing"), "ps_unsubscribe");
    int fds = lab_open_fd_count();
    unsigned blocks = lab_fault_live_blocks();
    for (int round = 0; round < 2; round++)
        for (int c = 0; c < COUNT(subscribe_calls); c++)
            for (unsigned n = 1; n <= count[c]; n++) {
                const struct fault *f = &subscribe_calls[c];
                lab_fault_reset();
                lab_fault_fail(f->call, n, f->err, LAB_FAULT_ONCE);
                if (round == 1)
                    fail_cleanup_too(f->call);
                const char *what = planned(f, n);
                errno = 0;
                int rc = ps_subscribe(&s, qname);
                int err = errno;
                lab_fault_reset();
                if (rc == 0)
                    ps_unsubscribe(&s);
                lab_assert(rc == -1 && err == f->err, FAILING,
                           "ps_subscribe, when %s%s\n  expected: -1 with "
                           "errno %s, as the failing call left it\n  got:   "
                           "   %d, errno %s", what,
                           round ? ", and mq_close and mq_unlink failed too"
                                 : "", lab_errno_name(f->err), rc,
                           lab_errno_name(err));
                lab_assert(probe_lock_free(h.shm), FAILING,
                           "ps_subscribe, when %s\n  expected: the lock "
                           "free again\n  got:      it is still held: every "
                           "path out of a locked section unlocks", what);
                if (round == 1) {
                    mq_unlink(qname);
                    continue;
                }
                lab_assert(!lab_queue_exists(qname) && table_empty(h.shm) &&
                               s.slot == -1 && lab_open_fd_count() == fds &&
                               lab_fault_live_blocks() == blocks,
                           FAILING,
                           "ps_subscribe, when %s\n  expected: -1, and its "
                           "queue removed again, no slot taken, slot -1, no "
                           "descriptor or memory left\n  got:      queue %s,"
                           " table %s, slot %d, %d descriptors more, %d "
                           "blocks not freed", what,
                           lab_queue_exists(qname) ? "left" : "removed",
                           table_empty(h.shm) ? "empty" : "not empty",
                           s.slot, lab_open_fd_count() - fds,
                           (int)(lab_fault_live_blocks() - blocks));
            }

    int rc;

    /* ---- ps_publish ---- */
    lab_assert_ok(ps_subscribe(&s, qname), NOTE("subscribing"),
                  "ps_subscribe");
    /* A second subscriber: skipping one queue must not skip the rest. */
    struct ps_handle s2;
    lab_assert_ok(ps_attach(&s2, name), NOTE("attaching"), "ps_attach");
    lab_assert_ok(ps_subscribe(&s2, lab_name("fsubq2")), NOTE("subscribing"),
                  "ps_subscribe");
    fds = lab_open_fd_count();
    unsigned long seq = h.shm->seq;
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_PTHREAD_MUTEX_LOCK, 1, ENOTRECOVERABLE,
                   LAB_FAULT_ONCE);
    lab_assert_fails_with(ps_publish(&h, "lost", 5), ENOTRECOVERABLE, FAILING,
                          "ps_publish, when %s", lab_fault_describe());
    lab_fault_reset();
    lab_assert(h.shm->seq == seq && !drain(&s) && !drain(&s2), FAILING,
               "ps_publish, when its pthread_mutex_lock failed\n  expected: "
               "-1, the record untouched, nobody notified\n  got:      seq "
               "%lu (was %lu)", h.shm->seq, seq);

    /* A queue that is gone or full is skipped: success. */
    const struct fault skipped[] = {
        {LAB_FAULT_MQ_OPEN, ENOENT},
        {LAB_FAULT_MQ_SEND, EAGAIN},
        {LAB_FAULT_MQ_TIMEDSEND, EAGAIN},
    };
    for (int c = 0; c < COUNT(skipped); c++) {
        lab_fault_reset();
        lab_assert_ok(ps_publish(&h, "counted", 8), NOTE("publishing-an-update"),
                      "ps_publish");
        unsigned made = lab_fault_calls(skipped[c].call);
        drain(&s);
        drain(&s2);
        if (made == 0)
            continue;   /* mq_send or mq_timedsend: whichever is used */
        lab_fault_reset();
        lab_fault_fail(skipped[c].call, 1, skipped[c].err, LAB_FAULT_ONCE);
        const char *what = lab_fmt("%s", lab_fault_describe());
        seq = h.shm->seq;
        errno = 0;
        int rc = ps_publish(&h, "skipped", 8);
        int err = errno;
        lab_fault_reset();
        lab_assert(rc == 0, NOTE("a-slow-subscriber"),
                   "ps_publish, one subscriber, when %s\n  expected: 0: %s "
                   "is skipped, not an error\n  got:      %d, errno %s", what,
                   skipped[c].err == ENOENT ? "a queue that is gone"
                                            : "a queue that is full",
                   rc, lab_errno_name(err));
        int told = drain(&s) + drain(&s2);
        lab_assert(told == 1, NOTE("publishing-an-update"),
                   "ps_publish, two subscribers, when %s\n  expected: the "
                   "other subscriber notified all the same\n  got:      %d "
                   "of 2 notified\n  likely:   skip that queue (continue), "
                   "do not stop notifying (break, return)", what, told);
        lab_assert(h.shm->seq == seq + 1 && lab_open_fd_count() == fds &&
                       probe_lock_free(h.shm),
                   FAILING,
                   "ps_publish, when %s\n  expected: the update published "
                   "(seq %lu), no descriptor left, the lock free\n  got:    "
                   "  seq %lu, %d descriptors more, the lock %s", what,
                   seq + 1, h.shm->seq, lab_open_fd_count() - fds,
                   probe_lock_free(h.shm) ? "free" : "held");
        drain(&s);
        drain(&s2);
    }

    /* Any other failure of a notification: the update stays published;
     * 0 (skipped) or -1 with that errno are both right. */
    const struct fault other[] = {
        {LAB_FAULT_MQ_OPEN, EMFILE},
        {LAB_FAULT_MQ_SEND, EBADF},
        {LAB_FAULT_MQ_TIMEDSEND, EBADF},
        {LAB_FAULT_MQ_CLOSE, EIO},
    };
    for (int c = 0; c < COUNT(other); c++) {
        lab_fault_reset();
        lab_assert_ok(ps_publish(&h, "counted", 8), NOTE("publishing-an-update"),
                      "ps_publish");
        unsigned made = lab_fault_calls(other[c].call);
        drain(&s);
        drain(&s2);
        if (made == 0)
            continue;
        lab_fault_reset();
        lab_fault_fail(other[c].call, 1, other[c].err, LAB_FAULT_ONCE);
        const char *what = lab_fmt("%s", lab_fault_describe());
        seq = h.shm->seq;
        errno = 0;
        int rc = ps_publish(&h, "other", 6);
        int err = errno;
        lab_fault_reset();
        lab_assert(rc == 0 || (rc == -1 && err == other[c].err), FAILING,
                   "ps_publish, when %s\n  expected: 0 (that subscriber "
                   "skipped) or -1 with errno %s\n  got:      %d, errno %s",
                   what, lab_errno_name(other[c].err), rc,
                   lab_errno_name(err));
        lab_assert(h.shm->seq == seq + 1 && h.shm->len == 6 &&
                       lab_open_fd_count() == fds && probe_lock_free(h.shm),
                   FAILING,
                   "ps_publish, when %s\n  expected: the update published "
                   "all the same (seq %lu, len 6), no descriptor left, the "
                   "lock free\n  got:      seq %lu, len %zu, %d descriptors "
                   "more, the lock %s\n  likely:   close the queue on every "
                   "path, and unlock before returning", what, seq + 1,
                   h.shm->seq, h.shm->len, lab_open_fd_count() - fds,
                   probe_lock_free(h.shm) ? "free" : "held");
        drain(&s);
        drain(&s2);
    }

    /* ---- ps_read, ps_increment: their lock fails ---- */
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_PTHREAD_MUTEX_LOCK, 1, EAGAIN, LAB_FAULT_ONCE);
    lab_assert_fails_with(ps_read(&s, &snap), EAGAIN, FAILING,
                          "ps_read, when %s", lab_fault_describe());
    unsigned long counter = h.shm->counter;
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_PTHREAD_MUTEX_LOCK, 1, EINVAL, LAB_FAULT_ONCE);
    lab_assert_fails_with(ps_increment(&h), EINVAL, FAILING,
                          "ps_increment, when %s", lab_fault_describe());
    lab_fault_reset();
    lab_assert(h.shm->counter == counter, FAILING,
               "ps_increment, when its pthread_mutex_lock failed\n  "
               "expected: counter unchanged (%lu)\n  got:      %lu", counter,
               h.shm->counter);

    /* ---- ps_read, ps_increment, ps_publish: their unlock fails ---- */
    /* A failed unlock is a failure like any other: -1 with its errno. The
     * injected failure leaves the lock held by this thread: the test
     * gives it back itself before going on. Every unlock fails, however
     * many a solution makes. */
    for (int op = 0; op < 3; op++) {
        static const char *const names[] = {"ps_read", "ps_increment",
                                            "ps_publish"};
        lab_fault_reset();
        lab_fault_fail(LAB_FAULT_PTHREAD_MUTEX_UNLOCK, 1, EPERM,
                       LAB_FAULT_FROM_ON);
        errno = 0;
        rc = op == 0 ? ps_read(&s, &snap)
           : op == 1 ? ps_increment(&h)
                     : ps_publish(&h, "unlock", 7);
        int err = errno;
        unsigned unlocks = lab_fault_calls(LAB_FAULT_PTHREAD_MUTEX_UNLOCK);
        lab_fault_reset();
        if (unlocks > 0)
            pthread_mutex_unlock(&h.shm->lock);
        lab_assert(unlocks == 0 || (rc == -1 && err == EPERM), FAILING,
                   "%s, when every pthread_mutex_unlock failed with EPERM "
                   "(injected by the grader)\n  expected: -1 with errno "
                   "EPERM, as the failing call left it\n  got:      %d, "
                   "errno %s\n  likely:   %s", names[op], rc,
                   lab_errno_name(err),
                   rc == 0 ? "the unlock's result is ignored: check it, "
                             "a failure is returned"
                           : "pthread_mutex_unlock returns its error: put "
                             "it in errno");
        drain(&s);
        drain(&s2);
    }

    lab_assert_ok(ps_close(&s2), NOTE("teardown-by-each-owner"),
                  "ps_close of the second subscriber");
    lab_fault_reset();

    /* ---- ps_wait ---- */
    const struct timespec second = {1, 0};
    /* Nearly a second in tv_nsec: now + timeout carries into tv_sec
     * (unless now's tv_nsec is 0), and the wait lasts about a second. */
    const struct timespec almost = {0, 999999999};
    double start = kid_now();
    rc = ps_wait(&s, &snap, &almost);
    double took = kid_now() - start;
    lab_assert(rc == 0 && took >= 0.5, NOTE("waiting-for-a-notification"),
               "ps_wait with a timeout of {0, 999999999}, nothing "
               "published\n  expected: 0 after about a second\n  got:      "
               "%d%s after %.2f s\n  likely:   now + timeout has a tv_nsec "
               "of 1000000000 or more: carry one second into tv_sec "
               "(mq_timedreceive refuses it with EINVAL otherwise)", rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(errno)) : "",
               took);
    /* "Now" half-way through a second, and half a second to wait: now +
     * timeout has a tv_nsec of exactly 1000000000, which must carry too.
     * The deadline is then at most half a second away (the real clock
     * has moved on within the same second): ps_wait times out, 0. */
    struct timespec real;
    clock_gettime(CLOCK_REALTIME, &real);
    const struct timespec fake = {real.tv_sec, 500000000};
    const struct timespec half = {0, 500000000};
    lab_fault_reset();
    lab_fault_fake_clock(&fake);
    errno = 0;
    rc = ps_wait(&s, &snap, &half);
    int err = errno;
    lab_fault_fake_clock(NULL);
    lab_assert(rc == 0, NOTE("waiting-for-a-notification"),
               "ps_wait with a timeout of {0, 500000000}, nothing published,"
               " when clock_gettime says now is {%lld, 500000000} (a fake "
               "clock set by the grader)\n  expected: 0 (timed out)\n  "
               "got:      %d%s\n  likely:   a tv_nsec of exactly 1000000000 "
               "is not normalised: carry when it is >= 1000000000, not only "
               "> (mq_timedreceive refuses it with EINVAL)",
               (long long)real.tv_sec, rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    /* An errno mq_timedreceive never gives: a deadline computed from a
     * clock_gettime that failed (garbage) cannot pass for it. */
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_CLOCK_GETTIME, 1, EOVERFLOW, LAB_FAULT_ONCE);
    lab_assert_fails_with(ps_wait(&s, &snap, &second), EOVERFLOW, FAILING,
                          "ps_wait, when %s", lab_fault_describe());
    lab_fault_reset();
    lab_assert_ok(ps_publish(&h, "interrupted", 12), NOTE("publishing-an-update"),
                  "ps_publish");
    lab_fault_fail(LAB_FAULT_MQ_TIMEDRECEIVE, 1, EINTR, LAB_FAULT_ONCE);
    rc = ps_wait(&s, &snap, &second);
    const char *what = lab_fmt("%s", lab_fault_describe());
    lab_fault_reset();
    lab_assert(rc == 1 && snap.seq == h.shm->seq &&
                   strcmp(snap.data, "interrupted") == 0,
               NOTE("waiting-for-a-notification"),
               "ps_wait with a notification queued, when %s\n  expected: "
               "1 and the record: EINTR means wait again\n  got:      %d",
               what, rc);
    lab_assert_ok(ps_publish(&h, "broken", 7), NOTE("publishing-an-update"),
                  "ps_publish");
    lab_fault_fail(LAB_FAULT_MQ_TIMEDRECEIVE, 1, EBADF, LAB_FAULT_ONCE);
    lab_assert_fails_with(ps_wait(&s, &snap, &second), EBADF, FAILING,
                          "ps_wait with a notification queued, when %s",
                          lab_fault_describe());
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_MQ_TIMEDRECEIVE, 2, EBADF, LAB_FAULT_ONCE);
    lab_assert_fails_with(ps_wait(&s, &snap, &second), EBADF, FAILING,
                          "ps_wait with a notification queued, when %s (taking"
                          " the notifications already queued)",
                          lab_fault_describe());
    lab_fault_reset();
    lab_assert_ok(ps_publish(&h, "locked", 7), NOTE("publishing-an-update"),
                  "ps_publish");
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_PTHREAD_MUTEX_LOCK, 1, ENOTRECOVERABLE,
                   LAB_FAULT_ONCE);
    lab_assert_fails_with(ps_wait(&s, &snap, &second), ENOTRECOVERABLE,
                          FAILING, "ps_wait with a notification queued, when"
                          " %s (reading the record)", lab_fault_describe());
    lab_fault_reset();
    lab_assert_ok(ps_close(&s), NOTE("teardown-by-each-owner"),
                  "ps_close of the subscriber");
    lab_assert_ok(ps_close(&h), NOTE("teardown-by-each-owner"),
                  "ps_close of the owner");
}

/* ---- ps_close goes on after a failure ---------------------------------- */

/* The owner, subscribed to QNAME, closes while CALL fails (and SECOND
 * too, if given). */
static void close_failing(const char *tag, enum lab_fault_call call, int err,
                          enum lab_fault_call second, int err2,
                          int check_queue)
{
    const char *name = lab_name(tag);
    const char *qname = lab_name(lab_fmt("%sq", tag));
    struct ps_handle h;
    lab_assert_ok(ps_create(&h, name), NOTE("creating-the-shared-object"),
                  "ps_create on a new name");
    lab_assert_ok(ps_subscribe(&h, qname), NOTE("subscribing"),
                  "ps_subscribe");
    int fds = lab_open_fd_count();
    lab_fault_reset();
    lab_fault_fail(call, 1, err, LAB_FAULT_ONCE);
    if (second != call)
        lab_fault_fail(second, 1, err2, LAB_FAULT_ONCE);
    errno = 0;
    int rc = ps_close(&h);
    int got = errno;
    lab_fault_reset();
    const char *what = lab_fmt("the 1st %s failed with %s%s",
                               lab_fault_name(call), lab_errno_name(err),
                               second != call
                                   ? lab_fmt(", and the 1st %s with %s",
                                             lab_fault_name(second),
                                             lab_errno_name(err2))
                                   : "");
    lab_assert(rc == -1 && got == err, NOTE("cleaning-up"),
               "ps_close of the owner, subscribed, when %s (injected by the "
               "grader)\n  expected: -1 with errno %s, the first failure's\n"
               "  got:      %d, errno %s", what, lab_errno_name(err), rc,
               lab_errno_name(got));
    int mapped = probe_mappings(name);
    lab_assert((second == LAB_FAULT_SHM_UNLINK || !lab_shm_exists(name)) &&
                   (call == LAB_FAULT_MUNMAP || mapped == 0) &&
                   (!check_queue || !lab_queue_exists(qname)) &&
                   lab_open_fd_count() < fds,
               NOTE("cleaning-up"),
               "ps_close of the owner, subscribed, when %s (injected by the "
               "grader)\n  expected: it goes on after the failure: %sthe "
               "queue closed, the object unmapped and (unless shm_unlink "
               "failed) its name removed\n  "
               "got:      queue %s, %d mappings, name %s, %d descriptors "
               "fewer\n  likely:   remember the first error, go on, report "
               "it at the end", what, check_queue ? "the queue removed, " : "",
               lab_queue_exists(qname) ? "there" : "removed", mapped,
               lab_shm_exists(name) ? "there" : "removed",
               fds - lab_open_fd_count());
    mq_unlink(qname);
    shm_unlink(name);
}

LAB_TEST(faults, close_goes_on_after_a_failure, 3)
{
    close_failing("cmunmap", LAB_FAULT_MUNMAP, EINVAL, LAB_FAULT_MUNMAP, 0, 1);
    close_failing("cboth", LAB_FAULT_MUNMAP, EINVAL, LAB_FAULT_SHM_UNLINK,
                  EACCES, 1);
    close_failing("cmqclose", LAB_FAULT_MQ_CLOSE, EBADF, LAB_FAULT_MQ_UNLINK,
                  EACCES, 0);
    close_failing("cmqclose2", LAB_FAULT_MQ_CLOSE, EBADF, LAB_FAULT_MQ_CLOSE,
                  0, 1);
    close_failing("cunlink", LAB_FAULT_MQ_UNLINK, EACCES, LAB_FAULT_MQ_UNLINK,
                  0, 0);
    close_failing("clock", LAB_FAULT_PTHREAD_MUTEX_LOCK, ENOTRECOVERABLE,
                  LAB_FAULT_PTHREAD_MUTEX_LOCK, 0, 0);
}
