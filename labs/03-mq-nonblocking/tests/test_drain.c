/* test_drain.c - lab 03: emptying a queue without blocking, and a retry
 * loop that waits without burning the CPU. */
#include "helpers.h"

#define MAX_SEEN 10

struct seen {
    int count;
    size_t len[MAX_SEEN];
    unsigned prio[MAX_SEEN];
    char data[MAX_SEEN][32];
};

static void collect(const void *data, size_t len, unsigned prio, void *arg)
{
    struct seen *s = arg;
    if (s->count < MAX_SEEN) {
        s->len[s->count] = len;
        s->prio[s->count] = prio;
        memcpy(s->data[s->count], data, len < 32 ? len : 32);
    }
    s->count++;
}

/* "a"(prio 2) ""(prio 2) ... : what the visitor saw, each text with its
 * priority (a bare number was read as a length or a count). */
static const char *seen_list(const struct seen *s)
{
    char out[512] = "";
    size_t o = 0;
    for (int i = 0; i < s->count && i < MAX_SEEN && o < sizeof out - 64; i++)
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s(prio %u)", i ? " " : "",
                              lab_quote(s->data[i], (long)(s->len[i] < 32 ? s->len[i] : 32)),
                              s->prio[i]);
    return lab_fmt("%s", s->count ? out : "nothing");
}

struct sent {
    const char *text;
    unsigned prio;
};

static void send_all(mqd_t q, const struct sent *m, int count)
{
    for (int i = 0; i < count; i++)
        lab_assert_ok(mq_send(q, m[i].text, strlen(m[i].text), m[i].prio),
                      N_DRAIN, "grader: mq_send");
}

static int seen_matches(const struct seen *s, const struct sent *want, int count)
{
    if (s->count != count)
        return 0;
    for (int i = 0; i < count; i++)
        if (s->len[i] != strlen(want[i].text) || s->prio[i] != want[i].prio ||
            memcmp(s->data[i], want[i].text, s->len[i]) != 0)
            return 0;
    return 1;
}

LAB_TEST(drain, drain_takes_every_message_without_blocking_and_restores_the_mode, 6)
{
    mqd_t q = make_queue(lab_name("drain"), 5, 32, 0);
    force_mode(q, 0);
    const struct sent in[] = {{"low", 1}, {"high", 9}, {"mid", 5}, {"mid2", 5}};
    const struct sent out[] = {{"high", 9}, {"mid", 5}, {"mid2", 5}, {"low", 1}};
    send_all(q, in, 4);

    struct seen s = {.count = 0};
    long n = nb_drain(q, collect, &s);
    lab_assert(n == 4 && seen_matches(&s, out, 4), N_DRAIN,
               "nb_drain on a blocking descriptor with 4 messages\n  "
               "expected: 4, visiting \"high\"(prio 9) \"mid\"(prio 5) "
               "\"mid2\"(prio 5) \"low\"(prio 1), highest priority first\n"
               "  got:      %ld%s, visiting %s", n,
               n == -1 ? lab_fmt(" (errno %s)", lab_errno_name(errno)) : "",
               seen_list(&s));
    lab_assert(pending(q) == 0, N_DRAIN,
               "expected: the queue is empty after nb_drain\n  got:      %ld "
               "messages left", pending(q));
    long flags = flags_of(q);
    lab_assert(!(flags & O_NONBLOCK), N_DRAIN,
               "nb_drain on a blocking descriptor\n  expected: the descriptor"
               " is blocking again afterwards\n  got:      mq_flags %ld "
               "(O_NONBLOCK left set)\n  likely:   the old mode is not "
               "restored, or an early return skips restoring it; the mode "
               "belongs to the caller", flags);

    s.count = 0;
    double t0 = mono_now();
    n = nb_drain(q, collect, &s);
    lab_assert(n == 0 && s.count == 0 && mono_now() - t0 < 1.0, N_DRAIN,
               "nb_drain on an empty blocking descriptor\n  expected: 0 at "
               "once, nothing visited\n  got:      %ld after %.2f s, visiting "
               "%s", n, mono_now() - t0, seen_list(&s));

    force_mode(q, 1);
    n = nb_drain(q, NULL, NULL);
    flags = flags_of(q);
    lab_assert(n == 0 && (flags & O_NONBLOCK), N_DRAIN,
               "nb_drain(q, NULL, NULL) on an empty non-blocking descriptor\n"
               "  expected: 0, and the descriptor still non-blocking\n  got:"
               "      %ld, mq_flags %ld", n, flags);
}

LAB_TEST(drain, drain_keeps_zero_length_messages, 4)
{
    mqd_t q = make_queue(lab_name("drainzero"), 5, 16, 0);
    force_mode(q, 1);
    const struct sent in[] = {{"a", 2}, {"", 2}, {"b", 2}, {"", 1}};
    send_all(q, in, 4);
    struct seen s = {.count = 0};
    long n = nb_drain(q, collect, &s);
    lab_assert(n == 4 && seen_matches(&s, in, 4), N_DRAIN,
               "nb_drain of \"a\"(prio 2) \"\"(prio 2) \"b\"(prio 2) "
               "\"\"(prio 1)\n  expected: 4, visiting all four, the "
               "zero-length ones too\n  got:      "
               "%ld, visiting %s, %ld left in the queue\n  likely:   the "
               "loop stops when mq_receive returns 0, as read() at end of "
               "file; for a queue 0 is an empty message, and only -1 with "
               "EAGAIN means empty", n, seen_list(&s), pending(q));
}

/* ---- retrying ---------------------------------------------------------- */

struct retry {
    mqd_t q;
    const char *text;
    long timeout_ms;
};

/* Exit 0 if nb_send_retry gave what the test wants (ETIMEDOUT for a
 * queue that stays full, success otherwise); 254 if it succeeded where
 * it had to time out; else the errno. */
static int retrier_main(void *arg)
{
    const struct retry *r = arg;
    int result = nb_send_retry(r->q, r->text, strlen(r->text), 0, r->timeout_ms);
    if (r->timeout_ms < 1000)
        return result == -1 ? (errno == ETIMEDOUT ? 0 : errno) : 254;
    return result == 0 ? 0 : (errno ? errno : 255);
}

static const long in_sleep[] = {SYS_nanosleep, SYS_clock_nanosleep};

LAB_TEST_TIMEOUT(retry, retry_send_sleeps_instead_of_spinning_and_sends_once_there_is_room, 6, 15.0)
{
    mqd_t q = make_queue(lab_name("retry"), 1, 16, 0);
    force_mode(q, 1);
    lab_assert_ok(mq_send(q, "full", 4, 0), N_RETRY, "grader: mq_send");

    /* 1. The queue stays full: ETIMEDOUT after 700 ms, having slept. */
    struct retry stuck = {q, "x", 700};
    double cpu0 = lab_children_cpu_seconds();
    double t0 = mono_now();
    pid_t pid = lab_spawn(retrier_main, &stuck);
    int status = 0;
    int ended = lab_wait_pid(pid, 5.0, &status);
    double took = mono_now() - t0;
    double cpu = lab_children_cpu_seconds() - cpu0;
    lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0, N_RETRY,
               "nb_send_retry(q, \"x\", 1, 0, 700) on a full non-blocking "
               "queue that stays full\n  expected: -1 with errno ETIMEDOUT "
               "after 700 ms\n  got:      %s",
               ended ? child_said(status, "success (the queue was full!)")
                     : "still running after 5 s");
    lab_assert(took >= 0.65, N_RETRY,
               "nb_send_retry(q, \"x\", 1, 0, 700) on a full queue\n  "
               "expected: it keeps trying for 700 ms\n  got:      it gave up "
               "after %.0f ms", took * 1000);
    lab_assert(cpu < 0.15, N_RETRY,
               "nb_send_retry(q, \"x\", 1, 0, 700) on a full queue\n  "
               "expected: almost no CPU time while waiting (it sleeps "
               "between tries)\n  got:      %.2f s of CPU in %.2f s\n  "
               "likely:   the loop retries at once after EAGAIN (busy "
               "waiting); sleep between tries with nanosleep", cpu, took);

    /* 2. A consumer makes room while the retrier sleeps: it sends. */
    struct retry patient = {q, "late", 5000};
    pid = lab_spawn(retrier_main, &patient);
    int asleep = lab_wait_in_syscall(pid, in_sleep, 2, 2.0);
    if (!asleep && lab_wait_pid(pid, 0.0, &status))
        lab_assert(0, N_RETRY,
                   "nb_send_retry(q, \"late\", 4, 0, 5000) on a full queue\n"
                   "  expected: it waits and retries\n  got:      it "
                   "returned at once: %s", child_said(status, "?"));
    char buf[16];
    lab_assert(mq_receive(q, buf, sizeof buf, NULL) == 4, N_RETRY,
               "grader: the consumer's mq_receive failed: %s",
               lab_errno_name(errno));
    ended = lab_wait_pid(pid, 5.0, &status);
    lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0, N_RETRY,
               "nb_send_retry(q, \"late\", 4, 0, 5000); meanwhile a consumer "
               "took the one message\n  expected: 0, \"late\" sent\n  got:"
               "      %s", ended ? child_said(status, "?")
                                 : "still running 5 s after there was room");
    ssize_t n = mq_receive(q, buf, sizeof buf, NULL);
    lab_assert(n == 4 && memcmp(buf, "late", 4) == 0, N_RETRY,
               "expected: \"late\" in the queue\n  got:      %s",
               n == -1 ? lab_errno_name(errno) : lab_quote(buf, n));
}
