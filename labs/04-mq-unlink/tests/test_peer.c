/* test_peer.c - lab 04: peers that open a queue, early or late, and never
 * create one. */
#include "helpers.h"

LAB_TEST(peer, late_peer_gets_enoent_and_creates_nothing, 6)
{
    const char *name = lab_name("late");
    struct owner o;
    start_owner(&o, name, 2, 16);
    lab_assert_ok(owner_release_name(&o), N_EARLY, "owner_release_name(&o)");
    errno = 0;
    mqd_t q = peer_open(name, O_RDONLY);
    int err = errno;
    lab_assert(!lab_queue_exists(name), N_LATE,
               "after a late peer_open(\"%s\", O_RDONLY)\n  expected: still "
               "no queue of that name\n  got:      one exists now\n  likely:"
               "   O_CREAT in peer_open: the late peer made a second, "
               "separate queue that its owner will never read", name);
    errno = err;
    lab_assert_fails_with(q, ENOENT, N_LATE,
                          "peer_open(\"%s\", O_RDONLY) after the owner released "
                          "the name: the late peer must learn it is too late",
                          name);
    errno = 0;
    lab_assert_fails_with(peer_open(name, O_WRONLY | O_NONBLOCK), ENOENT, N_LATE,
                          "peer_open(\"%s\", O_WRONLY | O_NONBLOCK) after the "
                          "release", name);
    lab_assert(!lab_queue_exists(name), N_LATE,
               "expected: peer_open never creates a queue");
}

LAB_TEST(peer, peer_wait_gives_up_with_etimedout_when_no_owner_comes, 3)
{
    const char *name = lab_name("nobody");
    double t0 = mono_now();
    errno = 0;
    mqd_t q = peer_open_wait(name, O_RDONLY, 300);
    int err = errno;
    double took = mono_now() - t0;
    lab_assert(!lab_queue_exists(name), N_WAIT,
               "peer_open_wait(\"%s\", O_RDONLY, 300) where no queue ever "
               "appears\n  expected: -1 with errno ETIMEDOUT, and no queue "
               "created\n  got:      %s exists now\n  likely:   O_CREAT in "
               "the peer's open", name, name);
    errno = err;
    lab_assert_fails_with(q, ETIMEDOUT, N_WAIT,
                          "peer_open_wait(\"%s\", O_RDONLY, 300) where no queue"
                          " ever appears%s", name,
                          q == (mqd_t)-1 && err == ENOENT
                              ? "\n  note:     ENOENT is the error to retry "
                                "on, until the timeout"
                              : "");
    lab_assert(took >= 0.28 && took < 3.0, N_WAIT,
               "peer_open_wait(\"%s\", O_RDONLY, 300)\n  expected: ETIMEDOUT "
               "after 300 ms\n  got:      after %.0f ms", name, took * 1000);
}

/* The peer that starts first: waits for the queue, then says hello.
 * Exits 0, or with the errno it met. */
static int waiting_peer_main(void *arg)
{
    mqd_t q = peer_open_wait((const char *)arg, O_WRONLY, 5000);
    if (q == (mqd_t)-1)
        return errno ? errno : 255;
    int r = mq_send(q, "hello", 5, 0);
    int err = errno;
    mq_close(q);
    return r == 0 ? 0 : err;
}

static const long in_sleep[] = {SYS_nanosleep, SYS_clock_nanosleep};

LAB_TEST_TIMEOUT(peer, peer_wait_opens_a_queue_its_owner_creates_later, 6, 10.0)
{
    const char *name = lab_name("later");
    pid_t pid = lab_spawn(waiting_peer_main, (void *)name);
    /* The owner starts only once the peer has tried and is sleeping
     * between tries: the peer has certainly started first. */
    int asleep = lab_wait_in_syscall(pid, in_sleep, 2, 2.0);
    lab_assert(!lab_queue_exists(name), N_WAIT,
               "a peer process in peer_open_wait(\"%s\", O_WRONLY, 5000), "
               "before any owner\n  expected: no queue of that name yet\n  "
               "got:      the peer created it\n  likely:   O_CREAT in the "
               "peer's open", name);
    int status = 0;
    if (!asleep && lab_wait_pid(pid, 0.0, &status))
        lab_assert(0, N_WAIT,
                   "a peer process calls peer_open_wait(\"%s\", O_WRONLY, "
                   "5000) before the owner has created the queue\n  "
                   "expected: it waits for the queue\n  got:      it "
                   "returned at once: %s\n  likely:   ENOENT is not retried",
                   name, child_said(status));
    struct owner o;
    start_owner(&o, name, 4, 32);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    char buf[32];
    ssize_t n = mq_timedreceive(o.q, buf, sizeof buf, NULL, &deadline);
    int ended = lab_wait_pid(pid, 5.0, &status);
    lab_assert(n == 5 && memcmp(buf, "hello", 5) == 0, N_WAIT,
               "the owner creates \"%s\" while a peer waits in "
               "peer_open_wait(..., 5000)\n  expected: the peer opens it and "
               "sends \"hello\"\n  got:      %s; the peer %s", name,
               n == -1 ? lab_fmt("no message (%s)", lab_errno_name(errno))
                       : lab_quote(buf, n),
               ended ? child_said(status) : "is still running");
}
