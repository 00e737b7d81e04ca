/* kid.h - lab 10's tests: child processes that take one-byte commands
 * from the test and answer with lines, over two pipes. Every wait has a
 * deadline; nothing sleeps to synchronise. */
#ifndef KID_H
#define KID_H

#include "lab_test.h"

#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the child sees. */
struct kid_io {
    const char *name;     /* the shm object's name             */
    const char *qname;    /* a queue name for it, or NULL      */
    int id;
    int cmd;              /* read end: commands from the test  */
    int out;              /* write end: lines to the test      */
};

/* What the test keeps. */
struct kid {
    pid_t pid;
    int cmd;              /* write end */
    int from;             /* read end  */
    char got[2048];
    size_t len, at;       /* bytes read, bytes consumed as lines */
    struct kid_io io;
};

static inline double kid_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- in the child ------------------------------------------------------- */

/* Writes one line to the test; returns RC, for `return kid_say(...)`. */
static inline int kid_say(const struct kid_io *io, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline int kid_say(const struct kid_io *io, int rc, const char *fmt, ...)
{
    char line[400];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (len < 0 || len > (int)sizeof line - 2)
        len = (int)sizeof line - 2;
    line[len++] = '\n';
    if (write(io->out, line, (size_t)len) != len)
        _exit(40);
    return rc;
}

/* The next command byte; 0 if the test is gone. */
static inline char kid_command(const struct kid_io *io)
{
    char c = 0;
    if (read(io->cmd, &c, 1) != 1)
        return 0;
    return c;
}

/* ---- in the test ---------------------------------------------------------- */

static inline void kid_start(struct kid *k, int (*fn)(void *), const char *name,
                             const char *qname, int id)
{
    int cmd[2], out[2];
    cr_assert(pipe(cmd) == 0 && pipe(out) == 0, "grader: pipe failed");
    memset(k, 0, sizeof *k);
    k->io = (struct kid_io){name, qname, id, cmd[0], out[1]};
    k->pid = lab_spawn(fn, &k->io);
    close(cmd[0]);
    close(out[1]);
    k->cmd = cmd[1];
    k->from = out[0];
}

static inline void kid_send(struct kid *k, char c)
{
    /* A child that died has closed its end: that is for the next read
     * to report, not a reason to die of SIGPIPE here. */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigaction(SIGPIPE, &ign, &old);
    if (write(k->cmd, &c, 1) != 1) {
        /* reported by the next kid_line */
    }
    sigaction(SIGPIPE, &old, NULL);
}

/* The next line the child wrote, within SECONDS; "" if none. */
static inline const char *kid_line(struct kid *k, double seconds)
{
    double until = kid_now() + seconds;
    for (;;) {
        char *start = k->got + k->at;
        char *nl = memchr(start, '\n', k->len - k->at);
        if (nl) {
            k->at = (size_t)(nl + 1 - k->got);
            return lab_fmt("%.*s", (int)(nl - start), start);
        }
        double left = until - kid_now();
        struct pollfd p = {.fd = k->from, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0)
            return "";
        if (k->len >= sizeof k->got - 1)
            return "";
        ssize_t n = read(k->from, k->got + k->len, sizeof k->got - 1 - k->len);
        if (n <= 0)
            return "";
        k->len += (size_t)n;
        k->got[k->len] = '\0';
    }
}

/* 1 if a line is ready to read now. */
static inline int kid_has_line(struct kid *k)
{
    if (memchr(k->got + k->at, '\n', k->len - k->at))
        return 1;
    struct pollfd p = {.fd = k->from, .events = POLLIN};
    return poll(&p, 1, 0) == 1;
}

/* How the child ended, if it did within SECONDS. */
static inline const char *kid_end(struct kid *k, double seconds)
{
    int status = 0;
    if (!lab_wait_pid(k->pid, seconds, &status))
        return "is still running";
    return lab_describe_status(status);
}

/* LINE quoted, or, when the child said nothing, how it ended. */
static inline const char *kid_said(struct kid *k, const char *line)
{
    if (line[0])
        return lab_quote(line, (long)strlen(line));
    return lab_fmt("nothing; the process %s", kid_end(k, 1.0));
}

/* 1 if the child ended with status 0 within SECONDS. */
static inline int kid_ok(struct kid *k, double seconds)
{
    int status = 0;
    return lab_wait_pid(k->pid, seconds, &status) && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
}

#endif
