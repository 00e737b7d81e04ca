/* test_thread.c - lab 09: nq_open, the three mq_notify calls, and the
 * consumer in thread mode (SIGEV_THREAD), in the test process. */
#include "lab_fault.h"
#include "lab_test.h"
#include "notify_queue.h"
#include "producers.h"

#include <errno.h>
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

LAB_TEST(open, creates_the_queue_non_blocking_with_the_given_sizes, 5)
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

LAB_TEST(watch, a_second_registrant_gets_ebusy_until_the_first_unwatches, 5)
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

LAB_TEST(thread, messages_queued_before_start_are_received, 5)
{
    inbox_init(&box);
    const char *name = lab_name("early");
    must_open(&consumer, name, 8, 32, &box);
    mqd_t w = must_open_writer(name);
    must_send(w, "q0");
    must_send(w, "q1");
    must_send(w, "q2");
    box.probe = mq_open(name, O_RDONLY | O_NONBLOCK);
    lab_assert_ok(box.probe, NOTE("creating-the-queue"), "grader: mq_open");
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
    pthread_mutex_lock(&box.m);
    int unregistered = box.unregistered, probe_errno = box.probe_errno;
    pthread_mutex_unlock(&box.m);
    cr_assert(probe_errno == 0, "grader: the probe failed: %s",
              lab_errno_name(probe_errno));
    lab_assert(unregistered == 0,
               NOTE("only-the-empty-to-non-empty-transition"),
               "while the handler ran for the messages queued before "
               "nq_start_thread, this test tried to register on the queue\n"
               "  expected: EBUSY, since nq_start_thread registers first and"
               " only then drains\n  got:      the queue had no "
               "registration\n  likely:   the drain comes before "
               "nq_watch_thread: a message arriving between the two is never"
               " notified");
    mq_close(w);
    mq_close(box.probe);
    box.probe = (mqd_t)-1;
    nq_close(&consumer);
}

LAB_TEST(thread, re_registers_before_handling_a_message, 6)
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


LAB_TEST_TIMEOUT(thread, a_burst_from_several_producers_is_received_in_full, 8, 15.0)
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

LAB_TEST(thread, close_deregisters_closes_and_removes_the_queue, 4)
{
    inbox_init(&box);
    const char *name = lab_name("close");
    unsigned blocks = lab_fault_live_blocks();
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
    lab_assert(lab_fault_live_blocks() == blocks, NOTE("cleaning-up"),
               "after nq_close\n  expected: every block nq_open allocated "
               "freed\n  got:      %u block(s) still allocated\n  likely:  "
               " c->buf set to NULL without free(c->buf) first",
               lab_fault_live_blocks() - blocks);
}

/* ---- the documented errors, and what a failure leaves ------------------ */

/* Fills NAME with a name of LEN characters: BASE (or, if SLASH is 0, BASE
 * without its '/'), then 'x' up to LEN. */
static void long_name(char *name, size_t len, const char *base, int slash)
{
    const char *from = slash ? base : base + 1;
    size_t keep = strlen(from) < len ? strlen(from) : len;
    memcpy(name, from, keep);
    memset(name + keep, 'x', len - keep);
    name[len] = '\0';
}

LAB_TEST(open, a_name_of_nq_name_max_characters_or_more_gets_enametoolong, 3)
{
    inbox_init(&box);
    const char *base = lab_name("long");
    static struct nq_consumer c;
    char name[NQ_NAME_MAX + 64];
    static const struct { size_t len; int slash; } cases[] = {
        {NQ_NAME_MAX, 1}, {NQ_NAME_MAX + 40, 1}, {NQ_NAME_MAX, 0},
    };
    int fds = lab_open_fd_count();
    unsigned blocks = lab_fault_live_blocks();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long_name(name, cases[i].len, base, cases[i].slash);
        errno = 0;
        lab_assert_fails_with(nq_open(&c, name, 4, 32, collect, &box),
                              ENAMETOOLONG, NOTE("when-a-call-fails"),
                              "nq_open with a name of %zu characters (%s "
                              "'/'), NQ_NAME_MAX being %d\n  (a name of "
                              "NQ_NAME_MAX characters or more does not fit in"
                              " c->name: check strlen(name) before anything "
                              "else, mq_open included)", cases[i].len,
                              cases[i].slash ? "starting with" : "without",
                              NQ_NAME_MAX);
    }
    lab_assert(lab_open_fd_count() == fds && lab_fault_live_blocks() == blocks,
               NOTE("when-a-call-fails"),
               "three nq_open calls failing with ENAMETOOLONG\n  expected: "
               "nothing left behind\n  got:      %d descriptors open (%d "
               "before), %u blocks allocated and not freed (%u before)",
               lab_open_fd_count(), fds, lab_fault_live_blocks(), blocks);

    /* The longest name that fits: '/' and 255 characters. */
    long_name(name, NQ_NAME_MAX - 1, base, 1);
    errno = 0;
    int rc = nq_open(&c, name, 4, 32, collect, &box);
    int saved = errno;
    int copied = rc == 0 && strcmp(c.name, name) == 0;
    if (rc == 0)
        nq_close(&c);
    mq_unlink(name);      /* lab_name does not know this name: no leftover */
    lab_assert(rc == 0, NOTE("when-a-call-fails"),
               "nq_open with a name of %d characters ('/' and 255), the "
               "longest that fits in NQ_NAME_MAX\n  expected: success\n  "
               "got:      -1, errno %s\n  likely:   an off-by-one in the "
               "length check: only NQ_NAME_MAX characters or more are too "
               "long", NQ_NAME_MAX - 1, lab_errno_name(saved));
    lab_assert(copied, NOTE("creating-the-queue"),
               "nq_open with a name of %d characters\n  expected: the whole "
               "name copied into c->name\n  got:      it differs",
               NQ_NAME_MAX - 1);
}

/* The calls nq_open may make that can fail, and the errno each fails
 * with here: every one is tried as the first, second, ... of its kind. */
static const struct {
    enum lab_fault_call call;
    int err;
} open_faults[] = {
    {LAB_FAULT_MQ_OPEN, EMFILE},
    {LAB_FAULT_MQ_GETATTR, EBADF},
    {LAB_FAULT_MALLOC, ENOMEM},
    {LAB_FAULT_CALLOC, ENOMEM},
    {LAB_FAULT_REALLOC, ENOMEM},
    {LAB_FAULT_PTHREAD_MUTEX_INIT, EAGAIN},
};
#define OPEN_FAULTS (sizeof open_faults / sizeof open_faults[0])

LAB_TEST(open, a_failing_call_leaves_nothing_behind, 4)
{
    inbox_init(&box);
    const char *name = lab_name("fails");
    /* A clean run first: how many calls of each kind does it make? */
    lab_fault_reset();
    must_open(&consumer, name, 4, 32, &box);
    unsigned calls[OPEN_FAULTS];
    for (size_t i = 0; i < OPEN_FAULTS; i++)
        calls[i] = lab_fault_calls(open_faults[i].call);
    lab_assert_ok(nq_close(&consumer), NOTE("cleaning-up"),
                  "nq_close after nq_open");
    static struct nq_consumer c;
    for (size_t i = 0; i < OPEN_FAULTS; i++) {
        for (unsigned n = 1; n <= calls[i]; n++) {
            int fds = lab_open_fd_count();
            lab_fault_reset();
            unsigned blocks = lab_fault_live_blocks();
            lab_fault_fail(open_faults[i].call, n, open_faults[i].err,
                           LAB_FAULT_ONCE);
            errno = 0;
            int rc = nq_open(&c, name, 4, 32, collect, &box);
            int saved = errno;
            char what[160];
            snprintf(what, sizeof what, "%s",
                     lab_fault_describe());
            unsigned injected = lab_fault_injected();
            lab_fault_reset();
            if (injected == 0) {
                /* This run took another path: nothing was made to fail. */
                if (rc == 0)
                    nq_close(&c);
                continue;
            }
            lab_assert(rc == -1 && saved == open_faults[i].err,
                       NOTE("when-a-call-fails"),
                       "nq_open, when %s\n  expected: -1 with errno %s, as "
                       "the failing call left it\n  got:      %d%s%s\n  "
                       "likely:   %s", what,
                       lab_errno_name(open_faults[i].err), rc,
                       rc == -1 ? ", errno " : "",
                       rc == -1 ? lab_errno_name(saved) : "",
                       rc == -1 && open_faults[i].call ==
                                       LAB_FAULT_PTHREAD_MUTEX_INIT
                           ? "pthread_mutex_init returns its error instead "
                             "of setting errno: put it in errno"
                       : rc == -1 ? "errno was overwritten on the way out (by "
                                    "mq_close or mq_unlink): save it first"
                                : "the failure was not noticed; a "
                                  "pthread_* function returns its error "
                                  "instead of setting errno");
            lab_assert(lab_fault_live_blocks() == blocks,
                       NOTE("when-a-call-fails"),
                       "nq_open failed when %s\n  expected: the memory it "
                       "took freed\n  got:      %u block(s) not freed",
                       what, lab_fault_live_blocks() - blocks);
            lab_assert(lab_open_fd_count() == fds, NOTE("when-a-call-fails"),
                       "nq_open failed when %s\n  expected: no descriptor "
                       "left open\n  got:      %d open, %d before\n  "
                       "likely:   mq_close missing on that error path",
                       what, lab_open_fd_count(), fds);
            lab_assert(!lab_queue_exists(name), NOTE("when-a-call-fails"),
                       "nq_open failed when %s\n  expected: the queue it "
                       "created removed again\n  got:      %s still exists"
                       "\n  likely:   mq_unlink missing on that error path",
                       what, name);
        }
    }
}

LAB_TEST(watch, each_mq_notify_error_is_reported, 3)
{
    const char *name = lab_name("errors");
    struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 32};
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    lab_assert_ok(q, NOTE("one-registration-per-queue"), "grader: mq_open");
    errno = 0;
    lab_assert_fails_with(nq_watch_signal(q, 1000, NULL), EINVAL,
                          NOTE("notification-by-signal"),
                          "nq_watch_signal(q, 1000, NULL): no such signal");
    lab_assert_ok(nq_watch_thread(q, never_called, NULL),
                  NOTE("notification-by-thread"),
                  "nq_watch_thread on a queue nobody watches");
    errno = 0;
    lab_assert_fails_with(nq_watch_thread(q, never_called, NULL), EBUSY,
                          NOTE("one-registration-per-queue"),
                          "nq_watch_thread again, this process being "
                          "registered already");
    errno = 0;
    lab_assert_fails_with(nq_watch_signal(q, SIGUSR2, NULL), EBUSY,
                          NOTE("one-registration-per-queue"),
                          "nq_watch_signal, this process being registered "
                          "already (by thread)");
    lab_assert_ok(nq_unwatch(q), NOTE("cancelling-with-null"), "nq_unwatch");

    /* Not a queue: the read end of a pipe. */
    int p[2];
    cr_assert(pipe(p) == 0, "grader: pipe failed");
    errno = 0;
    lab_assert_fails_with(nq_watch_signal((mqd_t)p[0], SIGUSR1, NULL), EBADF,
                          NOTE("when-a-call-fails"),
                          "nq_watch_signal on a pipe's descriptor");
    errno = 0;
    lab_assert_fails_with(nq_watch_thread((mqd_t)p[0], never_called, NULL),
                          EBADF, NOTE("when-a-call-fails"),
                          "nq_watch_thread on a pipe's descriptor");
    errno = 0;
    lab_assert_fails_with(nq_unwatch((mqd_t)p[0]), EBADF,
                          NOTE("when-a-call-fails"),
                          "nq_unwatch on a pipe's descriptor");
    close(p[0]);
    close(p[1]);
    mq_close(q);
}

LAB_TEST(drain, a_receive_error_other_than_eagain_returns_minus_one, 2)
{
    inbox_init(&box);
    const char *name = lab_name("drainerr");
    must_open(&consumer, name, 8, 32, &box);
    mqd_t w = must_open_writer(name);
    must_send(w, "d0");
    must_send(w, "d1");
    must_send(w, "d2");
    /* The second receive fails, whichever receive call the drain uses. */
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_MQ_RECEIVE, 2, EBADF, LAB_FAULT_ONCE);
    lab_fault_fail(LAB_FAULT_MQ_TIMEDRECEIVE, 2, EBADF, LAB_FAULT_ONCE);
    errno = 0;
    long n = nq_drain(&consumer);
    int saved = errno;
    char what[160];
    snprintf(what, sizeof what, "%s",
             lab_fault_describe());
    lab_fault_reset();
    lab_assert(n == -1 && saved == EBADF, NOTE("never-block-in-the-consumer"),
               "nq_drain on three messages, when %s\n  expected: -1 with "
               "errno EBADF (only EAGAIN ends a drain normally)\n  got:     "
               " %ld, errno %s", what, n, lab_errno_name(saved));
    int got = inbox_count(&box);
    lab_assert(got == 1 && consumer.received == 1,
               NOTE("never-block-in-the-consumer"),
               "nq_drain, when %s\n  expected: the first message handed to "
               "the handler and counted (received 1)\n  got:      %d "
               "handled, received %ld", what, got, consumer.received);
    n = nq_drain(&consumer);
    lab_assert(n == 2, NOTE("never-block-in-the-consumer"),
               "nq_drain again, the two other messages still queued\n  "
               "expected: 2\n  got:      %ld, errno %s", n,
               lab_errno_name(errno));
    mq_close(w);
    nq_close(&consumer);
}

/* 1 if the consumer's lock is free now (and leaves it free). */
static int lock_is_free(struct nq_consumer *c)
{
    if (pthread_mutex_trylock(&c->lock) != 0)
        return 0;
    pthread_mutex_unlock(&c->lock);
    return 1;
}

LAB_TEST(thread, start_reports_a_failure_and_releases_the_lock, 3)
{
    inbox_init(&box);
    const char *name = lab_name("startfail");
    must_open(&consumer, name, 8, 32, &box);
    mqd_t w = must_open_writer(name);
    must_send(w, "s0");

    /* Someone (this process, on another descriptor) is registered. */
    mqd_t probe = mq_open(name, O_RDONLY | O_NONBLOCK);
    lab_assert_ok(probe, NOTE("creating-the-queue"), "grader: mq_open");
    struct sigevent none;
    memset(&none, 0, sizeof none);
    none.sigev_notify = SIGEV_NONE;
    lab_assert_ok(mq_notify(probe, &none), NOTE("one-registration-per-queue"),
                  "grader: mq_notify");
    errno = 0;
    lab_assert_fails_with(nq_start_thread(&consumer), EBUSY,
                          NOTE("when-a-call-fails"),
                          "nq_start_thread while another registration is in "
                          "place\n  (whether it drains first is up to you; "
                          "errno must still be mq_notify's)");
    lab_assert(lock_is_free(&consumer), NOTE("when-a-call-fails"),
               "nq_start_thread failed with EBUSY\n  expected: c->lock "
               "released\n  got:      still locked\n  likely:   an early "
               "return between pthread_mutex_lock and pthread_mutex_unlock");
    lab_assert_ok(mq_notify(probe, NULL), NOTE("cancelling-with-null"),
                  "grader: mq_notify(NULL)");

    /* The lock cannot be taken. */
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_PTHREAD_MUTEX_LOCK, 1, EINVAL, LAB_FAULT_ONCE);
    errno = 0;
    int rc = nq_start_thread(&consumer);
    int saved = errno;
    char what[160];
    snprintf(what, sizeof what, "%s",
             lab_fault_describe());
    lab_fault_reset();
    nq_unwatch(consumer.q);   /* in case it registered all the same */
    lab_assert(rc == -1 && saved == EINVAL, NOTE("when-a-call-fails"),
               "nq_start_thread, when %s\n  expected: -1 with errno EINVAL"
               "\n  got:      %d, errno %s\n  likely:   pthread_mutex_lock "
               "returns its error: put it in errno", what, rc,
               lab_errno_name(saved));

    /* The drain fails, after a successful registration. */
    must_send(w, "s1");
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_MQ_RECEIVE, 1, EBADF, LAB_FAULT_ONCE);
    lab_fault_fail(LAB_FAULT_MQ_TIMEDRECEIVE, 1, EBADF, LAB_FAULT_ONCE);
    errno = 0;
    rc = nq_start_thread(&consumer);
    saved = errno;
    snprintf(what, sizeof what, "%s",
             lab_fault_describe());
    lab_fault_reset();
    lab_assert(rc == -1 && saved == EBADF, NOTE("when-a-call-fails"),
               "nq_start_thread, when %s\n  expected: -1 with errno EBADF"
               "\n  got:      %d, errno %s\n  likely:   %s", what, rc,
               lab_errno_name(saved),
               rc == -1 ? "errno overwritten before returning (by the "
                          "unlock?): save it"
                        : "the drain's result was not checked");
    lab_assert(lock_is_free(&consumer), NOTE("when-a-call-fails"),
               "nq_start_thread failed in its drain\n  expected: c->lock "
               "released\n  got:      still locked");
    mq_close(probe);
    mq_close(w);
    nq_close(&consumer);
}

/* nq_close's failures: which calls fail, and the errno nq_close must
 * report (the first failure's, in the order unwatch, close, unlink). */
static const struct close_case {
    enum lab_fault_call call[2];
    int err[2];
    int want;
} close_cases[] = {
    {{LAB_FAULT_MQ_NOTIFY, LAB_FAULT_CALLS}, {ENOMEM, 0}, ENOMEM},
    {{LAB_FAULT_MQ_CLOSE, LAB_FAULT_CALLS}, {EBADF, 0}, EBADF},
    {{LAB_FAULT_MQ_UNLINK, LAB_FAULT_CALLS}, {EACCES, 0}, EACCES},
    {{LAB_FAULT_MQ_NOTIFY, LAB_FAULT_MQ_CLOSE}, {ENOMEM, EBADF}, ENOMEM},
    {{LAB_FAULT_MQ_CLOSE, LAB_FAULT_MQ_UNLINK}, {EBADF, EACCES}, EBADF},
    {{LAB_FAULT_MQ_NOTIFY, LAB_FAULT_MQ_UNLINK}, {ENOMEM, EACCES}, ENOMEM},
};

LAB_TEST(thread, close_goes_on_after_a_failure_and_reports_the_first, 4)
{
    inbox_init(&box);
    static struct nq_consumer cs[sizeof close_cases / sizeof close_cases[0]];
    for (size_t i = 0; i < sizeof close_cases / sizeof close_cases[0]; i++) {
        const struct close_case *k = &close_cases[i];
        struct nq_consumer *c = &cs[i];
        const char *name = lab_name("closefail");
        unsigned blocks = lab_fault_live_blocks();
        must_open(c, name, 4, 32, &box);
        must_start_thread(c);
        mqd_t q = c->q;
        int fds = lab_open_fd_count();
        lab_fault_reset();
        for (int j = 0; j < 2 && k->call[j] != LAB_FAULT_CALLS; j++)
            lab_fault_fail(k->call[j], 1, k->err[j], LAB_FAULT_ONCE);
        errno = 0;
        int rc = nq_close(c);
        int saved = errno;
        char what[200];
        if (k->call[1] == LAB_FAULT_CALLS)
            snprintf(what, sizeof what, "%s",
                     lab_fault_describe());
        else
            snprintf(what, sizeof what, "%s failed with %s and %s with %s "
                     "(injected by the grader)",
                     lab_fault_name(k->call[0]), lab_errno_name(k->err[0]),
                     lab_fault_name(k->call[1]), lab_errno_name(k->err[1]));
        lab_fault_reset();
        int closed = fcntl(q, F_GETFD) == -1;
        int named = lab_queue_exists(name);
        lab_assert(rc == -1 && saved == k->want, NOTE("stopping-safely"),
                   "nq_close on a started consumer, when %s\n  expected: -1 "
                   "with errno %s, the first failure's (in the order "
                   "nq_unwatch, mq_close, mq_unlink)\n  got:      %d%s%s\n"
                   "  likely:   %s", what, lab_errno_name(k->want), rc,
                   rc == -1 ? ", errno " : "",
                   rc == -1 ? lab_errno_name(saved) : "",
                   rc == -1 ? "a later step overwrote the first error: keep "
                              "the first one and restore it at the end"
                            : "a failure was not noticed");
        lab_assert(c->stopped && closed && c->buf == NULL &&
                       lab_fault_live_blocks() == blocks &&
                       lab_open_fd_count() == fds - 1,
                   NOTE("cleaning-up"),
                   "nq_close, when %s\n  expected: it goes on: stopped set, "
                   "the queue closed, the buffer freed and NULL\n  got:      "
                   "stopped %d, the descriptor %s, buf %p, %u block(s) not "
                   "freed", what, c->stopped, closed ? "closed" : "open",
                   (void *)c->buf, lab_fault_live_blocks() - blocks);
        lab_assert(named == (k->call[0] == LAB_FAULT_MQ_UNLINK ||
                             k->call[1] == LAB_FAULT_MQ_UNLINK),
                   NOTE("cleaning-up"),
                   "nq_close, when %s\n  expected: the name removed (after "
                   "any failure before mq_unlink)\n  got:      %s still "
                   "exists", what, name);
        lab_assert(lock_is_free(c), NOTE("stopping-safely"),
                   "nq_close, when %s\n  expected: c->lock released at the "
                   "end (not destroyed)\n  got:      still locked: a late "
                   "notification thread would wait forever", what);
    }

    /* The lock cannot be taken: report its error (going on or not). */
    const char *name = lab_name("closelock");
    static struct nq_consumer c;
    must_open(&c, name, 4, 32, &box);
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_PTHREAD_MUTEX_LOCK, 1, EINVAL, LAB_FAULT_ONCE);
    errno = 0;
    int rc = nq_close(&c);
    int saved = errno;
    lab_fault_reset();
    if (c.buf != NULL)
        nq_close(&c);   /* it stopped at the lock: finish the job */
    lab_assert(rc == -1 && saved == EINVAL, NOTE("stopping-safely"),
               "nq_close, when the 1st pthread_mutex_lock failed with EINVAL "
               "(injected by the grader)\n  expected: -1 with errno EINVAL"
               "\n  got:      %d, errno %s\n  likely:   pthread_mutex_lock "
               "returns its error instead of setting errno", rc,
               lab_errno_name(saved));
}
