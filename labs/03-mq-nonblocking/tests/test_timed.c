/* test_timed.c - lab 03: blocking sends that wait, and the timed calls
 * with their absolute CLOCK_REALTIME deadlines. */
#include "helpers.h"
#include "lab_fault.h"

static const long in_timedsend[] = {SYS_mq_timedsend};
static const long in_timedreceive[] = {SYS_mq_timedreceive};

/* ---- a blocking send waits for room ------------------------------------ */

/* The producer: its own blocking descriptor, one send that must wait. */
static int producer_main(void *arg)
{
    mqd_t q = mq_open((const char *)arg, O_WRONLY);
    if (q == (mqd_t)-1)
        return errno;
    if (nb_send_within(q, "late", 4, 0, 5000) == -1)
        return errno ? errno : 255;
    return 0;
}

LAB_TEST_TIMEOUT(timed, blocking_send_waits_for_room_made_by_a_concurrent_consumer, 6, 10.0)
{
    const char *name = lab_name("waits");
    mqd_t q = make_queue(name, 2, 16, 0);
    force_mode(q, 0);
    lab_assert_ok(mq_send(q, "one", 3, 0), N_WAITS, "grader: mq_send");
    lab_assert_ok(mq_send(q, "two", 3, 0), N_WAITS, "grader: mq_send");

    pid_t pid = lab_spawn(producer_main, (void *)name);
    /* The producer must be blocked in the send before the consumer makes
     * room: otherwise the test would prove nothing. */
    int blocked = lab_wait_in_syscall(pid, in_timedsend, 1, 3.0);
    int status = 0;
    if (!blocked && lab_wait_pid(pid, 0.0, &status))
        lab_assert(0, N_WAITS,
                   "a process calls nb_send_within(q, \"late\", 4, 0, 5000) "
                   "on a full blocking queue\n  expected: it waits until a "
                   "consumer makes room\n  got:      it returned at once: %s\n"
                   "  likely:   %s", child_said(status, "?"),
                   WIFEXITED(status) && WEXITSTATUS(status) == ETIMEDOUT
                       ? "the deadline is not absolute: mq_timedsend wants "
                         "now (CLOCK_REALTIME) + the timeout, not the "
                         "timeout alone"
                       : "see the errno above");

    char buf[16];
    ssize_t n = mq_receive(q, buf, sizeof buf, NULL);
    lab_assert(n == 3, N_WAITS, "grader: the consumer's mq_receive failed: %s",
               lab_errno_name(errno));
    int ended = lab_wait_pid(pid, 5.0, &status);
    lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0, N_WAITS,
               "a process blocked in nb_send_within(q, \"late\", 4, 0, 5000); "
               "then a consumer took one message\n  expected: the send "
               "completes\n  got:      %s",
               ended ? child_said(status, "?") : "still blocked after 5 s");
    lab_assert(mq_receive(q, buf, sizeof buf, NULL) == 3 &&
                   mq_receive(q, buf, sizeof buf, NULL) == 4 &&
                   memcmp(buf, "late", 4) == 0, N_WAITS,
               "expected: \"two\", then \"late\" in the queue\n  got:      "
               "something else");
}

/* ---- timing out -------------------------------------------------------- */

/* The timeouts below are 950 ms, started at 70..980 ms into a second: the
 * deadline's nanoseconds always pass 1e9, and need normalising. */
#define TIMEOUT_MS 950
#define ALIGN_LO 70
#define ALIGN_HI 980

static void check_timed_out(double took, const char *call)
{
    lab_assert(took >= 0.9, N_DEADLINE,
               "%s\n  expected: ETIMEDOUT after %d ms\n  got:      ETIMEDOUT "
               "after %.0f ms\n  likely:   the deadline is not absolute: "
               "mq_timedsend and mq_timedreceive want now (CLOCK_REALTIME) "
               "+ the timeout, and a bare timeout is a date in 1970, long "
               "past", call, TIMEOUT_MS, took * 1000);
    lab_assert(took < 3.0, N_DEADLINE,
               "%s\n  expected: ETIMEDOUT after %d ms\n  got:      after "
               "%.1f s", call, TIMEOUT_MS, took);
}

LAB_TEST_TIMEOUT(timed, timed_receive_gives_etimedout_at_the_deadline, 6, 10.0)
{
    mqd_t q = make_queue(lab_name("rtimeout"), 2, 16, 0);
    force_mode(q, 0);
    char buf[16];
    align_wall_clock(ALIGN_LO, ALIGN_HI);
    double t0 = mono_now();
    errno = 0;
    ssize_t n = nb_receive_within(q, buf, sizeof buf, NULL, TIMEOUT_MS);
    int err = errno;
    double took = mono_now() - t0;
    errno = err;
    lab_assert_fails_with(n, ETIMEDOUT, err == EINVAL ? N_NSEC : N_DEADLINE,
                          "nb_receive_within(q, buf, 16, NULL, %d) on an "
                          "empty blocking queue%s", TIMEOUT_MS,
                          err == EINVAL ? "\n  note:     EINVAL here means "
                          "tv_nsec >= 1000000000: when the milliseconds "
                          "carry past a second, tv_sec must take it" : "");
    check_timed_out(took, lab_fmt("nb_receive_within(q, buf, 16, NULL, %d)",
                                  TIMEOUT_MS));
}

LAB_TEST_TIMEOUT(timed, timed_send_gives_etimedout_on_a_full_queue, 4, 10.0)
{
    mqd_t q = make_queue(lab_name("stimeout"), 1, 16, 0);
    force_mode(q, 0);
    lab_assert_ok(mq_send(q, "full", 4, 0), N_WAITS, "grader: mq_send");
    align_wall_clock(ALIGN_LO, ALIGN_HI);
    double t0 = mono_now();
    errno = 0;
    int r = nb_send_within(q, "x", 1, 0, TIMEOUT_MS);
    int err = errno;
    double took = mono_now() - t0;
    errno = err;
    lab_assert_fails_with(r, ETIMEDOUT, err == EINVAL ? N_NSEC : N_DEADLINE,
                          "nb_send_within(q, \"x\", 1, 0, %d) on a full "
                          "blocking queue%s", TIMEOUT_MS,
                          err == EINVAL ? "\n  note:     EINVAL here means "
                          "tv_nsec >= 1000000000: when the milliseconds "
                          "carry past a second, tv_sec must take it" : "");
    check_timed_out(took, lab_fmt("nb_send_within(q, \"x\", 1, 0, %d)",
                                  TIMEOUT_MS));
    lab_assert(pending(q) == 1, N_WAITS,
               "expected: the message that timed out is not queued\n  got:"
               "      %ld messages", pending(q));
}

LAB_TEST(timed, deadline_is_absolute_with_normalised_nanoseconds, 4)
{
    const long cases[] = {0, 1, 250, 999, 1000, 1500, 2999};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long ms = cases[i];
        /* At 20..980 ms into the second, 999 ms (and 1500, 2999) carry. */
        align_wall_clock(20, 980);
        struct timespec before, after, d = {-1, -1};
        clock_gettime(CLOCK_REALTIME, &before);
        int r = nb_deadline_after(&d, ms);
        clock_gettime(CLOCK_REALTIME, &after);
        lab_assert_ok(r, N_DEADLINE, "nb_deadline_after(&d, %ld)", ms);
        lab_assert(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L, N_NSEC,
                   "nb_deadline_after(&d, %ld) at %ld.%09ld\n  expected: "
                   "tv_nsec in 0..999999999\n  got:      {%lld, %ld}\n  "
                   "likely:   the milliseconds added to tv_nsec carried past "
                   "a second and were not moved to tv_sec (the timed calls "
                   "then fail with EINVAL)", ms, (long)before.tv_sec,
                   before.tv_nsec, (long long)d.tv_sec, d.tv_nsec);
        double lo = (double)before.tv_sec + (double)before.tv_nsec / 1e9 +
                    (double)ms / 1000 - 0.001;
        double hi = (double)after.tv_sec + (double)after.tv_nsec / 1e9 +
                    (double)ms / 1000 + 0.001;
        double got = (double)d.tv_sec + (double)d.tv_nsec / 1e9;
        lab_assert(got >= lo && got <= hi, N_DEADLINE,
                   "nb_deadline_after(&d, %ld) at %ld.%09ld (CLOCK_REALTIME)\n"
                   "  expected: %.3f (now + %ld ms)\n  got:      {%lld, %ld}, "
                   "that is %.3f\n  likely:   %s", ms, (long)before.tv_sec,
                   before.tv_nsec, lo + 0.001, ms, (long long)d.tv_sec,
                   d.tv_nsec, got,
                   got < 1e9 ? "a relative time: the deadline is absolute, "
                               "the time now plus the timeout"
                             : "the wrong clock or the wrong unit (ms to ns "
                               "is * 1000000)");
    }
    struct timespec d;
    errno = 0;
    lab_assert_fails_with(nb_deadline_after(&d, -1), EINVAL, N_DEADLINE,
                          "nb_deadline_after(&d, -1)");

    /* The edges of the carry, on the grader's fake clock (lab_fault.h):
     * "now" put where the sum lands exactly on, or just short of, a whole
     * second. A solution that reads the time another way than with
     * clock_gettime is not judged here. */
    const struct {
        long nsec, ms, want_sec, want_nsec;
    } edges[] = {
        {999000000L, 1, 1, 0},         {999999999L, 0, 0, 999999999L},
        {0, 999, 0, 999000000L},       {500000000L, 1500, 2, 0},
        {999000000L, 2001, 3, 0},      {1000000L, 998, 0, 999000000L},
    };
    const time_t base = 1700000000;
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        struct timespec now = {base, edges[i].nsec}, got = {-1, -1};
        lab_fault_reset();
        lab_fault_fake_clock(&now);
        int r = nb_deadline_after(&got, edges[i].ms);
        int err = errno;
        unsigned reads = lab_fault_calls(LAB_FAULT_CLOCK_GETTIME);
        lab_fault_fake_clock(NULL);
        if (reads == 0)
            break;
        errno = err;
        lab_assert_ok(r, N_DEADLINE, "nb_deadline_after(&d, %ld) at "
                      "%lld.%09ld", edges[i].ms, (long long)base,
                      edges[i].nsec);
        lab_assert(got.tv_sec == base + edges[i].want_sec &&
                       got.tv_nsec == edges[i].want_nsec, N_NSEC,
                   "nb_deadline_after(&d, %ld) when CLOCK_REALTIME reads "
                   "{%lld, %ld} (the grader's fake clock)\n  expected: "
                   "{%lld, %ld}\n  got:      {%lld, %ld}\n  likely:   %s",
                   edges[i].ms, (long long)base, edges[i].nsec,
                   (long long)(base + edges[i].want_sec), edges[i].want_nsec,
                   (long long)got.tv_sec, got.tv_nsec,
                   got.tv_nsec >= 1000000000L
                       ? "tv_nsec reached exactly 1000000000 and was not "
                         "carried: the carry is due at >= 1e9, not > 1e9"
                       : "the carry into tv_sec is off");
    }
}

/* ---- a message arriving while a timed receive waits ------------------ */

/* The consumer: its own blocking descriptor and one timed receive that
 * must get "hello" with priority 3. 254: it got something else. */
static int consumer_main(void *arg)
{
    mqd_t q = mq_open((const char *)arg, O_RDONLY);
    if (q == (mqd_t)-1)
        return errno;
    char buf[32];
    unsigned prio = 0;
    ssize_t n = nb_receive_within(q, buf, sizeof buf, &prio, 6000);
    if (n == -1)
        return errno ? errno : 255;
    return n == 5 && memcmp(buf, "hello", 5) == 0 && prio == 3 ? 0 : 254;
}

LAB_TEST_TIMEOUT(timed, timed_receive_returns_a_message_sent_while_it_waits, 4, 10.0)
{
    const char *name = lab_name("arrives");
    mqd_t q = make_queue(name, 2, 32, 0);
    force_mode(q, 0);
    pid_t pid = lab_spawn(consumer_main, (void *)name);
    /* Send only once the consumer is waiting inside the timed receive. */
    int waiting = lab_wait_in_syscall(pid, in_timedreceive, 1, 3.0);
    int status = 0;
    if (!waiting && lab_wait_pid(pid, 0.0, &status))
        lab_assert(0, N_DEADLINE,
                   "a process calls nb_receive_within(q, buf, 32, &prio, 6000)"
                   " on an empty blocking queue\n  expected: it waits for a "
                   "message\n  got:      it returned at once: %s\n  likely:   "
                   "%s", child_said(status, "a wrong message"),
                   WIFEXITED(status) && WEXITSTATUS(status) == ETIMEDOUT
                       ? "the deadline is not absolute (now + timeout)"
                       : "see the errno above");
    lab_assert_ok(mq_send(q, "hello", 5, 3), N_DEADLINE, "grader: mq_send");
    int ended = lab_wait_pid(pid, 6.0, &status);
    lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0, N_DEADLINE,
               "a process waits in nb_receive_within(q, buf, 32, &prio, 6000);"
               " \"hello\" is sent with priority 3\n  expected: it returns 5,"
               " \"hello\" and priority 3\n  got:      %s",
               ended ? child_said(status, "another message, length or "
                                          "priority (is *prio filled?)")
                     : "still waiting after 6 s");
}
