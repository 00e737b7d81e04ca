/* lab_handshake.h - lines on pipes between a test and a child it spawned.
 *
 * Processes in these tests wait for each other by reading a line, never
 * by sleeping, so a loaded machine changes how long a test takes, not
 * its result. A child reports a failure as one line of text ("fail: ..."
 * or any line other than the one expected) and returns non-zero; the
 * test quotes that line to the student. Header-only and static inline,
 * so a lab's tests/scenario.c (linked without the harness) can use it. */
#ifndef LAB_HANDSHAKE_H
#define LAB_HANDSHAKE_H

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Two pipes: down (test to child) and up (child to test). */
struct handshake {
    int down[2];
    int up[2];
};

/* 0, or -1 with errno if the pipes cannot be made. */
static inline int hs_open(struct handshake *h)
{
    if (pipe(h->down) == -1)
        return -1;
    if (pipe(h->up) == -1) {
        close(h->down[0]);
        close(h->down[1]);
        return -1;
    }
    return 0;
}

/* In the test, after spawning: keep the ends the test uses. */
static inline void hs_parent_side(struct handshake *h)
{
    close(h->down[0]);
    close(h->up[1]);
}

/* In the child, first thing: keep the ends the child uses. */
static inline void hs_child_side(struct handshake *h)
{
    close(h->down[1]);
    close(h->up[0]);
}

/* Writes one line (printf-style, '\n' added) to FD. */
static inline void hs_say(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline void hs_say(int fd, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    for (int done = 0; done < n;) {
        ssize_t w = write(fd, line + done, (size_t)(n - done));
        if (w == -1 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        done += (int)w;
    }
}

static inline double hs_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads one line from FD into BUF (without its '\n'), waiting at most
 * SECONDS. Returns 1 if a whole line came; 0 on end of file, error or
 * deadline, with whatever part came in BUF. */
static inline int hs_read_line(int fd, char *buf, size_t size, double seconds)
{
    double deadline = hs_now() + seconds;
    size_t len = 0;
    buf[0] = '\0';
    for (;;) {
        double left = deadline - hs_now();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r == -1 && errno == EINTR)
            continue;
        if (r <= 0)
            return 0;
        char c;
        ssize_t n = read(fd, &c, 1);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        if (c == '\n')
            return 1;
        if (len + 1 < size) {
            buf[len++] = c;
            buf[len] = '\0';
        }
    }
}

/* Waits for the line WANT on FD. Returns 1 if it came; 0 otherwise, with
 * the line that came instead (a child's failure report) in BUF. */
static inline int hs_expect(int fd, const char *want, char *buf, size_t size,
                            double seconds)
{
    return hs_read_line(fd, buf, size, seconds) && strcmp(buf, want) == 0;
}

#endif
