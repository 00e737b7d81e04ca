/* test_thread.c - lab 09: nq_open, the three mq_notify calls, and the
 * consumer in thread mode (SIGEV_THREAD), in the test process. */
#include "lab_test.h"
#include "notify_queue.h"
#include "producers.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOTE(anchor) "09-mq-notify.md#" anchor

/* What the handler received; filled from notification threads. */
struct inbox {
    pthread_mutex_t m;
    pthread_cond_t cv;
    int count;
    char text[8][32];
    mqd_t probe;          /* a second descriptor of the queue, or -1 */
    int unregistered;     /* handler calls that found no registration */
    int probe_errno;
    int next[4];          /* burst: next number expected per producer */
    char wrong[160];
};

static void inbox_init(struct inbox *b)
{
    memset(b, 0, sizeof *b);
    pthread_mutex_init(&b->m, NULL);
    pthread_cond_init(&b->cv, NULL);
    b->probe = (mqd_t)-1;
}

/* Is anyone registered on the queue right now? Registering SIGEV_NONE
 * fails with EBUSY if so; if it succeeds, it is undone at once. */
static void probe_registration(struct inbox *b)
{
    struct sigevent none;
    memset(&none, 0, sizeof none);
    none.sigev_notify = SIGEV_NONE;
    if (mq_notify(b->probe, &none) == 0) {
        b->unregistered++;
        mq_notify(b->probe, NULL);
    } else if (errno != EBUSY) {
        b->probe_errno = errno;
    }
}

static void collect(void *ctx, const char *msg, size_t len)
{
    struct inbox *b = ctx;
    pthread_mutex_lock(&b->m);
    if (b->probe != (mqd_t)-1)
        probe_registration(b);
    if (b->count < 8) {
        size_t keep = len < 31 ? len : 31;
        memcpy(b->text[b->count], msg, keep);
        b->text[b->count][keep] = '\0';
    }
    /* Bursts: "p<k> <n>", n = 0, 1, ... per producer k. */
    int k = len >= 2 && msg[0] == 'p' ? msg[1] - '0' : -1;
    if (k >= 0 && k < 4) {
        char want[32];
        int wlen = snprintf(want, sizeof want, "p%d %d", k, b->next[k]);
        if (!b->wrong[0] && ((size_t)wlen != len || memcmp(want, msg, len)))
            snprintf(b->wrong, sizeof b->wrong, "expected %s, got %s",
                     lab_quote(want, wlen), lab_quote(msg, (long)len));
        b->next[k]++;
    }
    b->count++;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->m);
}

/* Waits until the handler has been called N times in all; 1 if so. */
static int wait_count(struct inbox *b, int n, double seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)seconds;
    until.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&b->m);
    int rc = 0;
    while (b->count < n && rc == 0)
        rc = pthread_cond_timedwait(&b->cv, &b->m, &until);
    int reached = b->count >= n;
    pthread_mutex_unlock(&b->m);
    return reached;
}

static int inbox_count(struct inbox *b)
{
    pthread_mutex_lock(&b->m);
    int n = b->count;
    pthread_mutex_unlock(&b->m);
    return n;
}

static void must_open(struct nq_consumer *c, const char *name, long maxmsg,
                      long msgsize, struct inbox *b)
{
    lab_assert_ok(nq_open(c, name, maxmsg, msgsize, collect, b),
                  NOTE("creating-the-queue"),
                  "nq_open(c, \"%s\", %ld, %ld, ...) on a new name", name,
                  maxmsg, msgsize);
}

static mqd_t must_open_writer(const char *name)
{
    mqd_t w = mq_open(name, O_WRONLY);
    lab_assert_ok(w, NOTE("creating-the-queue"),
                  "a producer's mq_open(\"%s\", O_WRONLY) after nq_open", name);
    return w;
}

static void must_send(mqd_t w, const char *text)
{
    lab_assert_ok(mq_send(w, text, strlen(text), 0), NOTE("creating-the-queue"),
                  "grader: mq_send(%s)", lab_quote(text, (long)strlen(text)));
}

static void must_start_thread(struct nq_consumer *c)
{
    lab_assert_ok(nq_start_thread(c), NOTE("notification-by-thread"),
                  "nq_start_thread on a consumer just opened");
}

/* The consumer and what it fills must outlive any late notification
 * thread: they are static, not on the test's stack. */
static struct nq_consumer consumer;
static struct inbox box;

LAB_TEST(open, creates_the_queue_non_blocking_with_the_given_sizes, 6)
{
    inbox_init(&box);
    const char *name = lab_name("open");
    mode_t old = umask(0);  /* the umask would hide the mode asked for */
    must_open(&consumer, name, 5, 128, &box);
    umask(old);
    struct nq_consumer *c = &consumer;
    struct mq_attr attr;
    lab_assert_ok(mq_getattr(c->q, &attr), NOTE("creating-the-queue"),
                  "mq_getattr(c->q) after nq_open");
    lab_assert(attr.mq_maxmsg == 5 && attr.mq_msgsize == 128,
               NOTE("creating-the-queue"),
               "nq_open(c, \"%s\", 5, 128, ...)\n  expected: mq_maxmsg 5, "
               "mq_msgsize 128\n  got:      mq_maxmsg %ld, mq_msgsize %ld",
               name, attr.mq_maxmsg, attr.mq_msgsize);
    lab_assert(attr.mq_flags & O_NONBLOCK, NOTE("never-block-in-the-consumer"),
               "nq_open\n  expected: a non-blocking descriptor (O_NONBLOCK in"
               " mq_flags)\n  got:      a blocking one\n  likely:   "
               "O_NONBLOCK missing from mq_open's oflag (attr.mq_flags is "
               "ignored there)");
    int mode = fcntl(c->q, F_GETFL) & O_ACCMODE;
    lab_assert(mode == O_RDONLY, NOTE("creating-the-queue"),
               "nq_open\n  expected: the queue open for receiving only "
               "(O_RDONLY)\n  got:      access mode %d", mode);
    struct stat st;
    lab_assert_ok(fstat(c->q, &st), NOTE("creating-the-queue"), "fstat(c->q)");
    lab_assert((st.st_mode & 0777) == NQ_MODE, NOTE("creating-the-queue"),
               "nq_open\n  expected: permissions 0600 (NQ_MODE)\n  got:     "
               " %04o", (unsigned)(st.st_mode & 0777));
    lab_assert(c->buf != NULL && c->bufsize == 128 && c->handler == collect &&
                   c->ctx == &box && strcmp(c->name, name) == 0 &&
                   c->signo == 0 && c->stopped == 0 && c->received == 0,
               NOTE("creating-the-queue"),
               "nq_open\n  expected: buf of 128 bytes, handler and ctx as "
               "given, the name copied, signo 0, stopped 0, received 0\n  "
               "got:      buf %p, bufsize %zu, handler %s, ctx %s, name %s, "
               "signo %d, stopped %d, received %ld", (void *)c->buf,
               c->bufsize, c->handler == collect ? "ok" : "wrong",
               c->ctx == &box ? "ok" : "wrong",
               lab_quote(c->name, (long)strnlen(c->name, 80)), c->signo,
               c->stopped, c->received);
    long n = nq_drain(c);
    lab_assert(n == 0, NOTE("never-block-in-the-consumer"),
               "nq_drain on the empty queue\n  expected: 0 at once\n  got:  "
               "    %ld, errno %s\n  likely:   EAGAIN is the normal end of a "
               "drain, not an error", n, lab_errno_name(errno));

    int fds = lab_open_fd_count();
    static struct nq_consumer other;
    errno = 0;
    lab_assert_fails_with(nq_open(&other, name, 5, 128, collect, &box), EEXIST,
                          NOTE("creating-the-queue"),
                          "nq_open on a name that exists");
    errno = 0;
    lab_assert_fails_with(nq_open(&other, "ipclab-no-slash", 5, 128, collect,
                                  &box),
                          EINVAL, NOTE("creating-the-queue"),
                          "nq_open(c, \"ipclab-no-slash\", ...)");
    lab_assert(lab_open_fd_count() == fds && lab_queue_exists(name),
               NOTE("creating-the-queue"),
               "two failed nq_open calls\n  expected: no descriptor left "
               "open, the existing queue left alone\n  got:      %d "
               "descriptors open (%d before), the queue %s", lab_open_fd_count(), fds,
               lab_queue_exists(name) ? "still there" : "removed");
    nq_close(c);
}

/* ---- one registration per queue ------------------------------------- */

struct registrant {
    const char *name;
    int to_child;         /* read end: commands */
    int to_test;          /* write end: replies */
};

static void reply(const struct registrant *r, const char *line)
{
    if (write(r->to_test, line, strlen(line)) < 0)
        _exit(30);
}

/* Another process: registers, says "R", unwatches on 'u', leaves on 'x'. */
static int register_elsewhere(void *arg)
{
    const struct registrant *r = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    mqd_t q = mq_open(r->name, O_RDONLY);
    if (q == (mqd_t)-1) {
        reply(r, "E open\n");
        return 1;
    }
    if (nq_watch_signal(q, SIGUSR1, NULL) == -1) {
        reply(r, lab_fmt("E nq_watch_signal: %s\n", lab_errno_name(errno)));
        return 1;
    }
    reply(r, "R\n");
    char cmd;
    if (read(r->to_child, &cmd, 1) != 1)
        return 2;
    if (nq_unwatch(q) == -1)
        reply(r, lab_fmt("E nq_unwatch: %s\n", lab_errno_name(errno)));
    else
        reply(r, "U\n");
    if (read(r->to_child, &cmd, 1) != 1)
        return 2;
    mq_close(q);
    return 0;
}

/* Reads one line from FD within SECONDS; "" if none came. */
static const char *read_line(int fd, double seconds)
{
    static char line[256];
    size_t len = 0;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        double left = seconds - (double)(now.tv_sec - start.tv_sec) -
                      (double)(now.tv_nsec - start.tv_nsec) / 1e9;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0)
            break;
        char ch;
        if (read(fd, &ch, 1) != 1)
            break;
        if (ch == '\n')
            break;
        if (len < sizeof line - 1)
            line[len++] = ch;
    }
    line[len] = '\0';
    return line;
}

static void never_called(union sigval sv)
{
    (void)sv;
}

LAB_TEST(watch, a_second_registrant_gets_ebusy_until_the_first_unwatches, 8)
{
    const char *name = lab_name("busy");
    struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 32};
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    lab_assert_ok(q, NOTE("one-registration-per-queue"), "grader: mq_open");
    int cmd[2], rep[2];
    cr_assert(pipe(cmd) == 0 && pipe(rep) == 0, "grader: pipe failed");
    struct registrant r = {name, cmd[0], rep[1]};
    pid_t pid = lab_spawn(register_elsewhere, &r);
    const char *line = read_line(rep[0], 5.0);
    lab_assert(strcmp(line, "R") == 0, NOTE("notification-by-signal"),
               "another process calls nq_watch_signal(q, SIGUSR1, NULL) on "
               "a queue nobody watches\n  expected: it succeeds\n  got:     "
               " %s", line[0] ? line : "no answer within 5 s");

    errno = 0;
    lab_assert_fails_with(nq_watch_thread(q, never_called, NULL), EBUSY,
                          NOTE("one-registration-per-queue"),
                          "nq_watch_thread while another process is "
                          "registered");
    errno = 0;
    lab_assert_fails_with(nq_watch_signal(q, SIGUSR2, NULL), EBUSY,
                          NOTE("one-registration-per-queue"),
                          "nq_watch_signal while another process is "
                          "registered");

    cr_assert(write(cmd[1], "u", 1) == 1, "grader: write failed");
    line = read_line(rep[0], 5.0);
    lab_assert(strcmp(line, "U") == 0, NOTE("cancelling-with-null"),
               "the other process calls nq_unwatch(q) on its own "
               "registration\n  expected: 0\n  got:      %s\n  likely:   %s",
               line[0] ? line : "no answer within 5 s",
               strstr(line, "EBUSY")
                   ? "a SIGEV_NONE registration is still a registration: "
                     "cancel with mq_notify(q, NULL)"
                   : "see the errno above");
    lab_assert_ok(nq_watch_thread(q, never_called, NULL),
                  NOTE("cancelling-with-null"),
                  "nq_watch_thread after the other process's nq_unwatch");
    lab_assert_ok(nq_unwatch(q), NOTE("cancelling-with-null"),
                  "nq_unwatch on this process's own registration");
    lab_assert_ok(nq_watch_thread(q, never_called, NULL),
                  NOTE("cancelling-with-null"),
                  "nq_watch_thread again after nq_unwatch\n  likely:   "
                  "nq_unwatch left a registration in place");
    lab_assert_ok(nq_unwatch(q), NOTE("cancelling-with-null"), "nq_unwatch");
    cr_assert(write(cmd[1], "x", 1) == 1, "grader: write failed");
    int status = 0;
    lab_wait_pid(pid, 5.0, &status);
    mq_close(q);
}

/* ---- thread mode ------------------------------------------------------ */

LAB_TEST(thread, messages_queued_before_start_are_received, 8)
{
    inbox_init(&box);
    const char *name = lab_name("early");
    must_open(&consumer, name, 8, 32, &box);
    mqd_t w = must_open_writer(name);
    must_send(w, "q0");
    must_send(w, "q1");
    must_send(w, "q2");
    must_start_thread(&consumer);
    /* Those three trigger no notification: the queue was never empty
     * after the registration. Only the start's own drain takes them. */
    int got = inbox_count(&box);
    lab_assert(got == 3 && consumer.received == 3,
               NOTE("only-the-empty-to-non-empty-transition"),
               "three messages queued, then nq_start_thread\n  expected: all"
               " three handled before nq_start_thread returns\n  got:      "
               "%d handled (received %ld)\n  likely:   no drain after "
               "registering: messages already there never trigger a "
               "notification", got, consumer.received);
    lab_assert(strcmp(box.text[0], "q0") == 0 && strcmp(box.text[2], "q2") == 0,
               NOTE("only-the-empty-to-non-empty-transition"),
               "expected: q0, q1, q2 in order\n  got:      %s, %s, %s",
               box.text[0], box.text[1], box.text[2]);
    mq_close(w);
    nq_close(&consumer);
}

LAB_TEST(thread, re_registers_before_handling_a_message, 8)
{
    inbox_init(&box);
    const char *name = lab_name("again");
    must_open(&consumer, name, 8, 32, &box);
    box.probe = mq_open(name, O_RDONLY | O_NONBLOCK);
    lab_assert_ok(box.probe, NOTE("creating-the-queue"), "grader: mq_open");
    mqd_t w = must_open_writer(name);
    must_start_thread(&consumer);

    must_send(w, "first");
    lab_assert(wait_count(&box, 1, 5.0), NOTE("notification-by-thread"),
               "nq_start_thread on an empty queue, then one message\n  "
               "expected: the handler called for it, from a notification "
               "thread\n  got:      nothing within 5 s");
    pthread_mutex_lock(&box.m);
    int unregistered = box.unregistered, probe_errno = box.probe_errno;
    pthread_mutex_unlock(&box.m);
    cr_assert(probe_errno == 0, "grader: the probe failed: %s",
              lab_errno_name(probe_errno));
    lab_assert(unregistered == 0,
               NOTE("one-shot-register-again-before-draining"),
               "while the handler ran for \"first\", this test tried to "
               "register on the queue\n  expected: EBUSY, since the "
               "consumer has registered again before draining\n  got:      "
               "the queue had no registration\n  likely:   the notification "
               "function drains without registering again, or registers only "
               "after the drain (a message arriving in between is never "
               "notified)");

    /* The first notification used the registration up. */
    must_send(w, "second");
    lab_assert(wait_count(&box, 2, 3.0),
               NOTE("one-shot-register-again-before-draining"),
               "a second message, after the first was handled\n  expected: "
               "the handler called for it too\n  got:      nothing within 3 "
               "s\n  likely:   a registration serves one notification only; "
               "the notification function must register again");
    mq_close(w);
    mq_close(box.probe);
    box.probe = (mqd_t)-1;
    nq_close(&consumer);
}


LAB_TEST_TIMEOUT(thread, a_burst_from_several_producers_is_received_in_full, 12, 15.0)
{
    inbox_init(&box);
    const char *name = lab_name("burst");
    must_open(&consumer, name, 10, 32, &box);
    must_start_thread(&consumer);
    int go[2];
    cr_assert(pipe(go) == 0, "grader: pipe failed");
    struct producer p[PRODUCERS];
    pid_t pid[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        p[i] = (struct producer){name, i, go[0]};
        pid[i] = lab_spawn(produce, &p[i]);
    }
    lab_assert(wait_count(&box, PRODUCERS * BURST, 5.0),
               NOTE("one-shot-register-again-before-draining"),
               "%d producers each sending %d messages at once, queue of 10"
               "\n  expected: all %d handled\n  got:      %d within 5 s\n  "
               "likely:   after a notification the consumer did not register"
               " again, or stopped draining before EAGAIN", PRODUCERS, BURST,
               PRODUCERS * BURST, inbox_count(&box));
    cr_assert(write(go[1], "gggg", PRODUCERS) == PRODUCERS,
              "grader: write failed");
    lab_assert(wait_count(&box, 2 * PRODUCERS * BURST, 5.0),
               NOTE("one-shot-register-again-before-draining"),
               "a second burst, once the queue was empty and all of the "
               "first handled\n  expected: %d handled in all\n  got:      %d "
               "within 5 s\n  likely:   the registration was used up and not"
               " renewed", 2 * PRODUCERS * BURST, inbox_count(&box));
    lab_assert(!box.wrong[0], NOTE("never-block-in-the-consumer"),
               "expected: each producer's messages once each, in order\n  "
               "got:      %s", box.wrong);
    for (int i = 0; i < PRODUCERS; i++) {
        int status = 0;
        int ended = lab_wait_pid(pid[i], 5.0, &status);
        lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0,
                   NOTE("notification-by-thread"),
                   "producer %d\n  expected: it sends everything and exits 0"
                   "\n  got:      %s", i,
                   ended ? lab_describe_status(status) : "still running");
    }
    /* received is the consumer's, guarded by its lock: the handler has
     * returned, but the drain may not have counted yet. */
    pthread_mutex_lock(&consumer.lock);
    long received = consumer.received;
    pthread_mutex_unlock(&consumer.lock);
    lab_assert(received == 2 * PRODUCERS * BURST,
               NOTE("notification-by-thread"),
               "expected: received %d\n  got:      %ld",
               2 * PRODUCERS * BURST, received);
    nq_close(&consumer);
}

LAB_TEST(thread, close_deregisters_closes_and_removes_the_queue, 5)
{
    inbox_init(&box);
    const char *name = lab_name("close");
    must_open(&consumer, name, 4, 32, &box);
    must_start_thread(&consumer);
    mqd_t q = consumer.q;
    /* Counted after the start: glibc opens one netlink socket for all of
     * the process's SIGEV_THREAD notifications, and keeps it. */
    int fds = lab_open_fd_count() - 1;
    errno = 0;
    int rc = nq_close(&consumer);
    int saved = errno;
    lab_assert(rc == 0, NOTE("stopping-safely"),
               "nq_close on a started consumer\n  expected: 0\n  got:      "
               "%d, errno %s\n  likely:   %s", rc, lab_errno_name(saved),
               saved == EBUSY ? "a SIGEV_NONE registration is still a "
                                "registration: cancel with mq_notify(q, NULL)"
                              : lab_errno_hint(saved));
    lab_assert(consumer.stopped, NOTE("stopping-safely"),
               "after nq_close\n  expected: stopped set, so that a late "
               "notification thread leaves at once\n  got:      stopped 0");
    lab_assert(fcntl(q, F_GETFD) == -1 && errno == EBADF, NOTE("cleaning-up"),
               "after nq_close\n  expected: the queue's descriptor closed\n "
               " got:      still open");
    lab_assert(!lab_queue_exists(name), NOTE("cleaning-up"),
               "after nq_close\n  expected: %s removed\n  got:      it still"
               " exists", name);
    lab_assert(consumer.buf == NULL && lab_open_fd_count() == fds, NOTE("cleaning-up"),
               "after nq_close\n  expected: buf freed and NULL, %d "
               "descriptors open, one fewer than before\n  got:      buf %p,"
               " %d open", fds, (void *)consumer.buf, lab_open_fd_count());
}
