/* test_signal.c - lab 09: the consumer in signal mode (SIGEV_SIGNAL).
 *
 * Each consumer runs in a child process of its own: a Criterion worker
 * has a second thread, which does not block SIGUSR1, so a notification
 * could be delivered there and end the worker. A forked child has one
 * thread only. The child reports on a pipe: lines, and in the burst test
 * one '.' per message handled. */
#include "lab_fault.h"
#include "lab_test.h"
#include "notify_queue.h"
#include "producers.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOTE(anchor) "09-mq-notify.md#" anchor

struct child {
    const char *name;
    int cmd;              /* read end: one-byte commands from the test */
    int out;              /* write end: reports to the test            */
    int go;               /* burst: read end the producers wait on     */
};

/* ---- inside the consumer process ---------------------------------------- */

struct seen {
    const struct child *k;
    int count;
    int dots;             /* write a '.' per message */
    char last[32];
    int next[4];
    char wrong[160];
    int probing;          /* probe the registration from the handler */
    mqd_t probe;          /* a second descriptor of the queue          */
    int unregistered;     /* handler calls that found no registration  */
};

static void note_msg(void *ctx, const char *msg, size_t len)
{
    struct seen *s = ctx;
    if (s->probing) {
        /* Is anyone registered? SIGEV_NONE gets EBUSY if so; if it
         * succeeds, it is undone at once. */
        struct sigevent none;
        memset(&none, 0, sizeof none);
        none.sigev_notify = SIGEV_NONE;
        if (mq_notify(s->probe, &none) == 0) {
            s->unregistered++;
            mq_notify(s->probe, NULL);
        }
    }
    size_t keep = len < 31 ? len : 31;
    memcpy(s->last, msg, keep);
    s->last[keep] = '\0';
    int k = len >= 2 && msg[0] == 'p' ? msg[1] - '0' : -1;
    if (k >= 0 && k < 4) {
        char want[32];
        int wlen = snprintf(want, sizeof want, "p%d %d", k, s->next[k]);
        if (!s->wrong[0] && ((size_t)wlen != len || memcmp(want, msg, len)))
            snprintf(s->wrong, sizeof s->wrong, "expected %s, got %s", want,
                     s->last);
        s->next[k]++;
    }
    s->count++;
    if (s->dots && write(s->k->out, ".", 1) != 1)
        _exit(31);
}

/* Writes one line to the test; returns RC, for `return say(...)`. */
static int say(const struct child *k, int rc, const char *fmt, ...)
{
    char line[1200];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (len < 0 || len > (int)sizeof line - 2)
        len = (int)sizeof line - 2;
    /* One report, one line: its own line breaks travel as '\x1f'. */
    for (int i = 0; i < len; i++)
        if (line[i] == '\n')
            line[i] = '\x1f';
    line[len++] = '\n';
    if (write(k->out, line, (size_t)len) != len)
        _exit(32);
    return rc;
}

static char command(const struct child *k)
{
    char cmd = 0;
    if (read(k->cmd, &cmd, 1) != 1)
        _exit(33);
    return cmd;
}

static const struct timespec two_seconds = {2, 0};

/* Consumers and what they fill stay valid until the process ends. */
static struct nq_consumer consumer;
static struct seen seen;

static int start(const struct child *k, long maxmsg)
{
    seen = (struct seen){.k = k};
    if (nq_open(&consumer, k->name, maxmsg, 32, note_msg, &seen) == -1)
        return say(k, 1, "nq_open failed: %s", lab_errno_name(errno));
    if (nq_start_signal(&consumer, SIGUSR1) == -1)
        return say(k, 1, "nq_start_signal(c, SIGUSR1) failed: %s",
                   lab_errno_name(errno));
    return 0;
}

static int blocks_and_takes(void *arg)
{
    const struct child *k = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &set, NULL);   /* as a new program has it */
    /* A signal blocked already must stay blocked: SIG_BLOCK adds to the
     * mask, SIG_SETMASK would replace it. */
    sigset_t other;
    sigemptyset(&other);
    sigaddset(&other, SIGUSR2);
    sigprocmask(SIG_BLOCK, &other, NULL);
    if (start(k, 4) != 0)
        return 1;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    if (!sigismember(&now, SIGUSR1))
        return say(k, 1, "after nq_start_signal, SIGUSR1 is not blocked");
    if (!sigismember(&now, SIGUSR2))
        return say(k, 1, "SIGUSR2 was blocked, and nq_start_signal(c, "
                   "SIGUSR1) unblocked it (SIG_SETMASK replaces the whole "
                   "mask; SIG_BLOCK adds to it)");
    if (consumer.signo != SIGUSR1)
        return say(k, 1, "after nq_start_signal(c, SIGUSR1), signo is %d",
                   consumer.signo);
    /* Open to the end: closing it would remove the registration. */
    seen.probe = mq_open(k->name, O_RDONLY | O_NONBLOCK);
    if (seen.probe == (mqd_t)-1)
        return say(k, 1, "grader: cannot open the queue");
    seen.probing = 1;
    mqd_t w = mq_open(k->name, O_WRONLY);
    if (w == (mqd_t)-1 || mq_send(w, "hello", 5, 0) == -1)
        return say(k, 1, "grader: cannot send");
    long n = nq_wait_signal(&consumer, &two_seconds);
    if (n != 1 || strcmp(seen.last, "hello") != 0)
        return say(k, 1, "\"hello\" sent, nq_wait_signal returned %ld (errno"
                   " %s), the handler got %d message(s)", n,
                   lab_errno_name(errno), seen.count);
    if (seen.unregistered)
        return say(k, 1, "while the handler ran for \"hello\", the queue had "
                   "no registration: after a notification nq_wait_signal "
                   "must register again BEFORE draining (a message arriving "
                   "between the drain and a later mq_notify is never "
                   "notified)");
    seen.probing = 0;
    if (mq_send(w, "x", 1, 0) == -1 || mq_send(w, "y", 1, 0) == -1)
        return say(k, 1, "grader: cannot send");
    n = nq_wait_signal(&consumer, &two_seconds);
    if (n != 2)
        return say(k, 1, "\"x\" and \"y\" sent (one notification, for \"x\")"
                   ", nq_wait_signal returned %ld (errno %s) instead of 2",
                   n, lab_errno_name(errno));
    /* nq_watch_signal's own promise: SI_MESGQ and the value given. */
    static int marker;
    if (nq_unwatch(consumer.q) == -1 ||
        nq_watch_signal(consumer.q, SIGUSR1, &marker) == -1 ||
        mq_send(w, "z", 1, 0) == -1)
        return say(k, 1, "nq_unwatch, nq_watch_signal(q, SIGUSR1, &marker) "
                   "or the grader's mq_send failed: %s",
                   lab_errno_name(errno));
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (sigtimedwait(&set, &info, &two_seconds) != SIGUSR1 ||
        info.si_code != SI_MESGQ || info.si_value.sival_ptr != &marker)
        return say(k, 1, "nq_watch_signal(q, SIGUSR1, &marker), then a "
                   "message: si_code %d, sival_ptr %s (expected SI_MESGQ "
                   "and &marker: is sigev_value.sival_ptr set to ARG?)",
                   info.si_code,
                   info.si_value.sival_ptr == &marker ? "&marker" : "another");
    mq_close(w);
    nq_close(&consumer);
    mq_close(seen.probe);
    return say(k, 0, "OK");
}

static int times_out_quietly(void *arg)
{
    const struct child *k = arg;
    if (start(k, 4) != 0)
        return 1;
    say(k, 0, "R");
    struct timespec short_wait = {0, 100 * 1000 * 1000};
    long n = nq_wait_signal(&consumer, &short_wait);
    if (n != 0)
        return say(k, 1, "nq_wait_signal with 0.1 s and no message returned"
                   " %ld (errno %s) instead of 0", n, lab_errno_name(errno));
    nq_close(&consumer);
    return say(k, 0, "OK");
}

static int checks_pending(void *arg)
{
    const struct child *k = arg;
    if (start(k, 4) != 0)
        return 1;
    say(k, 0, "R");
    command(k);
    sigset_t pending;
    sigpending(&pending);
    say(k, 0, sigismember(&pending, SIGUSR1) ? "S" : "N");
    command(k);
    long n = nq_wait_signal(&consumer, &two_seconds);
    say(k, 0, "W%ld %s", n, n > 0 ? seen.last : lab_errno_name(errno));
    nq_close(&consumer);
    return 0;
}

static int consumes_bursts(void *arg)
{
    const struct child *k = arg;
    if (start(k, 10) != 0)
        return 1;
    seen.dots = 1;
    say(k, 0, "R");
    /* 0 is also what a notification returns when the previous drain
     * already took its message: only 2 s without progress is a stall. */
    struct timespec last, t;
    clock_gettime(CLOCK_MONOTONIC, &last);
    while (seen.count < 2 * PRODUCERS * BURST) {
        long n = nq_wait_signal(&consumer, &two_seconds);
        if (n == -1)
            return say(k, 1, "nq_wait_signal failed: %s",
                       lab_errno_name(errno));
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (n > 0)
            last = t;
        else if (t.tv_sec - last.tv_sec >= 2)
            return say(k, 1, "no notification for 2 s after %d messages",
                       seen.count);
    }
    if (seen.wrong[0])
        return say(k, 1, "%s", seen.wrong);
    nq_close(&consumer);
    return say(k, 0, "OK");
}

/* ---- inside the other children ----------------------------------------- */

static int receive_m1(void *arg)
{
    const char *name = arg;
    mqd_t q = mq_open(name, O_RDONLY);   /* blocking, on purpose */
    if (q == (mqd_t)-1)
        return 1;
    char buf[32];
    ssize_t n = mq_receive(q, buf, sizeof buf, NULL);
    return n == 2 && memcmp(buf, "m1", 2) == 0 ? 0 : 2;
}

/* ---- in the test process --------------------------------------------------- */

struct run {
    pid_t pid;
    int cmd;              /* write end */
    int from;             /* read end  */
    char got[8192];
    size_t len;
};

static void spawn_consumer(struct run *r, struct child *k,
                           int (*fn)(void *), const char *name)
{
    int cmd[2], out[2];
    cr_assert(pipe(cmd) == 0 && pipe(out) == 0, "grader: pipe failed");
    *k = (struct child){name, cmd[0], out[1], -1};
    memset(r, 0, sizeof *r);
    r->pid = lab_spawn(fn, k);
    close(cmd[0]);
    close(out[1]);
    r->cmd = cmd[1];
    r->from = out[0];
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Reads until the reports hold a complete line after OFFSET, or until
 * SECONDS passed or the child closed its end; returns that line ("" if
 * none), without the dots. */
static const char *next_line(struct run *r, size_t *offset, double seconds)
{
    double until = now() + seconds;
    for (;;) {
        char *start = r->got + *offset;
        while (*start == '.')
            start++;
        char *nl = memchr(start, '\n', r->len - (size_t)(start - r->got));
        if (nl) {
            *offset = (size_t)(nl + 1 - r->got);
            char *line = (char *)lab_fmt("%.*s", (int)(nl - start), start);
            for (char *p = line; *p; p++)
                if (*p == '\x1f')
                    *p = '\n';
            return line;
        }
        double left = until - now();
        struct pollfd p = {.fd = r->from, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0)
            return "";
        ssize_t n = read(r->from, r->got + r->len, sizeof r->got - 1 - r->len);
        if (n <= 0)
            return "";
        r->len += (size_t)n;
        r->got[r->len] = '\0';
    }
}

static int dots(const struct run *r)
{
    int n = 0;
    for (size_t i = 0; i < r->len; i++)
        n += r->got[i] == '.';
    return n;
}

/* Reads until N dots arrived; 1 if so within SECONDS. */
static int wait_dots(struct run *r, int n, double seconds)
{
    double until = now() + seconds;
    while (dots(r) < n) {
        double left = until - now();
        struct pollfd p = {.fd = r->from, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0)
            return 0;
        ssize_t got = read(r->from, r->got + r->len,
                           sizeof r->got - 1 - r->len);
        if (got <= 0)
            return 0;
        r->len += (size_t)got;
        r->got[r->len] = '\0';
    }
    return 1;
}

static void send_command(struct run *r, char cmd)
{
    cr_assert(write(r->cmd, &cmd, 1) == 1, "grader: write failed");
}

/* How the consumer process ended, if it did within SECONDS. */
static const char *ending(struct run *r, double seconds)
{
    int status = 0;
    if (!lab_wait_pid(r->pid, seconds, &status))
        return "still running";
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1)
        return "killed by SIGUSR1: the notification signal was not blocked,"
               " so its default action ended the process";
    return lab_describe_status(status);
}

LAB_TEST_TIMEOUT(signal, start_blocks_the_signal_and_wait_takes_it, 6, 10.0)
{
    struct child k;
    struct run r;
    spawn_consumer(&r, &k, blocks_and_takes, lab_name("takes"));
    size_t at = 0;
    const char *line = next_line(&r, &at, 6.0);
    lab_assert(strcmp(line, "OK") == 0, NOTE("notification-by-signal"),
               "in a process of its own: nq_open, nq_start_signal(c, "
               "SIGUSR1), send \"hello\", nq_wait_signal, then \"x\" and "
               "\"y\" and nq_wait_signal again\n  expected: SIGUSR1 blocked, "
               "1 message, then 2; then nq_watch_signal(q, SIGUSR1, "
               "&marker) signals with si_value &marker\n  got:      %s\n  the process: %s",
               line[0] ? line : "no report", ending(&r, 2.0));
}

LAB_TEST_TIMEOUT(signal, a_blocked_receiver_takes_the_message_and_no_signal_is_raised, 4, 15.0)
{
    const char *name = lab_name("blocked");
    struct child k;
    struct run r;
    spawn_consumer(&r, &k, checks_pending, name);
    size_t at = 0;
    const char *line = next_line(&r, &at, 5.0);
    lab_assert(strcmp(line, "R") == 0, NOTE("notification-by-signal"),
               "a consumer process: nq_open, nq_start_signal(c, SIGUSR1)\n  "
               "expected: both succeed\n  got:      %s\n  the process: %s",
               line[0] ? line : "no report", ending(&r, 1.0));

    /* Another process waits in mq_receive on the empty queue. */
    pid_t receiver = lab_spawn(receive_m1, (void *)name);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)receiver);
    int blocked = 0;
    for (double until = now() + 5.0; !blocked && now() < until;) {
        FILE *f = fopen(path, "r");
        long nr = -1;
        if (f) {
            if (fscanf(f, "%ld", &nr) != 1)
                nr = -1;
            fclose(f);
        }
        blocked = nr == SYS_mq_timedreceive;
        struct timespec ms = {0, 1000 * 1000};
        if (!blocked)
            nanosleep(&ms, NULL);
    }
    cr_assert(blocked, "grader: the receiver process never blocked in "
              "mq_receive (cannot read %s?)", path);

    mqd_t w = mq_open(name, O_WRONLY);
    lab_assert_ok(w, NOTE("creating-the-queue"), "grader: mq_open(O_WRONLY)");
    lab_assert_ok(mq_send(w, "m1", 2, 0), NOTE("creating-the-queue"),
                  "grader: mq_send");
    int status = 0;
    int ended = lab_wait_pid(receiver, 5.0, &status);
    lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0,
               NOTE("a-blocked-receiver-comes-first"),
               "\"m1\" sent while another process was blocked in "
               "mq_receive\n  expected: that process gets it\n  got:      "
               "it %s", ended ? lab_describe_status(status) : "is still "
               "waiting");
    send_command(&r, 'c');
    line = next_line(&r, &at, 5.0);
    lab_assert(strcmp(line, "N") == 0, NOTE("a-blocked-receiver-comes-first"),
               "\"m1\" went straight to a blocked receiver\n  expected: no "
               "SIGUSR1 pending in the consumer (the queue never held a "
               "message)\n  got:      %s\n  the process: %s",
               strcmp(line, "S") == 0 ? "SIGUSR1 pending" : "no report",
               line[0] ? "running" : ending(&r, 1.0));

    /* Nobody is blocked now: the registration, still in place, fires. */
    lab_assert_ok(mq_send(w, "m2", 2, 0), NOTE("creating-the-queue"),
                  "grader: mq_send");
    send_command(&r, 'w');
    line = next_line(&r, &at, 5.0);
    lab_assert(strcmp(line, "W1 m2") == 0, NOTE("a-blocked-receiver-comes-first"),
               "then \"m2\" sent with nobody blocked, and nq_wait_signal\n  "
               "expected: the registration made by nq_start_signal is still "
               "in place, so the signal comes and m2 is handled (\"W1 "
               "m2\")\n  got:      %s\n  the process: %s",
               line[0] ? lab_quote(line, (long)strlen(line)) : "no report",
               ending(&r, 2.0));
    mq_close(w);
}

LAB_TEST_TIMEOUT(signal, a_burst_from_several_producers_is_received_in_full, 8, 15.0)
{
    const char *name = lab_name("burst");
    struct child k;
    struct run r;
    spawn_consumer(&r, &k, consumes_bursts, name);
    size_t at = 0;
    const char *line = next_line(&r, &at, 5.0);
    lab_assert(strcmp(line, "R") == 0, NOTE("notification-by-signal"),
               "a consumer process: nq_open, nq_start_signal(c, SIGUSR1)\n  "
               "expected: both succeed\n  got:      %s\n  the process: %s",
               line[0] ? line : "no report", ending(&r, 1.0));
    int go[2];
    cr_assert(pipe(go) == 0, "grader: pipe failed");
    struct producer p[PRODUCERS];
    pid_t pid[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        p[i] = (struct producer){name, i, go[0]};
        pid[i] = lab_spawn(produce, &p[i]);
    }
    int first = wait_dots(&r, PRODUCERS * BURST, 5.0);
    if (first)
        cr_assert(write(go[1], "gggg", PRODUCERS) == PRODUCERS,
                  "grader: write failed");
    line = next_line(&r, &at, 6.0);
    lab_assert(first && strcmp(line, "OK") == 0,
               NOTE("one-shot-register-again-before-draining"),
               "a consumer process looping on nq_wait_signal; %d producers "
               "sending %d messages each at once, then %d more once all "
               "were handled\n  expected: all %d handled, in order\n  got:  "
               "    %d handled; it says %s\n  the process: %s\n  likely:   "
               "after a notification the registration must be renewed before"
               " draining", PRODUCERS, BURST, BURST, 2 * PRODUCERS * BURST,
               dots(&r), line[0] ? lab_quote(line, (long)strlen(line)) : "nothing",
               ending(&r, 2.0));
    for (int i = 0; i < PRODUCERS; i++) {
        int status = 0;
        int ended = lab_wait_pid(pid[i], 5.0, &status);
        lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0,
                   NOTE("notification-by-signal"),
                   "producer %d\n  expected: it sends everything and exits 0"
                   "\n  got:      %s", i,
                   ended ? lab_describe_status(status) : "still running");
    }
}

LAB_TEST_TIMEOUT(signal, wait_returns_zero_when_no_message_comes, 2, 10.0)
{
    struct child k;
    struct run r;
    spawn_consumer(&r, &k, times_out_quietly, lab_name("quiet"));
    size_t at = 0;
    const char *line = next_line(&r, &at, 5.0);
    lab_assert(strcmp(line, "R") == 0, NOTE("never-block-in-the-consumer"),
               "a consumer process: nq_open, nq_start_signal(c, SIGUSR1) on "
               "an empty queue\n  expected: both return at once\n  got:     "
               " %s\n  the process: %s\n  likely:   the start's drain blocks "
               "in mq_receive: the queue is not O_NONBLOCK",
               line[0] ? line : "no report within 5 s", ending(&r, 1.0));
    line = next_line(&r, &at, 5.0);
    lab_assert(strcmp(line, "OK") == 0, NOTE("notification-by-signal"),
               "then nq_wait_signal with a 0.1 s timeout and no message\n  "
               "expected: 0 (EAGAIN from sigtimedwait is a timeout, not an "
               "error)\n  got:      %s\n  the process: %s",
               line[0] ? line : "no report", ending(&r, 1.0));
}

/* ---- signals that are not notifications --------------------------------- */

/* The second queue of a test, set before the consumer process starts. */
static const char *second_name;
static struct nq_consumer rt_consumer;

/* What went wrong when nq_wait_signal returned N after a signal sent by
 * HOW (si_code CODE) on an empty queue, where 0 was expected. */
static const char *not_notification(const char *how, const char *code, long n,
                                    int err)
{
    return lab_fmt("%s (si_code %s) while the registration is in place and "
                   "the queue empty, then nq_wait_signal\n  expected: 0 (it "
                   "drains, finds nothing)\n  got:      %ld, errno %s\n  "
                   "likely:   %s", how, code, n, lab_errno_name(err),
                   n == -1 && err == EBUSY
                       ? "it registered again, but a signal that is not a "
                         "notification leaves the registration in place: "
                         "register again only when si_code is SI_MESGQ"
                       : lab_errno_hint(err));
}

static int kill_keeps_registration(void *arg)
{
    const struct child *k = arg;
    if (start(k, 4) != 0)
        return 1;
    /* Open until the end: closing any descriptor of the queue in this
     * process would remove the registration too. */
    mqd_t w = mq_open(k->name, O_WRONLY);
    if (w == (mqd_t)-1)
        return say(k, 1, "grader: cannot open the queue");
    if (kill(getpid(), SIGUSR1) == -1)
        return say(k, 1, "grader: kill failed");
    errno = 0;
    long n = nq_wait_signal(&consumer, &two_seconds);
    if (n != 0)
        return say(k, 1, "%s", not_notification("SIGUSR1 sent with kill()",
                                                "SI_USER", n, errno));
    union sigval v = {.sival_ptr = &consumer};
    if (sigqueue(getpid(), SIGUSR1, v) == -1)
        return say(k, 1, "grader: sigqueue failed");
    errno = 0;
    n = nq_wait_signal(&consumer, &two_seconds);
    if (n != 0)
        return say(k, 1, "%s", not_notification("SIGUSR1 sent with sigqueue()",
                                                "SI_QUEUE", n, errno));
    const char *texts[] = {"after", "again"};
    for (int i = 0; i < 2; i++) {
        if (mq_send(w, texts[i], strlen(texts[i]), 0) == -1)
            return say(k, 1, "grader: cannot send");
        errno = 0;
        n = nq_wait_signal(&consumer, &two_seconds);
        if (n != 1 || strcmp(seen.last, texts[i]) != 0)
            return say(k, 1, "after two signals sent with kill() and "
                       "sigqueue(), \"%s\" sent\n  expected: nq_wait_signal "
                       "returns 1, the handler gets \"%s\"\n  got:      %ld,"
                       " errno %s\n  likely:   the registration was lost or "
                       "not renewed", texts[i], texts[i], n,
                       lab_errno_name(errno));
    }
    nq_close(&consumer);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    if (!sigismember(&now, SIGUSR1))
        return say(k, 1, "after nq_close\n  expected: SIGUSR1 still blocked "
                   "(a notification may be pending)\n  got:      unblocked");
    mq_close(w);

    /* Real-time signals queue: a sigqueue()d one, then the notification
     * for "r1". The first must drain, the second register again. */
    int rt = SIGRTMIN + 1;
    seen = (struct seen){.k = k};
    if (nq_open(&rt_consumer, second_name, 4, 32, note_msg, &seen) == -1 ||
        nq_start_signal(&rt_consumer, rt) == -1)
        return say(k, 1, "nq_open or nq_start_signal(c, SIGRTMIN + 1) "
                   "failed: %s", lab_errno_name(errno));
    w = mq_open(second_name, O_WRONLY);
    if (w == (mqd_t)-1)
        return say(k, 1, "grader: cannot open the queue");
    v.sival_ptr = &rt_consumer;
    if (sigqueue(getpid(), rt, v) == -1 || mq_send(w, "r1", 2, 0) == -1)
        return say(k, 1, "grader: sigqueue or mq_send failed");
    errno = 0;
    n = nq_wait_signal(&rt_consumer, &two_seconds);
    if (n != 1)
        return say(k, 1, "SIGRTMIN + 1 sent with sigqueue(), then \"r1\" "
                   "(whose notification queues behind it), then "
                   "nq_wait_signal\n  expected: 1: a signal sent some other "
                   "way still drains\n  got:      %ld, errno %s", n,
                   lab_errno_name(errno));
    errno = 0;
    n = nq_wait_signal(&rt_consumer, &two_seconds);
    if (n != 0)
        return say(k, 1, "then nq_wait_signal again, taking the notification"
                   " for \"r1\" (already handled)\n  expected: 0: it "
                   "registers again and finds the queue empty\n  got:      "
                   "%ld, errno %s", n, lab_errno_name(errno));
    errno = 0;
    if (mq_send(w, "r2", 2, 0) == -1)
        return say(k, 1, "grader: cannot send");
    n = nq_wait_signal(&rt_consumer, &two_seconds);
    if (n != 1)
        return say(k, 1, "then \"r2\" and nq_wait_signal\n  expected: 1\n  "
                   "got:      %ld, errno %s\n  likely:   the notification "
                   "did not register again", n, lab_errno_name(errno));
    nq_close(&rt_consumer);
    mq_close(w);
    return say(k, 0, "OK");
}

LAB_TEST_TIMEOUT(signal, a_signal_sent_with_kill_keeps_the_registration, 5, 15.0)
{
    second_name = lab_name("killrt");
    struct child k;
    struct run r;
    spawn_consumer(&r, &k, kill_keeps_registration, lab_name("kill"));
    size_t at = 0;
    const char *line = next_line(&r, &at, 12.0);
    lab_assert(strcmp(line, "OK") == 0,
               NOTE("signals-that-are-not-notifications"),
               "in a process of its own: nq_start_signal(c, SIGUSR1), then "
               "SIGUSR1 sent with kill() and with sigqueue(), then "
               "messages; then the same with SIGRTMIN + 1\n  %s\n  the "
               "process: %s",
               line[0] ? line : "no report", ending(&r, 2.0));
}

/* ---- failures of the signal-mode calls -------------------------------- */

/* Fails (reports and returns 1) unless RC is -1 with errno WANT. */
static int expect_failure(const struct child *k, long rc, int err, int want,
                          const char *what)
{
    if (rc == -1 && err == want)
        return 0;
    return say(k, 1, "%s\n  expected: -1 with errno %s\n  got:      %ld%s%s",
               what, lab_errno_name(want), rc, rc == -1 ? ", errno " : "",
               rc == -1 ? lab_errno_name(err) : "");
}

static int signal_calls_fail(void *arg)
{
    const struct child *k = arg;
    seen = (struct seen){.k = k};
    if (nq_open(&consumer, k->name, 4, 32, note_msg, &seen) == -1)
        return say(k, 1, "nq_open failed: %s", lab_errno_name(errno));
    errno = 0;
    long rc = nq_start_signal(&consumer, 1000);
    if (expect_failure(k, rc, errno, EINVAL,
                       "nq_start_signal(c, 1000): no such signal"))
        return 1;

    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_PTHREAD_SIGMASK, 1, EFAULT, LAB_FAULT_FROM_ON);
    errno = 0;
    rc = nq_start_signal(&consumer, SIGUSR1);
    int err = errno;
    const char *what = lab_fmt("nq_start_signal(c, SIGUSR1), when %s",
                               lab_fault_describe());
    unsigned injected = lab_fault_injected();
    lab_fault_reset();
    if (injected && expect_failure(k, rc, err, EFAULT, lab_fmt(
            "%s\n  (pthread_sigmask returns its error: put it in errno)",
            what)))
        return 1;
    nq_unwatch(consumer.q);

    /* This process holds a registration on another descriptor. */
    mqd_t probe = mq_open(k->name, O_RDONLY | O_NONBLOCK);
    struct sigevent none;
    memset(&none, 0, sizeof none);
    none.sigev_notify = SIGEV_NONE;
    if (probe == (mqd_t)-1 || mq_notify(probe, &none) == -1)
        return say(k, 1, "grader: cannot register on the queue");
    errno = 0;
    rc = nq_start_signal(&consumer, SIGUSR1);
    if (expect_failure(k, rc, errno, EBUSY, "nq_start_signal(c, SIGUSR1) "
                       "while another registration is in place"))
        return 1;
    if (mq_notify(probe, NULL) == -1)
        return say(k, 1, "grader: mq_notify(NULL) failed");

    lab_fault_fail(LAB_FAULT_MQ_RECEIVE, 1, EBADF, LAB_FAULT_ONCE);
    lab_fault_fail(LAB_FAULT_MQ_TIMEDRECEIVE, 1, EBADF, LAB_FAULT_ONCE);
    errno = 0;
    rc = nq_start_signal(&consumer, SIGUSR1);
    err = errno;
    what = lab_fmt("nq_start_signal(c, SIGUSR1), when %s",
                   lab_fault_describe());
    lab_fault_reset();
    if (expect_failure(k, rc, err, EBADF, what))
        return 1;
    nq_unwatch(consumer.q);

    if (nq_start_signal(&consumer, SIGUSR1) == -1)
        return say(k, 1, "nq_start_signal(c, SIGUSR1) failed: %s",
                   lab_errno_name(errno));
    mqd_t w = mq_open(k->name, O_WRONLY);
    if (w == (mqd_t)-1 || mq_send(w, "i1", 2, 0) == -1)
        return say(k, 1, "grader: cannot send");
    lab_fault_fail(LAB_FAULT_SIGTIMEDWAIT, 1, EINTR, LAB_FAULT_ONCE);
    errno = 0;
    rc = nq_wait_signal(&consumer, &two_seconds);
    err = errno;
    what = lab_fmt("%s", lab_fault_describe());
    injected = lab_fault_injected();
    lab_fault_reset();
    if (injected && rc != 1)
        return say(k, 1, "\"i1\" sent, then nq_wait_signal, when %s "
                   "(as when a signal handler ran)\n  "
                   "expected: it waits again and returns 1\n  got:      %ld, "
                   "errno %s", what, rc, lab_errno_name(err));

    struct timespec short_wait = {0, 50 * 1000 * 1000};
    lab_fault_fail(LAB_FAULT_SIGTIMEDWAIT, 1, EINVAL, LAB_FAULT_ONCE);
    errno = 0;
    rc = nq_wait_signal(&consumer, &short_wait);
    err = errno;
    what = lab_fmt("nq_wait_signal, when %s",
                   lab_fault_describe());
    injected = lab_fault_injected();
    lab_fault_reset();
    if (injected && expect_failure(k, rc, err, EINVAL, lab_fmt(
            "%s\n  (only EAGAIN, the time running out, returns 0)", what)))
        return 1;

    if (mq_send(w, "i2", 2, 0) == -1)
        return say(k, 1, "grader: cannot send");
    lab_fault_fail(LAB_FAULT_MQ_NOTIFY, 1, ENOMEM, LAB_FAULT_ONCE);
    errno = 0;
    rc = nq_wait_signal(&consumer, &two_seconds);
    err = errno;
    what = lab_fmt("\"i2\" sent, then nq_wait_signal, when %s as it "
                   "registered again\n  (whether it drains"
                   " first is up to you; errno must still be mq_notify's)",
                   lab_fault_describe());
    lab_fault_reset();
    if (expect_failure(k, rc, err, ENOMEM, what))
        return 1;

    /* Not in signal mode: signo 0 is no signal. */
    consumer.signo = 0;
    errno = 0;
    rc = nq_wait_signal(&consumer, &short_wait);
    if (expect_failure(k, rc, errno, EINVAL, "nq_wait_signal on a consumer "
                       "whose signo is 0 (no signal)"))
        return 1;
    consumer.signo = SIGUSR1;
    nq_close(&consumer);
    mq_close(w);
    mq_close(probe);
    return say(k, 0, "OK");
}

LAB_TEST_TIMEOUT(signal, start_and_wait_report_each_failure, 3, 10.0)
{
    struct child k;
    struct run r;
    spawn_consumer(&r, &k, signal_calls_fail, lab_name("sigfail"));
    size_t at = 0;
    const char *line = next_line(&r, &at, 8.0);
    lab_assert(strcmp(line, "OK") == 0, NOTE("when-a-call-fails"),
               "in a process of its own: nq_start_signal and nq_wait_signal "
               "with failing calls\n  %s\n  the process: %s",
               line[0] ? line : "no report", ending(&r, 2.0));
}
