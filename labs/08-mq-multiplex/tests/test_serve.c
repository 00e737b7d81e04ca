/* test_serve.c - lab 08: the server loops, mux_serve_select and
 * mux_serve_poll, against producer processes. Every scenario runs once
 * per loop: suite "select" and suite "poll". */
/* MAP_ANONYMOUS, for the guard page under the server struct. */
#define _DEFAULT_SOURCE
#include "lab_test.h"
#include "mq_multiplex.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOTE(anchor) "08-mq-multiplex.md#" anchor

/* How long the server is left alone to show it sleeps, and how much CPU
 * it may burn meanwhile. A loop that polls burns about a second per
 * second; one that sleeps, a few milliseconds in all. */
#define IDLE_SECONDS 1.0
#define IDLE_CPU_LIMIT 0.1

typedef int (*serve_fn)(struct mux_server *, mux_handler, void *);

static const char *loop_name(serve_fn serve)
{
    return serve == mux_serve_poll ? "mux_serve_poll" : "mux_serve_select";
}

static const char *wait_note(serve_fn serve)
{
    return serve == mux_serve_poll ? NOTE("waiting-with-poll")
                                   : NOTE("waiting-with-select");
}

static void must_open(struct mux_server *s, const char *const names[],
                      int count, long maxmsg, long msgsize)
{
    lab_assert_ok(mux_open(s, names, count, maxmsg, msgsize),
                  NOTE("creating-the-inputs"),
                  "mux_open(s, {\"%s\", ...}, %d, %ld, %ld)", names[0], count,
                  maxmsg, msgsize);
}

static mqd_t must_open_writer(const char *name)
{
    mqd_t w = mq_open(name, O_WRONLY);
    lab_assert_ok(w, NOTE("creating-the-inputs"),
                  "a producer's mq_open(\"%s\", O_WRONLY) after mux_open",
                  name);
    return w;
}

static void must_send(mqd_t w, const char *text)
{
    lab_assert_ok(mq_send(w, text, strlen(text), 0), NOTE("the-end-marker"),
                  "grader: mq_send(%s)", lab_quote(text, (long)strlen(text)));
}

/* ---- several producers, each its own process ------------------------- */

struct producer {
    const char *name;
    int id;
    int count;            /* messages to send; 0: paced, see below     */
    int unlink_halfway;   /* plays an operator removing the name        */
    int pace;             /* read end: one byte per message, 's' = stop */
};

/* Sends "p<id> <n>" for n = 0, 1, ..., then the end marker. A paced
 * producer sends its next message only when the server's handler has
 * handled the last one, and stops when told: its input is then sure to
 * end after the others, which makes every loop meet an ended input
 * while another is still live. */
static int produce(void *arg)
{
    const struct producer *p = arg;
    mqd_t w = mq_open(p->name, O_WRONLY);
    if (w == (mqd_t)-1)
        return 1;
    for (int n = 0; p->count == 0 || n < p->count; n++) {
        char text[32];
        int len = snprintf(text, sizeof text, "p%d %d", p->id, n);
        if (mq_send(w, text, (size_t)len, 0) == -1)
            return 2;
        if (p->unlink_halfway && n == p->count / 2 && mq_unlink(p->name) == -1)
            return 3;
        char next = 'n';
        if (p->count == 0 && read(p->pace, &next, 1) != 1)
            return 4;
        if (next == 's')
            break;
    }
    if (mq_send(w, "", 0, 0) == -1)
        return 5;
    return mq_close(w) == -1 ? 6 : 0;
}

struct tally {
    const struct mux_server *s;
    int pace;             /* write end to the paced producer 2 */
    int got[3];
    char wrong[160];
    int after_end;        /* input 2's messages handled once only it was live */
};

static void check_order(void *ctx, int input, const char *msg, size_t len)
{
    struct tally *t = ctx;
    char want[32];
    if (input < 0 || input > 2) {
        if (!t->wrong[0])
            snprintf(t->wrong, sizeof t->wrong, "a message for input %d",
                     input);
        return;
    }
    int wlen = snprintf(want, sizeof want, "p%d %d", input, t->got[input]);
    if (!t->wrong[0] && ((size_t)wlen != len || memcmp(want, msg, len) != 0))
        snprintf(t->wrong, sizeof t->wrong, "input %d: expected %s, got %s",
                 input, lab_quote(want, wlen), lab_quote(msg, (long)len));
    t->got[input]++;
    if (input == 2) {
        /* Producer 2 goes on until inputs 0 and 1 have ended, and then for
         * more than a budget's worth of messages: so the loop surely
         * waits again (a new round) with two ended inputs, whatever the
         * timing. Stopping at once let a fast producer end input 2 within
         * the same drain, and a loop that still watched the ended inputs
         * then passed on an idle machine. */
        if (t->s->live == 1)
            t->after_end++;
        char next = t->after_end > MUX_BUDGET ? 's' : 'n';
        if (write(t->pace, &next, 1) != 1 && !t->wrong[0])
            snprintf(t->wrong, sizeof t->wrong, "grader: pacing failed");
    }
}

static void serves_every_queue(serve_fn serve)
{
    const char *names[3] = {lab_name("p0"), lab_name("p1"), lab_name("p2")};
    struct mux_server s;
    must_open(&s, names, 3, 4, 64);
    int pace[2];
    cr_assert(pipe(pace) == 0, "grader: pipe failed");
    /* More messages than a queue holds, so producers block and
     * interleave; producer 1 also removes its queue's name halfway. */
    struct producer p[3] = {{names[0], 0, 10, 0, -1},
                            {names[1], 1, 25, 1, -1},
                            {names[2], 2, 0, 0, pace[0]}};
    pid_t pid[3];
    for (int i = 0; i < 3; i++)
        pid[i] = lab_spawn(produce, &p[i]);
    close(pace[0]);

    struct tally t = {&s, pace[1], {0}, "", 0};
    errno = 0;
    int rc = serve(&s, check_order, &t);
    int saved = errno;
    close(pace[1]);
    lab_assert(rc == 0, wait_note(serve),
               "%s with 3 producers, inputs 0 and 1 ending before input 2"
               "\n  expected: 0 once every producer sent its end marker\n  "
               "got:      %d, errno %s\n  likely:   %s", loop_name(serve),
               rc, lab_errno_name(saved),
               saved == EBADF ? "the descriptor of an ended input is still "
                                "watched"
                              : lab_errno_hint(saved));
    lab_assert(!t.wrong[0], NOTE("readiness-then-a-non-blocking-drain"),
               "%s\n  expected: each input's messages in the order sent\n  "
               "got:      %s", loop_name(serve), t.wrong);
    lab_assert(t.got[0] == 10 && t.got[1] == 25 && t.got[2] >= 1,
               wait_note(serve),
               "%s\n  expected: 10, 25 and at least 1 message handled\n  "
               "got:      %d, %d and %d", loop_name(serve), t.got[0],
               t.got[1], t.got[2]);
    for (int i = 0; i < 3; i++) {
        int status = 0;
        int ended = lab_wait_pid(pid[i], 5.0, &status);
        lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0,
                   wait_note(serve),
                   "producer %d\n  expected: it sends everything and exits "
                   "0\n  got:      %s", i,
                   ended ? lab_describe_status(status) : "still running");
    }
    mux_close(&s);
}

/* ---- a busy input must not starve a quiet one ------------------------ */

struct starve {
    mqd_t busy_w, quiet_w;
    int busy_seen;        /* messages of the busy input handled      */
    int quiet_at;         /* busy_seen when the quiet one was handled */
    int busy_ended;
};

/* Each message of the busy input puts another in its place, so it never
 * runs dry by itself; it ends once the quiet input has been served (or
 * after 100, so a starving loop still finishes). */
static void refill(void *ctx, int input, const char *msg, size_t len)
{
    struct starve *t = ctx;
    (void)msg;
    (void)len;
    if (input == 1) {
        t->quiet_at = t->busy_seen;
        mq_send(t->quiet_w, "", 0, 0);
        return;
    }
    t->busy_seen++;
    if (t->quiet_at < 0 && t->busy_seen < 100) {
        mq_send(t->busy_w, "again", 5, 0);
    } else if (!t->busy_ended) {
        t->busy_ended = 1;
        mq_send(t->busy_w, "", 0, 0);
    }
}

static void busy_does_not_starve(serve_fn serve)
{
    const char *names[2] = {lab_name("busy"), lab_name("quiet")};
    struct mux_server s;
    must_open(&s, names, 2, 4, 32);
    struct starve t = {must_open_writer(names[0]), must_open_writer(names[1]),
                       0, -1, 0};
    must_send(t.busy_w, "again");
    must_send(t.quiet_w, "hello");

    errno = 0;
    int rc = serve(&s, refill, &t);
    int saved = errno;
    lab_assert(rc == 0, wait_note(serve),
               "%s with a busy and a quiet input\n  expected: 0 once both "
               "ended\n  got:      %d, errno %s\n  likely:   %s",
               loop_name(serve), rc, lab_errno_name(saved),
               saved == EBADF ? "the descriptor of an ended input is still "
                                "watched"
                              : lab_errno_hint(saved));
    lab_assert(t.quiet_at >= 0 && t.quiet_at <= MUX_BUDGET,
               NOTE("fairness-a-budget-per-input"),
               "%s; both inputs ready at the start, the busy one refilled "
               "after every message\n  expected: the quiet input served "
               "after at most MUX_BUDGET (%d) messages of the busy one\n  "
               "got:      %s\n  likely:   each ready queue is drained until"
               " it is empty before the next one gets a turn",
               loop_name(serve), MUX_BUDGET,
               t.quiet_at < 0 ? "never served"
                              : lab_fmt("served after %d", t.quiet_at));
    mq_close(t.busy_w);
    mq_close(t.quiet_w);
    mux_close(&s);
}

/* ---- a server that sleeps: run in a child, its CPU time measured ------ */

struct child_server {
    struct mux_server *s;
    serve_fn serve;
    int report;           /* write end: one byte per message handled */
};

static void report_input(void *ctx, int input, const char *msg, size_t len)
{
    const struct child_server *c = ctx;
    char b = (char)('0' + input);
    (void)msg;
    (void)len;
    if (write(c->report, &b, 1) != 1)
        _exit(20);
}

/* The server process: "R" and exit 0 once every input ended, or "E" and
 * the errno on the report pipe, exit 1. */
static int run_server(void *arg)
{
    struct child_server *c = arg;
    int rc = c->serve(c->s, report_input, c);
    char line[32];
    int len = rc == 0 ? snprintf(line, sizeof line, "R")
                      : snprintf(line, sizeof line, "E%d", errno);
    if (write(c->report, line, (size_t)len) != len)
        return 21;
    return rc == 0 ? 0 : 1;
}

struct server_run {
    pid_t pid;
    int from;             /* read end of the report pipe */
    char seen[256];
    size_t len;
    double idle_cpu;      /* the server's CPU seconds over the idle window */
};

static void start_server(struct server_run *r, struct child_server *c)
{
    int fd[2];
    cr_assert(pipe(fd) == 0, "grader: pipe failed");
    c->report = fd[1];
    memset(r, 0, sizeof *r);
    r->pid = lab_spawn(run_server, c);
    close(fd[1]);
    r->from = fd[0];
}

static int occurrences(const struct server_run *r, char want)
{
    int n = 0;
    for (size_t i = 0; i < r->len; i++)
        n += r->seen[i] == want;
    return n;
}

/* Reads reports until WANT has been seen TIMES times or SECONDS passed. */
static int wait_report(struct server_run *r, char want, int times,
                       double seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (occurrences(r, want) < times) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        double left = seconds - (double)(now.tv_sec - start.tv_sec) -
                      (double)(now.tv_nsec - start.tv_nsec) / 1e9;
        struct pollfd pfd = {.fd = r->from, .events = POLLIN};
        if (left <= 0 || poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
            return 0;
        ssize_t n = read(r->from, r->seen + r->len,
                         sizeof r->seen - 1 - r->len);
        if (n <= 0)
            return 0;
        r->len += (size_t)n;
    }
    return 1;
}

/* CPU seconds (user + system) process PID has used so far, from
 * /proc/PID/stat; -1 if it is gone. */
static double cpu_of(pid_t pid)
{
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *ok = fgets(line, sizeof line, f);
    fclose(f);
    char *p = ok ? strrchr(line, ')') : NULL;
    unsigned long utime = 0, stime = 0;
    /* After the name: state, then fields 4..13, then utime and stime. */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                     "%lu %lu", &utime, &stime) != 2)
        return -1;
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* The queues stay empty for IDLE_SECONDS while the server waits; its CPU
 * time over exactly that span is kept. Measured on the server alone and
 * only while nothing happens, the check does not depend on what the
 * server does before or after, nor on how busy the machine is otherwise
 * (a spinning loop stays runnable and is charged whenever it runs). */
static void idle_window(struct server_run *r)
{
    double before = cpu_of(r->pid);
    /* Not a synchronisation: the span over which the CPU is measured. */
    struct timespec t = {(time_t)IDLE_SECONDS,
                         (long)((IDLE_SECONDS - (time_t)IDLE_SECONDS) * 1e9)};
    while (nanosleep(&t, &t) == -1 && errno == EINTR)
        ;
    double after = cpu_of(r->pid);
    r->idle_cpu = before >= 0 && after >= 0 ? after - before : 0;
}

/* Waits for the server to end and checks it did, cleanly, without
 * burning CPU while its queues were empty. */
static void finish_server(struct server_run *r, serve_fn serve,
                          const char *setting)
{
    int status = 0;
    int ended = lab_wait_pid(r->pid, 5.0, &status);
    wait_report(r, 'R', 1, 0.5);
    if (r->len > 0 && r->seen[r->len - 1] != 'R')
        wait_report(r, 'E', 1, 0.5);
    double cpu = r->idle_cpu;
    const char *err = memchr(r->seen, 'E', r->len);
    lab_assert(ended, wait_note(serve),
               "%s, %s\n  expected: it returns once every input sent its "
               "end marker\n  got:      still running 5 s later; it handled"
               " messages of inputs %s\n  likely:   %s", loop_name(serve),
               setting, lab_quote(r->seen, (long)r->len),
               serve == mux_serve_poll
                   ? "an input is never drained, or an ended input is still "
                     "watched"
                   : "nfds must be the highest descriptor + 1, and the set "
                     "must be rebuilt before every select()");
    lab_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, wait_note(serve),
               "%s, %s\n  expected: 0 once every input ended\n  got:      "
               "%s%s\n  likely:   %s", loop_name(serve), setting,
               err ? "-1, errno " : lab_describe_status(status),
               err ? lab_errno_name(atoi(err + 1)) : "",
               err && atoi(err + 1) == EBADF
                   ? "the descriptor of an ended input is still watched"
                   : "see the errno above");
    lab_assert(cpu < IDLE_CPU_LIMIT, NOTE("never-busy-wait"),
               "%s, %s, and the queues empty for %.1f s\n  expected: the "
               "server sleeps (less than %.2f s of CPU over that span)\n  got:      "
               "%.2f s of CPU\n  likely:   a zero timeout (select with "
               "{0, 0}, poll with 0) makes the wait return at once: the "
               "loop spins", loop_name(serve), setting, IDLE_SECONDS,
               IDLE_CPU_LIMIT, cpu);
    close(r->from);
}

static void sleeps_while_idle(serve_fn serve)
{
    const char *names[2] = {lab_name("idle0"), lab_name("idle1")};
    struct mux_server s;
    must_open(&s, names, 2, 4, 32);
    mqd_t w0 = must_open_writer(names[0]);
    mqd_t w1 = must_open_writer(names[1]);
    struct child_server c = {&s, serve, -1};
    struct server_run r;
    start_server(&r, &c);

    /* Handshake: the server has handled a first message, so it is up. */
    must_send(w0, "first");
    lab_assert(wait_report(&r, '0', 1, 5.0), wait_note(serve),
               "%s in its own process, \"first\" sent to input 0\n  "
               "expected: the handler is called for it\n  got:      nothing "
               "within 5 s (reports %s)", loop_name(serve),
               lab_quote(r.seen, (long)r.len));
    idle_window(&r);
    must_send(w0, "last");
    lab_assert(wait_report(&r, '0', 2, 5.0), wait_note(serve),
               "%s in its own process, after a quiet second, \"last\" sent "
               "to input 0\n  expected: the handler is called for it\n  got:"
               "      nothing within 5 s (reports %s)", loop_name(serve),
               lab_quote(r.seen, (long)r.len));
    /* Both inputs end in the same round: once the server waits again in
     * select or poll, it is frozen while both end markers are queued.
     * Ending one input before the other is what
     * an_ended_input_is_no_longer_watched checks; here it would let the
     * result depend on how the two processes happen to be scheduled. */
    static const long waits[] = {SYS_ppoll, SYS_pselect6,
#ifdef SYS_poll
                                 SYS_poll,
#endif
#ifdef SYS_select
                                 SYS_select,
#endif
    };
    lab_wait_in_syscall(r.pid, waits, (int)(sizeof waits / sizeof waits[0]),
                        5.0);
    kill(r.pid, SIGSTOP);
    must_send(w0, "");
    must_send(w1, "");
    kill(r.pid, SIGCONT);
    finish_server(&r, serve, "two inputs, both ending after a quiet second");
    mq_close(w0);
    mq_close(w1);
    mux_close(&s);
}

static void ended_input_not_watched(serve_fn serve)
{
    const char *names[3] = {lab_name("ends"), lab_name("live1"),
                            lab_name("live2")};
    struct mux_server s;
    must_open(&s, names, 3, 4, 32);
    mqd_t w[3];
    for (int i = 0; i < 3; i++)
        w[i] = must_open_writer(names[i]);
    /* Input 0 ends at once; the others stay quiet a while. */
    must_send(w[0], "only");
    must_send(w[0], "");
    struct child_server c = {&s, serve, -1};
    struct server_run r;
    start_server(&r, &c);
    lab_assert(wait_report(&r, '0', 1, 5.0), wait_note(serve),
               "%s in its own process, input 0 holding \"only\" and its end"
               " marker\n  expected: the handler is called for \"only\"\n  "
               "got:      nothing within 5 s (reports %s)", loop_name(serve),
               lab_quote(r.seen, (long)r.len));
    idle_window(&r);
    for (int i = 1; i < 3; i++) {
        must_send(w[i], "late");
        must_send(w[i], "");
    }
    finish_server(&r, serve, "input 0 ended first, inputs 1 and 2 later");
    lab_assert(memchr(r.seen, '1', r.len) && memchr(r.seen, '2', r.len),
               wait_note(serve),
               "expected: the messages of inputs 1 and 2 handled after input"
               " 0 ended\n  got:      handled inputs %s",
               lab_quote(r.seen, (long)r.len));
    for (int i = 0; i < 3; i++)
        mq_close(w[i]);
    mux_close(&s);
}

/* ---- the edges of in[]: every input, and fewer ------------------------ */

/* What a child reports: 0 if all went right, else which step went wrong. */
enum edge_result {
    EDGE_OK, EDGE_SETUP, EDGE_OPEN, EDGE_SEND, EDGE_SERVE, EDGE_MESSAGES,
    EDGE_CLOSE
};

struct edge {
    serve_fn serve;
    int count;
    const char *names[MUX_MAX_INPUTS];
};

static void tally_inputs(void *ctx, int input, const char *msg, size_t len)
{
    int *got = ctx;  /* got[i]: right messages of input i; got[MAX]: wrong */
    if (input >= 0 && input < MUX_MAX_INPUTS && len == 1 &&
        msg[0] == 'a' + input)
        got[input]++;
    else
        got[MUX_MAX_INPUTS]++;
}

/* Fills the stack below the caller with 0xff bytes: a loop that reads an
 * entry of a local array it never filled then reads 0xff... (every
 * revents bit set), not a lucky 0. Not inlined, so that the serve loop,
 * called next from the same frame, gets the painted bytes. */
static __attribute__((noinline)) void paint_stack(void)
{
    volatile unsigned char bytes[16384];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = 0xff;
}

/* In a child: the server struct placed so that it ends where an
 * inaccessible page begins (a read or write past it is a SIGSEGV), COUNT
 * inputs each holding one message and the end marker, then the loop. */
static int serve_at_the_edge(void *arg)
{
    const struct edge *e = arg;
    long page = sysconf(_SC_PAGESIZE);
    size_t need = (sizeof(struct mux_server) + (size_t)page - 1) /
                  (size_t)page * (size_t)page;
    char *area = mmap(NULL, need + (size_t)page, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED || mprotect(area + need, (size_t)page, PROT_NONE))
        return EDGE_SETUP;
    struct mux_server *s =
        (struct mux_server *)(area + need - sizeof(struct mux_server));
    if (mux_open(s, e->names, e->count, 4, 32) == -1)
        return EDGE_OPEN;
    for (int i = 0; i < e->count; i++) {
        mqd_t w = mq_open(e->names[i], O_WRONLY);
        char text = (char)('a' + i);
        if (w == (mqd_t)-1 || mq_send(w, &text, 1, 0) == -1 ||
            mq_send(w, "", 0, 0) == -1 || mq_close(w) == -1)
            return EDGE_SEND;
    }
    int got[MUX_MAX_INPUTS + 1] = {0};
    paint_stack();
    if (e->serve(s, tally_inputs, got) == -1)
        return EDGE_SERVE;
    for (int i = 0; i < e->count; i++)
        if (got[i] != 1)
            return EDGE_MESSAGES;
    if (got[MUX_MAX_INPUTS] != 0)
        return EDGE_MESSAGES;
    return mux_close(s) == -1 ? EDGE_CLOSE : EDGE_OK;
}

/* Serves MUX_MAX_INPUTS inputs (the whole in[] array, with the struct's
 * end on an inaccessible page), then 3 (with the stack under the loop
 * filled with 0xff): a loop that goes one entry too far, i <= count or
 * i <= MUX_MAX_INPUTS, reads or writes what no input owns. */
static void serves_the_edges(serve_fn serve)
{
    static const int counts[] = {MUX_MAX_INPUTS, 3};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        struct edge e = {serve, counts[c], {NULL}};
        for (int i = 0; i < e.count; i++)
            e.names[i] = lab_name(lab_fmt("edge%d", i));
        pid_t pid = lab_spawn(serve_at_the_edge, &e);
        int status = 0;
        int ended = lab_wait_pid(pid, 8.0, &status);
        for (int i = 0; i < e.count; i++)
            mq_unlink(e.names[i]);  /* whatever the child left */
        static const char *const steps[] = {
            "", "grader: the guard page could not be set up",
            "mux_open failed", "grader: sending to an input failed",
            "the loop returned -1",
            "the handler did not get each input's one message exactly once",
            "mux_close failed"};
        int code = ended && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        lab_assert(code == EDGE_OK, wait_note(serve),
                   "mux_open with %d input(s), one message and the end marker "
                   "in each, then %s, in a child whose struct mux_server ends "
                   "where an inaccessible page begins%s\n  expected: every "
                   "message handled, 0, and a clean mux_close\n  got:      "
                   "%s\n  likely:   a loop over the inputs goes one entry too "
                   "far (i <= count, or i <= MUX_MAX_INPUTS): it reads or "
                   "writes in[%d], or a pollfd it never filled; every loop "
                   "runs i = 0 .. count - 1", e.count, loop_name(serve),
                   c == 1 ? ", the stack under it filled with 0xff" : "",
                   !ended ? "it did not end within 8 s"
                   : code >= 1 && code <= EDGE_CLOSE ? steps[code]
                   : lab_describe_status(status), e.count);
    }
}

/* ---- the tests: each scenario with select(), then with poll() -------- */

LAB_TEST_TIMEOUT(select, serves_every_queue_until_all_streams_end, 4, 20.0)
{
    serves_every_queue(mux_serve_select);
    serves_the_edges(mux_serve_select);
}

LAB_TEST_TIMEOUT(select, a_busy_queue_does_not_starve_the_others, 3, 10.0)
{
    busy_does_not_starve(mux_serve_select);
}

LAB_TEST_TIMEOUT(select, sleeps_while_every_queue_is_empty, 4, 12.0)
{
    sleeps_while_idle(mux_serve_select);
}

LAB_TEST_TIMEOUT(select, an_ended_input_is_no_longer_watched, 3, 12.0)
{
    ended_input_not_watched(mux_serve_select);
}

LAB_TEST_TIMEOUT(poll, serves_every_queue_until_all_streams_end, 4, 20.0)
{
    serves_every_queue(mux_serve_poll);
    serves_the_edges(mux_serve_poll);
}

LAB_TEST_TIMEOUT(poll, a_busy_queue_does_not_starve_the_others, 3, 10.0)
{
    busy_does_not_starve(mux_serve_poll);
}

LAB_TEST_TIMEOUT(poll, sleeps_while_every_queue_is_empty, 4, 12.0)
{
    sleeps_while_idle(mux_serve_poll);
}

LAB_TEST_TIMEOUT(poll, an_ended_input_is_no_longer_watched, 3, 12.0)
{
    ended_input_not_watched(mux_serve_poll);
}
