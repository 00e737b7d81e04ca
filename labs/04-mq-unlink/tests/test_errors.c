/* test_errors.c - lab 04: the promises for the edges and the failures:
 * the name's length, the flags a peer is given, a full mailbox, and,
 * with the grader's fault injection (lab_fault.h), the paths behind a
 * failing mq_open, mq_getattr, malloc, mq_receive, mq_close, mq_unlink
 * or clock_gettime. The tests never assume how many of those calls a
 * solution makes: they count them in a clean run first. */
#include "helpers.h"
#include "lab_fault.h"

#include <sys/stat.h>

#define N_FAILS "04-mq-unlink.md#when-a-call-fails"

/* NAME padded with 'x' to LEN characters in OUT (LEN + 1 bytes). */
static void padded_name(char *out, const char *name, size_t len)
{
    size_t n = strlen(name);
    memcpy(out, name, n);
    memset(out + n, 'x', len - n);
    out[len] = '\0';
}

/* ---- the owner ---------------------------------------------------------- */

LAB_TEST(owner, owner_start_checks_the_name_length_and_fills_every_field, 5)
{
    /* lab_name gives short names: these two are made from one, and the
     * test removes them itself before it checks anything. */
    char longest[OWNER_NAME_MAX + 1], too_long[OWNER_NAME_MAX + 2];
    padded_name(longest, lab_name("longest"), OWNER_NAME_MAX);
    padded_name(too_long, lab_name("toolong"), OWNER_NAME_MAX + 1);

    struct owner o;
    memset(&o, 0x5a, sizeof o); /* what an uninitialised struct may hold */
    mode_t old_mask = umask(0);
    errno = 0;
    int r = owner_start(&o, longest, 3, 24);
    int err = errno;
    umask(old_mask);
    struct mq_attr a = {0};
    struct stat st = {0};
    int got_attr = -1, got_stat = -1, released = -1, name_ok = 0, flag = -1;
    int existed = lab_queue_exists(longest), gone = 0;
    if (r == 0) {
        got_attr = mq_getattr(o.q, &a);
        got_stat = fstat(o.q, &st);
        name_ok = memcmp(o.name, longest, OWNER_NAME_MAX + 1) == 0;
        flag = o.name_released;
        released = owner_release_name(&o);
        gone = !lab_queue_exists(longest);
    }
    mq_unlink(longest);
    if (r == 0)
        mq_close(o.q);

    errno = err;
    lab_assert_ok(r, N_OWNER, "owner_start(&o, a name of %d characters, 3, 24):"
                  " '/' and 255 characters is the longest name, and fits",
                  OWNER_NAME_MAX);
    lab_assert(existed && name_ok, N_OWNER,
               "owner_start(&o, a name of %d characters, 3, 24)\n  expected:"
               " o.name holds the whole name, '\\0' included\n  got:      "
               "%s", OWNER_NAME_MAX,
               existed ? "another text in o.name (cut short, or no '\\0')"
                       : "no queue of that name");
    lab_assert(flag == 0, N_OWNER,
               "owner_start on a struct owner full of garbage\n  expected: "
               "o.name_released 0\n  got:      %d\n  likely:   the field is "
               "not set by owner_start", flag);
    lab_assert(got_attr == 0 && a.mq_maxmsg == 3 && a.mq_msgsize == 24,
               N_OWNER, "owner_start(&o, name, 3, 24), then mq_getattr(o.q)\n"
               "  expected: mq_maxmsg 3, mq_msgsize 24\n  got:      %s",
               got_attr == 0 ? lab_fmt("mq_maxmsg %ld, mq_msgsize %ld",
                                       a.mq_maxmsg, a.mq_msgsize)
                             : "mq_getattr failed");
    lab_assert(got_stat == 0 && (st.st_mode & 0777) == OWNER_MODE, N_OWNER,
               "owner_start(&o, name, 3, 24) with umask 0\n  expected: "
               "permissions %o (OWNER_MODE)\n  got:      %o", OWNER_MODE,
               (unsigned)(st.st_mode & 0777));
    lab_assert(released == 0 && gone, N_UNLINK,
               "owner_release_name(&o) for a name of %d characters\n  "
               "expected: 0, and the name gone\n  got:      %d%s",
               OWNER_NAME_MAX, released, gone ? "" : ", the name still there");

    memset(&o, 0, sizeof o);
    errno = 0;
    r = owner_start(&o, too_long, 3, 24);
    err = errno;
    /* No queue can have a name that long, so there is nothing to look
     * for: the kernel refuses it too. */
    if (r == 0) {
        mq_unlink(too_long);
        mq_close(o.q);
    }
    errno = err;
    lab_assert_fails_with(r, ENAMETOOLONG, N_OWNER,
                          "owner_start(&o, a name of %d characters, 3, 24): "
                          "one more than OWNER_NAME_MAX", OWNER_NAME_MAX + 1);
}

LAB_TEST(owner, owner_calls_that_fail_report_their_errno, 5)
{
    /* owner_start: mq_open fails. */
    const char *name = lab_name("openfault");
    struct owner o;
    memset(&o, 0, sizeof o);
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_MQ_OPEN, 1, EMFILE, LAB_FAULT_FROM_ON);
    errno = 0;
    int r = owner_start(&o, name, 2, 16);
    const char *when = lab_fault_describe();
    lab_fault_reset();
    lab_assert_fails_with(r, EMFILE, N_FAILS, "owner_start(&o, \"%s\", 2, 16)"
                          " when %s", name, when);
    lab_assert(!lab_queue_exists(name), N_FAILS,
               "owner_start when %s\n  expected: no queue", when);

    /* owner_release_name: mq_unlink fails; the name is still ours. */
    name = lab_name("unlinkfault");
    start_owner(&o, name, 2, 16);
    lab_fault_fail(LAB_FAULT_MQ_UNLINK, 1, EACCES, LAB_FAULT_FROM_ON);
    errno = 0;
    r = owner_release_name(&o);
    when = lab_fault_describe();
    lab_fault_reset();
    lab_assert_fails_with(r, EACCES, N_FAILS, "owner_release_name(&o) when %s",
                          when);
    lab_assert(o.name_released == 0, N_FAILS,
               "owner_release_name(&o) when %s\n  expected: o.name_released "
               "still 0: the name was not removed\n  got:      %d\n  likely:"
               "   the flag is set before mq_unlink succeeded; owner_stop "
               "would then leave the queue for ever", when, o.name_released);
    lab_assert_ok(owner_stop(&o), N_OWNER, "owner_stop(&o) after the failed "
                  "release");
    lab_assert(!lab_queue_exists(name), N_PERSIST,
               "owner_stop(&o) after a release that failed\n  expected: the "
               "name removed now\n  got:      it is still there");

    /* owner_stop: the close, the unlink, or both fail. */
    const struct {
        int close_err, unlink_err, want;
        const char *what;
    } cases[] = {
        {EIO, 0, EIO, "mq_close fails"},
        {0, EACCES, EACCES, "mq_unlink fails"},
        {EIO, EACCES, EIO, "both fail (the first one's errno)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        name = lab_name("stopfault");
        start_owner(&o, name, 2, 16);
        int fds = lab_open_fd_count();
        if (cases[i].close_err)
            lab_fault_fail(LAB_FAULT_MQ_CLOSE, 1, cases[i].close_err,
                           LAB_FAULT_FROM_ON);
        if (cases[i].unlink_err)
            lab_fault_fail(LAB_FAULT_MQ_UNLINK, 1, cases[i].unlink_err,
                           LAB_FAULT_FROM_ON);
        errno = 0;
        r = owner_stop(&o);
        int err = errno;
        lab_fault_reset();
        int exists = lab_queue_exists(name);
        errno = err;
        lab_assert_fails_with(r, cases[i].want, N_FAILS,
                              "owner_stop(&o) when %s", cases[i].what);
        lab_assert(lab_open_fd_count() == fds - 1, N_OWNER,
                   "owner_stop(&o) when %s\n  expected: o.q closed all the "
                   "same", cases[i].what);
        lab_assert(cases[i].unlink_err || !exists, N_OWNER,
                   "owner_stop(&o) when %s\n  expected: the name removed "
                   "all the same: both steps are attempted\n  got:      the "
                   "queue is still there\n  likely:   a failed close "
                   "returns before the mq_unlink", cases[i].what);
    }
}

/* ---- peers ------------------------------------------------------------- */

static int nonblocking_peer_main(void *arg)
{
    mqd_t q = peer_open_wait((const char *)arg, O_RDONLY | O_NONBLOCK, 5000);
    if (q == (mqd_t)-1)
        return errno ? errno : 255;
    struct mq_attr a;
    if (mq_getattr(q, &a) == -1)
        return errno;
    return (a.mq_flags & O_NONBLOCK) ? 0 : 254;
}

static const long in_sleep[] = {SYS_nanosleep, SYS_clock_nanosleep};

LAB_TEST_TIMEOUT(peer, peers_open_with_the_flags_they_are_given, 5, 15.0)
{
    const char *name = lab_name("flags");
    struct owner o;
    start_owner(&o, name, 2, 16);

    mqd_t r = peer_open(name, O_RDONLY | O_NONBLOCK);
    lab_assert_ok(r, N_LATE, "peer_open(\"%s\", O_RDONLY | O_NONBLOCK)", name);
    struct mq_attr a = attr_of(r, "the peer's descriptor");
    lab_assert(a.mq_flags & O_NONBLOCK, N_LATE,
               "peer_open(\"%s\", O_RDONLY | O_NONBLOCK)\n  expected: a "
               "non-blocking descriptor\n  got:      mq_flags %ld\n  likely:"
               "   oflag is not passed to mq_open as it is", name, a.mq_flags);
    char buf[16];
    errno = 0;
    lab_assert_fails_with(mq_send(r, "x", 1, 0), EBADF, N_LATE,
                          "mq_send on the descriptor of peer_open(\"%s\", "
                          "O_RDONLY | O_NONBLOCK): it is open for reading "
                          "only", name);
    mqd_t w = peer_open(name, O_WRONLY);
    lab_assert_ok(w, N_LATE, "peer_open(\"%s\", O_WRONLY)", name);
    a = attr_of(w, "the peer's descriptor");
    lab_assert(!(a.mq_flags & O_NONBLOCK), N_LATE,
               "peer_open(\"%s\", O_WRONLY)\n  expected: a blocking "
               "descriptor\n  got:      mq_flags %ld", name, a.mq_flags);
    errno = 0;
    lab_assert_fails_with(mq_receive(w, buf, sizeof buf, NULL), EBADF, N_LATE,
                          "mq_receive on the descriptor of peer_open(\"%s\", "
                          "O_WRONLY)", name);

    /* Timeout 0 on an existing queue: the first try opens it. */
    mqd_t z = peer_open_wait(name, O_RDONLY | O_NONBLOCK, 0);
    lab_assert_ok(z, N_WAIT, "peer_open_wait(\"%s\", O_RDONLY | O_NONBLOCK, 0)"
                  " on an existing queue: the first try comes before any look"
                  " at the clock", name);
    a = attr_of(z, "the waiting peer's descriptor");
    lab_assert(a.mq_flags & O_NONBLOCK, N_WAIT,
               "peer_open_wait(\"%s\", O_RDONLY | O_NONBLOCK, 0)\n  expected:"
               " a non-blocking descriptor\n  got:      mq_flags %ld", name,
               a.mq_flags);

    /* Errors other than ENOENT come back at once. */
    const char *locked = lab_name("waitlocked");
    struct mq_attr la = {.mq_maxmsg = 2, .mq_msgsize = 16};
    mqd_t l = mq_open(locked, O_RDWR | O_CREAT | O_EXCL, 0, &la);
    lab_assert_ok(l, N_WAIT, "grader: mq_open(mode 0)");
    double t0 = mono_now();
    errno = 0;
    mqd_t q = peer_open_wait(locked, O_RDONLY, 3000);
    double took = mono_now() - t0;
    lab_assert_fails_with(q, EACCES, N_WAIT,
                          "peer_open_wait(\"%s\", O_RDONLY, 3000) on a queue "
                          "this process may not open\n  note:     only "
                          "ENOENT means \"not there yet\"; any other error "
                          "is returned at once", locked);
    lab_assert(took < 1.0, N_WAIT, "peer_open_wait on a queue of mode 0\n  "
               "expected: EACCES at once\n  got:      after %.2f s", took);

    /* The back-off: naps of 1, 2, 4 ... 50 ms leave about a dozen tries
     * in 300 ms, fewer on a loaded machine, never hundreds. */
    const char *never = lab_name("never");
    lab_fault_reset();
    errno = 0;
    q = peer_open_wait(never, O_RDONLY, 300);
    unsigned tries = lab_fault_calls(LAB_FAULT_MQ_OPEN);
    lab_assert_fails_with(q, ETIMEDOUT, N_WAIT,
                          "peer_open_wait(\"%s\", O_RDONLY, 300) where no queue"
                          " appears", never);
    lab_assert(tries <= 30, N_WAIT,
               "peer_open_wait(\"%s\", O_RDONLY, 300) where no queue appears\n"
               "  expected: about a dozen tries (naps of 1, 2, 4, ... up to %d"
               " ms)\n  got:      %u calls of mq_open\n  likely:   the nap "
               "does not double after each try, or there is no nap", never,
               PEER_MAX_NAP_MS, tries);

    /* A peer that waits for its owner keeps its O_NONBLOCK. */
    const char *later = lab_name("nblater");
    pid_t pid = lab_spawn(nonblocking_peer_main, (void *)later);
    int asleep = lab_wait_in_syscall(pid, in_sleep, 2, 2.0);
    int status = 0;
    if (!asleep && lab_wait_pid(pid, 0.0, &status))
        lab_assert(0, N_WAIT, "a peer calls peer_open_wait(\"%s\", O_RDONLY | "
                   "O_NONBLOCK, 5000) before its owner\n  expected: it "
                   "waits\n  got:      %s", later, child_said(status));
    struct owner o2;
    start_owner(&o2, later, 2, 16);
    int ended = lab_wait_pid(pid, 5.0, &status);
    lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0, N_WAIT,
               "a peer waited in peer_open_wait(\"%s\", O_RDONLY | O_NONBLOCK,"
               " 5000) until its owner came\n  expected: a non-blocking "
               "descriptor\n  got:      %s", later,
               !ended ? "still running after 5 s"
               : WIFEXITED(status) && WEXITSTATUS(status) == 254
                   ? "a blocking one (O_NONBLOCK dropped from oflag)"
                   : child_said(status));
}

LAB_TEST(peer, peer_wait_fails_with_the_errno_of_a_failing_clock, 3)
{
    const char *name = lab_name("clockwait");
    /* Count the clock reads of a wait that times out. */
    lab_fault_reset();
    errno = 0;
    mqd_t q = peer_open_wait(name, O_RDONLY, 30);
    lab_assert_fails_with(q, ETIMEDOUT, N_WAIT,
                          "peer_open_wait(\"%s\", O_RDONLY, 30), no queue", name);
    unsigned reads = lab_fault_calls(LAB_FAULT_CLOCK_GETTIME);
    for (unsigned nth = 1; nth <= reads && nth <= 2; nth++) {
        int fds = lab_open_fd_count();
        lab_fault_reset();
        /* The first read alone, or every read from the second on. */
        lab_fault_fail(LAB_FAULT_CLOCK_GETTIME, nth, EINVAL,
                       nth == 1 ? LAB_FAULT_ONCE : LAB_FAULT_FROM_ON);
        double t0 = mono_now();
        errno = 0;
        q = peer_open_wait(name, O_RDONLY, 3000);
        double took = mono_now() - t0;
        const char *when = lab_fault_describe();
        lab_fault_reset();
        lab_assert_fails_with(q, EINVAL, N_FAILS,
                              "peer_open_wait(\"%s\", O_RDONLY, 3000), no "
                              "queue, when %s%s\n  note:     a clock that "
                              "fails cannot tell the deadline: return -1 "
                              "with its errno (is every clock_gettime "
                              "checked?)", name, when,
                              nth == 1 ? "" : ", and every later one too");
        lab_assert(took < 2.0, N_FAILS, "peer_open_wait when %s\n  expected:"
                   " -1 at once\n  got:      after %.2f s", when, took);
        lab_assert(lab_open_fd_count() == fds && !lab_queue_exists(name),
                   N_FAILS, "peer_open_wait when %s\n  expected: nothing "
                   "open, nothing created", when);
    }
}

/* ---- the mailbox ------------------------------------------------------- */

/* Fills the mailbox with MAILBOX_MAXMSG messages, then posts one more:
 * 0 if that one failed with EAGAIN, 254 if it was accepted, else the
 * errno of the first post that failed. */
static int filler_main(void *arg)
{
    const char *name = arg;
    char big[MAILBOX_MSGSIZE];
    memset(big, 'b', sizeof big);
    for (int i = 0; i < MAILBOX_MAXMSG; i++) {
        size_t len = i == 0 ? 0 : i == 1 ? sizeof big : 1;
        if (mailbox_post(name, i == 1 ? big : "m", len) == -1)
            return errno ? errno : 255;
    }
    if (mailbox_post(name, "x", 1) == 0)
        return 254;
    return errno == EAGAIN ? 0 : (errno ? errno : 255);
}

struct mail {
    int count, bad;
};

static void check_mail(const void *data, size_t len, unsigned prio, void *arg)
{
    struct mail *m = arg;
    const char *b = data;
    int i = m->count++;
    size_t want = i == 0 ? 0 : i == 1 ? MAILBOX_MSGSIZE : 1;
    int ok = len == want && prio == 0;
    for (size_t k = 0; ok && k < len; k++)
        ok = b[k] == (i == 1 ? 'b' : 'm');
    m->bad += !ok;
}

LAB_TEST_TIMEOUT(mailbox, a_full_mailbox_gives_eagain_at_once_and_too_long_gives_emsgsize, 5, 15.0)
{
    const char *name = lab_name("full");
    mode_t old_mask = umask(0);
    pid_t pid = lab_spawn(filler_main, (void *)name);
    umask(old_mask);
    int status = 0;
    int ended = lab_wait_pid(pid, 5.0, &status);
    lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0,
               N_MAILBOX, "a process posts %d messages to the new mailbox %s "
               "(one empty, one of %d bytes), then one more\n  expected: the "
               "%d posts succeed, the last one fails at once with EAGAIN\n"
               "  got:      %s", MAILBOX_MAXMSG, name, MAILBOX_MSGSIZE,
               MAILBOX_MAXMSG,
               !ended ? "still blocked after 5 s: the post waits for room "
                        "(is O_NONBLOCK in mq_open's flags?)"
               : WIFEXITED(status) && WEXITSTATUS(status) == 254
                   ? lab_fmt("the post past %d messages was accepted (is the "
                             "mailbox %d x %d?)", MAILBOX_MAXMSG,
                             MAILBOX_MAXMSG, MAILBOX_MSGSIZE)
                   : child_said(status));

    mqd_t q = mq_open(name, O_RDONLY | O_NONBLOCK);
    lab_assert_ok(q, N_MAILBOX, "grader: mq_open(\"%s\")", name);
    struct mq_attr a = attr_of(q, "the mailbox");
    struct stat st;
    lab_assert_ok(fstat(q, &st), N_MAILBOX, "grader: fstat");
    mq_close(q);
    lab_assert(a.mq_maxmsg == MAILBOX_MAXMSG && a.mq_msgsize == MAILBOX_MSGSIZE
                   && (st.st_mode & 0777) == OWNER_MODE, N_MAILBOX,
               "the mailbox mailbox_post created (umask 0)\n  expected: "
               "mq_maxmsg %d, mq_msgsize %d, permissions %o\n  got:      %ld,"
               " %ld, %o", MAILBOX_MAXMSG, MAILBOX_MSGSIZE, OWNER_MODE,
               a.mq_maxmsg, a.mq_msgsize, (unsigned)(st.st_mode & 0777));

    int fds = lab_open_fd_count();
    char big[MAILBOX_MSGSIZE + 1];
    memset(big, 'b', sizeof big);
    errno = 0;
    lab_assert_fails_with(mailbox_post(name, big, sizeof big), EMSGSIZE,
                          N_MAILBOX, "mailbox_post(\"%s\", %zu bytes)", name,
                          sizeof big);
    errno = 0;
    lab_assert_fails_with(mailbox_post(name, "x", 1), EAGAIN, N_MAILBOX,
                          "mailbox_post(\"%s\", \"x\", 1) on a full mailbox\n"
                          "  note:     the errno is the send's, even after a "
                          "close that succeeded", name);
    lab_assert(lab_open_fd_count() == fds, N_CLEAN,
               "two mailbox_post calls that failed\n  expected: no descriptor"
               " left open\n  got:      %d more", lab_open_fd_count() - fds);

    struct mail m = {0, 0};
    long n = mailbox_collect(name, check_mail, &m);
    lab_assert(n == MAILBOX_MAXMSG && m.count == MAILBOX_MAXMSG && m.bad == 0,
               N_MAILBOX, "mailbox_collect(\"%s\", ...) of the full mailbox\n"
               "  expected: %d, visiting the %d messages as posted (the empty "
               "one too), each with priority 0\n  got:      %ld, %d visited, "
               "%d of them wrong", name, MAILBOX_MAXMSG, MAILBOX_MAXMSG, n,
               m.count, m.bad);
}

/* A queue the test made itself, larger than a mailbox: a 1000-byte
 * message at priority 7, "ab" at 3, an empty one at 0. */
static void make_foreign_mailbox(const char *name)
{
    mq_unlink(name);
    struct mq_attr a = {.mq_maxmsg = 4, .mq_msgsize = 1024};
    mqd_t q = mq_open(name, O_WRONLY | O_CREAT | O_EXCL, 0600, &a);
    lab_assert_ok(q, N_MAILBOX, "grader: mq_open(\"%s\")", name);
    char big[1000];
    memset(big, 'k', sizeof big);
    lab_assert(mq_send(q, "", 0, 0) == 0 && mq_send(q, big, sizeof big, 7) == 0
                   && mq_send(q, "ab", 2, 3) == 0, N_MAILBOX,
               "grader: mq_send: %s", lab_errno_name(errno));
    mq_close(q);
}

struct seen3 {
    int count;
    size_t len[3];
    unsigned prio[3];
};

static void note_mail(const void *data, size_t len, unsigned prio, void *arg)
{
    (void)data;
    struct seen3 *s = arg;
    if (s->count < 3) {
        s->len[s->count] = len;
        s->prio[s->count] = prio;
    }
    s->count++;
}

LAB_TEST(mailbox, collect_takes_any_queue_and_releases_everything_when_a_call_fails, 5)
{
    const char *name = lab_name("foreign");
    make_foreign_mailbox(name);
    struct seen3 s = {0};
    long n = mailbox_collect(name, note_mail, &s);
    lab_assert(n == 3 && s.count == 3 && s.len[0] == 1000 && s.prio[0] == 7 &&
                   s.len[1] == 2 && s.prio[1] == 3 && s.len[2] == 0 &&
                   s.prio[2] == 0, N_MAILBOX,
               "mailbox_collect on a queue of mq_msgsize 1024 holding 1000 "
               "bytes (priority 7), \"ab\" (3) and an empty message (0)\n  "
               "expected: 3, visiting 1000(7) 2(3) 0(0)\n  got:      %ld%s, "
               "%d visited: %zu(%u) %zu(%u) %zu(%u)\n  likely:   a buffer of "
               "MAILBOX_MSGSIZE instead of the queue's mq_msgsize (EMSGSIZE), "
               "a loop that stops at an empty message, or priorities not "
               "passed on", n,
               n == -1 ? lab_fmt(" (errno %s)", lab_errno_name(errno)) : "",
               s.count, s.len[0], s.prio[0], s.len[1], s.prio[1], s.len[2],
               s.prio[2]);

    /* A clean run with visit NULL counts the calls. */
    const struct {
        enum lab_fault_call call;
        int err;
    } kinds[] = {
        {LAB_FAULT_MQ_OPEN, EMFILE},       {LAB_FAULT_MQ_GETATTR, EBADF},
        {LAB_FAULT_MALLOC, ENOMEM},        {LAB_FAULT_CALLOC, ENOMEM},
        {LAB_FAULT_REALLOC, ENOMEM},       {LAB_FAULT_MQ_RECEIVE, EBADF},
        {LAB_FAULT_MQ_TIMEDRECEIVE, EBADF}, {LAB_FAULT_MQ_CLOSE, EIO},
        {LAB_FAULT_MQ_UNLINK, EACCES},
    };
    enum { KINDS = sizeof kinds / sizeof kinds[0] };
    unsigned counts[KINDS];
    make_foreign_mailbox(name);
    lab_fault_reset();
    unsigned blocks0 = lab_fault_live_blocks();
    int fds0 = lab_open_fd_count();
    n = mailbox_collect(name, NULL, NULL);
    unsigned leaked = lab_fault_live_blocks() - blocks0;
    int fds_left = lab_open_fd_count() - fds0;
    for (int k = 0; k < KINDS; k++)
        counts[k] = lab_fault_calls(kinds[k].call);
    lab_assert(n == 3, N_MAILBOX, "mailbox_collect(\"%s\", NULL, NULL) on 3 "
               "messages\n  expected: 3\n  got:      %ld\n  likely:   is "
               "visit called only when it is not NULL?", name, n);
    lab_assert(leaked == 0 && fds_left == 0, N_CLEAN,
               "mailbox_collect(\"%s\", NULL, NULL), which worked\n  "
               "expected: the buffer freed and the queue closed\n  got:  "
               "    %u block(s) still allocated, %d descriptor(s) open\n  "
               "likely:   a return on EAGAIN that skips the cleaning up",
               name, leaked, fds_left);

    for (int k = 0; k < KINDS; k++) {
        for (unsigned nth = 1; nth <= counts[k]; nth++) {
            make_foreign_mailbox(name);
            lab_fault_reset();
            unsigned blocks = lab_fault_live_blocks();
            int fds = lab_open_fd_count();
            lab_fault_fail(kinds[k].call, nth, kinds[k].err, LAB_FAULT_ONCE);
            errno = 0;
            n = mailbox_collect(name, NULL, NULL);
            int err = errno;
            const char *when = lab_fault_describe();
            unsigned left_blocks = lab_fault_live_blocks();
            lab_fault_reset();
            errno = err;
            lab_assert_fails_with(n, kinds[k].err, N_FAILS,
                                  "mailbox_collect(\"%s\", NULL, NULL) when %s",
                                  name, when);
            lab_assert(left_blocks == blocks, N_CLEAN,
                       "mailbox_collect when %s\n  expected: the buffer "
                       "freed on this path too\n  got:      %u block(s) "
                       "still allocated", when, left_blocks - blocks);
            lab_assert(lab_open_fd_count() == fds, N_CLEAN,
                       "mailbox_collect when %s\n  expected: the queue "
                       "closed on this path too\n  got:      %d descriptor(s)"
                       " left open", when, lab_open_fd_count() - fds);
        }
    }
    mq_unlink(name);
}

LAB_TEST(mailbox, probes_and_posts_report_a_failing_call, 3)
{
    const char *name = lab_name("probefault");
    struct owner o;
    start_owner(&o, name, 2, 16);
    const char *bad = lab_name("probenoslash") + 1;
    errno = 0;
    lab_assert_fails_with(queue_exists(bad), EINVAL, N_EXISTS,
                          "queue_exists(\"%s\"): no leading slash", bad);

    int fds = lab_open_fd_count();
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_MQ_OPEN, 1, EMFILE, LAB_FAULT_FROM_ON);
    errno = 0;
    int r = queue_exists(name);
    const char *when = lab_fault_describe();
    lab_fault_reset();
    lab_assert_fails_with(r, EMFILE, N_FAILS, "queue_exists(\"%s\") when %s\n"
                          "  note:     only ENOENT (0) and EACCES are "
                          "answers; any other error is -1", name, when);
    lab_fault_fail(LAB_FAULT_MQ_CLOSE, 1, EIO, LAB_FAULT_FROM_ON);
    errno = 0;
    r = queue_exists(name);
    when = lab_fault_describe();
    lab_fault_reset();
    lab_assert_fails_with(r, EIO, N_FAILS, "queue_exists(\"%s\") on an "
                          "existing queue when %s", name, when);
    lab_assert(lab_open_fd_count() == fds, N_EXISTS,
               "queue_exists when %s\n  expected: no descriptor left open",
               when);

    /* mailbox_post: count its calls, then make them fail. */
    const char *box = lab_name("postfault");
    lab_assert_ok(mailbox_post(box, "a", 1), N_MAILBOX,
                  "mailbox_post(\"%s\", \"a\", 1)", box);
    enum lab_fault_call send = lab_fault_calls(LAB_FAULT_MQ_SEND) > 0
                                   ? LAB_FAULT_MQ_SEND
                                   : LAB_FAULT_MQ_TIMEDSEND;
    lab_fault_reset();
    fds = lab_open_fd_count();

    lab_fault_fail(LAB_FAULT_MQ_OPEN, 1, EMFILE, LAB_FAULT_FROM_ON);
    errno = 0;
    r = mailbox_post(box, "b", 1);
    when = lab_fault_describe();
    lab_fault_reset();
    lab_assert_fails_with(r, EMFILE, N_FAILS, "mailbox_post when %s", when);

    lab_fault_fail(send, 1, EAGAIN, LAB_FAULT_FROM_ON);
    lab_fault_fail(LAB_FAULT_MQ_CLOSE, 1, EIO, LAB_FAULT_FROM_ON);
    errno = 0;
    r = mailbox_post(box, "c", 1);
    lab_fault_reset();
    lab_assert_fails_with(r, EAGAIN, N_FAILS,
                          "mailbox_post when the %s failed with EAGAIN and "
                          "then the mq_close with EIO (injected by the "
                          "grader)\n  note:     the errno is the send's, "
                          "whatever the close does: save it before closing",
                          lab_fault_name(send));

    lab_fault_fail(LAB_FAULT_MQ_CLOSE, 1, EIO, LAB_FAULT_FROM_ON);
    errno = 0;
    r = mailbox_post(box, "d", 1);
    when = lab_fault_describe();
    lab_fault_reset();
    lab_assert_fails_with(r, EIO, N_FAILS, "mailbox_post when %s, after a "
                          "send that worked", when);
    lab_assert(lab_open_fd_count() == fds, N_CLEAN,
               "three mailbox_post calls that failed\n  expected: no "
               "descriptor left open\n  got:      %d more",
               lab_open_fd_count() - fds);
}
