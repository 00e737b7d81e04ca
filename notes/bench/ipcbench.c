/* ipcbench.c - how fast are POSIX message queues, shared memory, pipes
 * and Unix domain sockets on this machine?
 *
 * usage: ipcbench [-q] [-o results.csv]
 *   -q          quick mode for tests (also IPCBENCH_QUICK=1): a few
 *               seconds, numbers too rough to quote
 *   -o FILE     write the results as CSV to FILE (default: stdout)
 *
 * For each transport and message size:
 *   one process  send then receive in a single process, nobody waiting:
 *                the cost of the system calls and copies alone
 *   throughput   a parent sends N messages to a child made with fork,
 *                which receives them all and answers with one
 *                acknowledgement; N / elapsed time; both processes'
 *                CPU time and sleeps (getrusage) per message
 *   round trip   the parent sends one message, the child sends it back;
 *                each round trip is timed on its own (ping-pong)
 * In each of 9 rounds every transport and size is measured once, after a
 * warm-up that also sizes the runs (about 0.08 s each); the medians of
 * the rounds are reported. Interleaved rounds spread the noise of a busy
 * machine over all the measurements alike.
 *
 * Transports (the CSV's `transport` column):
 *   mq           one POSIX message queue per direction, mq_send/mq_receive
 *   shm+sem      a ring of slots in a POSIX shm object, with two unnamed
 *                process-shared semaphores in the mapping (items, spaces)
 *   shm+mq       the same ring, notified the course notes' way: one small
 *                message-queue message per slot written
 *   pipe         one pipe per direction, write/read
 *   unix-stream  an AF_UNIX SOCK_STREAM socketpair, write/read
 *
 * The message queue is kept within the stock limits of
 * /proc/sys/fs/mqueue: at most msg_max (10) messages of at most
 * msgsize_max (8192) bytes, which an unprivileged process cannot exceed.
 * Sizes above msgsize_max are reported as skipped for mq. The other
 * transports use the same depth of 10 messages where they have a choice.
 *
 * Every queue and shm object has a unique name (with the pid) and is
 * unlinked as soon as it is open: the processes use the descriptors and
 * mappings they already hold, and nothing is left behind however the
 * program ends. A watchdog (alarm) ends both processes if one hangs.
 *
 * Build: cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror
 *        ipcbench.c -lrt -lpthread
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- error reporting ------------------------------------------------ */

static volatile sig_atomic_t child_pid;        /* in the parent, 0 when none */
static volatile sig_atomic_t child_may_exit;   /* the parent sent QUIT */
static int in_child;

static const char *errno_name(int e)
{
    switch (e) {
    case EACCES: return "EACCES";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EFAULT: return "EFAULT";
    case EINTR: return "EINTR";
    case EINVAL: return "EINVAL";
    case EMFILE: return "EMFILE";
    case EMSGSIZE: return "EMSGSIZE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENFILE: return "ENFILE";
    case ENOENT: return "ENOENT";
    case ENOMEM: return "ENOMEM";
    case ENOSPC: return "ENOSPC";
    case ENOSYS: return "ENOSYS";
    case EPERM: return "EPERM";
    case EPIPE: return "EPIPE";
    case ETIMEDOUT: return "ETIMEDOUT";
    default: return "?";
    }
}

/* Give up: the child just leaves; the parent takes the child with it.
 * Nothing else needs removing: every name was unlinked when opened. */
static _Noreturn void give_up(void)
{
    if (in_child)
        _exit(1);
    if (child_pid > 0) {
        child_may_exit = 1; /* its end is no news now */
        kill((pid_t)child_pid, SIGKILL);
        waitpid((pid_t)child_pid, NULL, 0);
    }
    exit(1);
}

/* A call failed: "ipcbench: ERROR [ENOENT No such file...] mq_open /x" */
static _Noreturn void die(const char *fmt, ...)
{
    int e = errno;
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    fprintf(stderr, "ipcbench%s: ERROR [%s %s] %s\n", in_child ? " (child)" : "",
            errno_name(e), strerror(e), what);
    give_up();
}

/* Something other than a call went wrong. */
static _Noreturn void fail(const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    fprintf(stderr, "ipcbench%s: %s\n", in_child ? " (child)" : "", what);
    give_up();
}

static void say(int fd, const char *s)
{
    ssize_t r = write(fd, s, strlen(s));
    (void)r; /* in a signal handler: nothing better to do if it fails */
}

static void on_alarm(int sig)
{
    (void)sig;
    say(2, "ipcbench: watchdog: a measurement hung; giving up\n");
    if (!in_child && child_pid > 0)
        kill((pid_t)child_pid, SIGKILL);
    _exit(3);
}

static void on_child(int sig)
{
    (void)sig;
    if (child_may_exit)
        return;
    say(2, "ipcbench: the child process ended early (see its message above)\n");
    _exit(1);
}

static void handle(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    if (sigemptyset(&sa.sa_mask) == -1)
        die("sigemptyset");
    sa.sa_flags = SA_RESTART;
    if (sigaction(sig, &sa, NULL) == -1)
        die("sigaction %d", sig);
}

static void *xmalloc(size_t n)
{
    void *p = NULL;
    int e = posix_memalign(&p, 64, n);
    if (e != 0) {
        errno = e;
        die("posix_memalign %zu", n);
    }
    memset(p, 0, n);
    return p;
}

/* ---- time and resources --------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
        die("clock_gettime");
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct usage {
    double user_s, sys_s;  /* CPU time */
    double sleeps;         /* voluntary context switches: the process blocked */
};

static struct usage usage_now(void)
{
    struct rusage ru;
    struct usage u;
    if (getrusage(RUSAGE_SELF, &ru) == -1)
        die("getrusage");
    u.user_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
    u.sys_s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    u.sleeps = (double)ru.ru_nvcsw;
    return u;
}

static struct usage usage_since(struct usage a)
{
    struct usage b = usage_now();
    b.user_s -= a.user_s;
    b.sys_s -= a.sys_s;
    b.sleeps -= a.sleeps;
    return b;
}

/* ---- the transports ------------------------------------------------- */

enum kind { K_MQ, K_SHM_SEM, K_SHM_MQ, K_PIPE, K_UNIX, K_COUNT };

static const char *const kind_name[K_COUNT] = {
    "mq", "shm+sem", "shm+mq", "pipe", "unix-stream",
};

/* One direction of a shared-memory link: the header, then the slots. The
 * two semaphores sit on separate cache lines so that the producer's and
 * the consumer's counters do not share one. */
struct ring {
    _Alignas(64) sem_t items;   /* shm+sem: slots written, not yet read */
    _Alignas(64) sem_t spaces;  /* shm+sem: slots free for the writer */
};
#define RING_HDR ((sizeof(struct ring) + 63) / 64 * 64)

/* Both directions of a link between the parent and the child.
 * Direction 0 is parent -> child, direction 1 child -> parent. */
struct link {
    enum kind kind;
    size_t size;          /* bytes per message */
    unsigned depth;       /* messages in flight (mq capacity, ring slots) */
    mqd_t mq[2];          /* mq: the data; shm+mq: the notifications */
    int pfd[2][2];        /* pipe: pfd[dir][0] read end, [1] write end */
    int sv[2];            /* unix-stream: sv[0] parent's end, sv[1] child's */
    unsigned char *map;   /* shm: both rings */
    size_t maplen;
    struct ring *ring[2];
    unsigned nslots;
    uint64_t wpos[2], rpos[2];  /* this process's position in each ring */
};

static long proc_long(const char *path, long dflt)
{
    FILE *f = fopen(path, "r");
    long v;
    if (!f)
        return dflt;
    if (fscanf(f, "%ld", &v) != 1)
        v = dflt;
    fclose(f);
    return v;
}

/* Between creating a name and removing it, hold back every signal that
 * could end the process (all but SIGKILL and SIGSTOP), so that no name
 * can be left behind. */
static void hold_signals(int hold, sigset_t *old)
{
    sigset_t all;
    if (sigfillset(&all) == -1)
        die("sigfillset");
    if (sigprocmask(hold ? SIG_BLOCK : SIG_SETMASK, hold ? &all : old, hold ? old : NULL) == -1)
        die("sigprocmask");
}

static char *unique_name(void)
{
    static unsigned n;
    static char name[64];
    snprintf(name, sizeof name, "/ipcbench.%ld.%u", (long)getpid(), n++);
    return name;
}

/* A queue nobody else can see: created, then its name removed at once. */
static mqd_t private_queue(long maxmsg, long msgsize)
{
    struct mq_attr attr;
    const char *name = unique_name();
    sigset_t old;
    mqd_t q;
    memset(&attr, 0, sizeof attr);
    attr.mq_maxmsg = maxmsg;
    attr.mq_msgsize = msgsize;
    hold_signals(1, &old);
    q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    if (q == (mqd_t)-1)
        die("mq_open %s (maxmsg %ld, msgsize %ld)", name, maxmsg, msgsize);
    if (mq_unlink(name) == -1)
        die("mq_unlink %s", name);
    hold_signals(0, &old);
    return q;
}

static unsigned char *slot(struct link *l, int dir, uint64_t pos)
{
    return (unsigned char *)l->ring[dir] + RING_HDR + (pos % l->nslots) * l->size;
}

static void link_open(struct link *l, enum kind kind, size_t size, unsigned depth)
{
    memset(l, 0, sizeof *l);
    l->kind = kind;
    l->size = size;
    l->depth = depth;
    switch (kind) {
    case K_MQ:
        for (int d = 0; d < 2; d++)
            l->mq[d] = private_queue((long)depth, (long)size);
        break;
    case K_SHM_SEM:
    case K_SHM_MQ: {
        /* shm+sem: `spaces` stops the writer when all slots are full.
         * shm+mq has no such counter: the queue holds at most `depth`
         * notifications, so when the writer fills slot i, the reader has
         * received notification i-depth-1 and finished copying slot
         * i-depth-2. A ring of 2*depth slots is therefore never overwritten
         * while it is being read. */
        const char *name = unique_name();
        sigset_t old;
        size_t ring_len;
        int fd;
        l->nslots = kind == K_SHM_SEM ? depth : 2 * depth;
        ring_len = RING_HDR + (size_t)l->nslots * size;
        l->maplen = 2 * ring_len;
        hold_signals(1, &old);
        fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd == -1)
            die("shm_open %s", name);
        if (shm_unlink(name) == -1)
            die("shm_unlink %s", name);
        hold_signals(0, &old);
        if (ftruncate(fd, (off_t)l->maplen) == -1)
            die("ftruncate %s to %zu bytes", name, l->maplen);
        l->map = mmap(NULL, l->maplen, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (l->map == MAP_FAILED)
            die("mmap %s (%zu bytes)", name, l->maplen);
        if (close(fd) == -1) /* the mapping keeps the object */
            die("close %s", name);
        for (int d = 0; d < 2; d++) {
            l->ring[d] = (struct ring *)(l->map + (size_t)d * ring_len);
            if (kind == K_SHM_SEM) {
                if (sem_init(&l->ring[d]->items, 1, 0) == -1)
                    die("sem_init items");
                if (sem_init(&l->ring[d]->spaces, 1, l->nslots) == -1)
                    die("sem_init spaces");
            } else {
                l->mq[d] = private_queue((long)depth, (long)sizeof(uint64_t));
            }
            /* Touch every page now, so no page fault lands in a measurement. */
            memset(slot(l, d, 0), 0, (size_t)l->nslots * size);
        }
        break;
    }
    case K_PIPE:
        for (int d = 0; d < 2; d++)
            if (pipe(l->pfd[d]) == -1)
                die("pipe");
        break;
    case K_UNIX:
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, l->sv) == -1)
            die("socketpair AF_UNIX SOCK_STREAM");
        break;
    case K_COUNT:
        break;
    }
}

static void xclose(int fd, const char *what)
{
    if (fd >= 0 && close(fd) == -1)
        die("close %s", what);
}

/* After fork: drop the ends this side does not use. A pipe or socket
 * reports end-of-file only when every write end is closed. */
static void link_side(struct link *l, int child)
{
    if (l->kind == K_PIPE) {
        xclose(l->pfd[0][child ? 1 : 0], "pipe end");
        xclose(l->pfd[1][child ? 0 : 1], "pipe end");
        l->pfd[0][child ? 1 : 0] = -1;
        l->pfd[1][child ? 0 : 1] = -1;
    } else if (l->kind == K_UNIX) {
        xclose(l->sv[child ? 0 : 1], "socket end");
        l->sv[child ? 0 : 1] = -1;
    }
}

/* Release what this process holds. The parent, last, also destroys the
 * semaphores (the child has ended by then). */
static void link_close(struct link *l, int child)
{
    switch (l->kind) {
    case K_MQ:
    case K_SHM_MQ:
        for (int d = 0; d < 2; d++)
            if (mq_close(l->mq[d]) == -1)
                die("mq_close");
        if (l->kind == K_MQ)
            break;
        /* fall through */
    case K_SHM_SEM:
        if (l->kind == K_SHM_SEM && !child)
            for (int d = 0; d < 2; d++)
                if (sem_destroy(&l->ring[d]->items) == -1 ||
                    sem_destroy(&l->ring[d]->spaces) == -1)
                    die("sem_destroy");
        if (munmap(l->map, l->maplen) == -1)
            die("munmap");
        break;
    case K_PIPE:
        for (int d = 0; d < 2; d++)
            for (int e = 0; e < 2; e++)
                xclose(l->pfd[d][e], "pipe end");
        break;
    case K_UNIX:
        xclose(l->sv[0], "socket end");
        xclose(l->sv[1], "socket end");
        break;
    case K_COUNT:
        break;
    }
}

static void write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w == -1) {
            if (errno == EINTR)
                continue;
            die("write");
        }
        p += w;
        n -= (size_t)w;
    }
}

static void read_all(int fd, unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r == -1) {
            if (errno == EINTR)
                continue;
            die("read");
        }
        if (r == 0)
            fail("the other process closed its end (it probably failed)");
        p += r;
        n -= (size_t)r;
    }
}

static void sem_wait_r(sem_t *s)
{
    while (sem_wait(s) == -1)
        if (errno != EINTR)
            die("sem_wait");
}

/* Send one message of l->size bytes in direction dir. */
static void xsend(struct link *l, int dir, const unsigned char *buf)
{
    switch (l->kind) {
    case K_MQ:
        while (mq_send(l->mq[dir], (const char *)buf, l->size, 0) == -1)
            if (errno != EINTR)
                die("mq_send (%zu bytes)", l->size);
        break;
    case K_SHM_SEM: {
        struct ring *r = l->ring[dir];
        sem_wait_r(&r->spaces);
        memcpy(slot(l, dir, l->wpos[dir]++), buf, l->size);
        if (sem_post(&r->items) == -1) /* also publishes the bytes */
            die("sem_post");
        break;
    }
    case K_SHM_MQ: {
        uint64_t pos = l->wpos[dir]++;
        memcpy(slot(l, dir, pos), buf, l->size);
        /* The bytes must be in memory before the notification is. */
        atomic_thread_fence(memory_order_release);
        while (mq_send(l->mq[dir], (const char *)&pos, sizeof pos, 0) == -1)
            if (errno != EINTR)
                die("mq_send (notification)");
        break;
    }
    case K_PIPE:
        write_all(l->pfd[dir][1], buf, l->size);
        break;
    case K_UNIX:
        write_all(l->sv[dir], buf, l->size);
        break;
    case K_COUNT:
        break;
    }
}

/* Receive one message of l->size bytes from direction dir into buf. */
static void xrecv(struct link *l, int dir, unsigned char *buf)
{
    switch (l->kind) {
    case K_MQ: {
        ssize_t n;
        while ((n = mq_receive(l->mq[dir], (char *)buf, l->size, NULL)) == -1)
            if (errno != EINTR)
                die("mq_receive");
        if ((size_t)n != l->size)
            fail("mq_receive: %zd bytes, expected %zu", n, l->size);
        break;
    }
    case K_SHM_SEM: {
        struct ring *r = l->ring[dir];
        sem_wait_r(&r->items);
        memcpy(buf, slot(l, dir, l->rpos[dir]++), l->size);
        if (sem_post(&r->spaces) == -1)
            die("sem_post");
        break;
    }
    case K_SHM_MQ: {
        uint64_t pos;
        ssize_t n;
        while ((n = mq_receive(l->mq[dir], (char *)&pos, sizeof pos, NULL)) == -1)
            if (errno != EINTR)
                die("mq_receive (notification)");
        if (n != (ssize_t)sizeof pos || pos != l->rpos[dir])
            fail("notification for slot %llu, expected %llu",
                 (unsigned long long)pos, (unsigned long long)l->rpos[dir]);
        atomic_thread_fence(memory_order_acquire);
        memcpy(buf, slot(l, dir, l->rpos[dir]++), l->size);
        break;
    }
    case K_PIPE:
        read_all(l->pfd[dir][0], buf, l->size);
        break;
    case K_UNIX:
        read_all(l->sv[1 - dir], buf, l->size);
        break;
    case K_COUNT:
        break;
    }
}

/* ---- the protocol between parent and child -------------------------- */

/* The first 64 bytes of every message; the rest is filler. */
struct hdr {
    uint32_t cmd;
    uint32_t spare;
    uint64_t arg;        /* a count, or a sequence number */
    double usage[6];     /* ACK: the child's CPU use for the run */
};
enum { CMD_TPUT = 1, CMD_READY, CMD_DATA, CMD_ACK, CMD_LAT, CMD_PING, CMD_QUIT };

static void put_hdr(unsigned char *buf, uint32_t cmd, uint64_t arg)
{
    struct hdr h;
    memset(&h, 0, sizeof h);
    h.cmd = cmd;
    h.arg = arg;
    memcpy(buf, &h, sizeof h);
}

static struct hdr get_hdr(const unsigned char *buf)
{
    struct hdr h;
    memcpy(&h, buf, sizeof h);
    return h;
}

static void expect(const unsigned char *buf, uint32_t cmd, uint64_t arg)
{
    struct hdr h = get_hdr(buf);
    if (h.cmd != cmd || h.arg != arg)
        fail("protocol: got message %u/%llu, expected %u/%llu: data lost or reordered",
             h.cmd, (unsigned long long)h.arg, cmd, (unsigned long long)arg);
}

static void child_main(struct link *l)
{
    unsigned char *buf = xmalloc(l->size);
    for (;;) {
        struct hdr h;
        xrecv(l, 0, buf);
        h = get_hdr(buf);
        if (h.cmd == CMD_QUIT)
            break;
        if (h.cmd == CMD_TPUT) {
            struct usage u0 = usage_now(), u;
            put_hdr(buf, CMD_READY, h.arg);
            xsend(l, 1, buf);
            for (uint64_t i = 0; i < h.arg; i++) {
                xrecv(l, 0, buf);
                expect(buf, CMD_DATA, i);
            }
            u = usage_since(u0);
            put_hdr(buf, CMD_ACK, h.arg);
            h = get_hdr(buf);
            h.usage[0] = u.user_s;
            h.usage[1] = u.sys_s;
            h.usage[2] = u.sleeps;
            memcpy(buf, &h, sizeof h);
            xsend(l, 1, buf);
        } else if (h.cmd == CMD_LAT) {
            for (uint64_t i = 0; i < h.arg; i++) {
                xrecv(l, 0, buf);
                expect(buf, CMD_PING, i);
                xsend(l, 1, buf); /* the same bytes back */
            }
        } else {
            fail("protocol: unexpected command %u", h.cmd);
        }
    }
    free(buf);
}

/* One throughput run of n messages: returns messages per second and adds
 * both processes' CPU use to *cpu. */
static double tput_run(struct link *l, unsigned char *buf, uint64_t n, struct usage *cpu)
{
    struct usage u0, u;
    struct hdr ack;
    double t0, t1;
    put_hdr(buf, CMD_TPUT, n);
    xsend(l, 0, buf);
    xrecv(l, 1, buf);
    expect(buf, CMD_READY, n);
    u0 = usage_now();
    t0 = now_s();
    for (uint64_t i = 0; i < n; i++) {
        put_hdr(buf, CMD_DATA, i);
        xsend(l, 0, buf);
    }
    xrecv(l, 1, buf);
    t1 = now_s();
    u = usage_since(u0);
    expect(buf, CMD_ACK, n);
    ack = get_hdr(buf);
    if (cpu) {
        cpu->user_s += u.user_s + ack.usage[0];
        cpu->sys_s += u.sys_s + ack.usage[1];
        cpu->sleeps += u.sleeps + ack.usage[2];
    }
    return (double)n / (t1 - t0);
}

/* n timed round trips; their times (seconds) go to rtt[]. */
static void lat_run(struct link *l, unsigned char *buf, uint64_t n, double *rtt)
{
    put_hdr(buf, CMD_LAT, n);
    xsend(l, 0, buf);
    for (uint64_t i = 0; i < n; i++) {
        double t0 = now_s();
        put_hdr(buf, CMD_PING, i);
        xsend(l, 0, buf);
        xrecv(l, 1, buf);
        rtt[i] = now_s() - t0;
        expect(buf, CMD_PING, i);
    }
}

/* ---- statistics ----------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value below which a fraction q of the samples lie (nearest rank);
 * sorts v. */
static double quantile(double *v, size_t n, double q)
{
    size_t k;
    qsort(v, n, sizeof *v, cmp_double);
    k = (size_t)(q * (double)n + 0.999999);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return v[k - 1];
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static uint64_t clamp_u64(double x, uint64_t lo, uint64_t hi)
{
    if (!(x >= (double)lo))
        return lo;
    if (x > (double)hi)
        return hi;
    return (uint64_t)x;
}

/* ---- the plan and the results --------------------------------------- */

#define MAX_ROUNDS 15

struct plan {
    int rounds;           /* each (transport, size) is measured once a round */
    uint64_t warm_msgs;   /* warm-up throughput run, every round */
    double tput_s;        /* aimed duration of one throughput run */
    uint64_t tput_min, tput_max;
    uint64_t warm_pings;  /* warm-up round trips, every round */
    double lat_s;         /* aimed duration of one latency run */
    uint64_t lat_min, lat_max;
    double solo_s;        /* aimed duration of one same-process run */
    unsigned watchdog;    /* seconds for one transport and size, one round */
};

struct result {
    enum kind kind;
    size_t size;
    char status[96];      /* "ok" or "skipped: why" */
    double msgs[MAX_ROUNDS], pings[MAX_ROUNDS];  /* the size of each run */
    double total_msgs;                 /* in all throughput runs */
    double mps[MAX_ROUNDS];            /* messages per second */
    double med[MAX_ROUNDS], p99[MAX_ROUNDS], min[MAX_ROUNDS]; /* round trip, s */
    double solo[MAX_ROUNDS];           /* one process, seconds per message */
    struct usage cpu;                  /* both processes, all throughput runs */
};

/* Send and receive in one process, nobody waiting: what a message costs
 * in system calls and copies alone. Returns seconds per message: the
 * median over batches of 32 messages, each timed on its own, so that the
 * moments when another program had the CPU do not count. Pipes
 * and sockets write without blocking and read back whatever went in, so
 * that a pipe smaller than the message cannot block the process on
 * itself. */
static double solo_run(struct link *l, unsigned char *buf, unsigned char *rbuf, uint64_t n)
{
    enum { BATCH = 32 };
    uint64_t nb = (n + BATCH - 1) / BATCH, i = 0;
    double *t = xmalloc(sizeof(double) * (size_t)nb), res;
    for (uint64_t b = 0; b < nb; b++) {
        double t0 = now_s();
        for (int k = 0; k < BATCH; k++, i++) {
            put_hdr(buf, CMD_DATA, i);
            if (l->kind == K_PIPE || l->kind == K_UNIX) {
                int wfd = l->kind == K_PIPE ? l->pfd[0][1] : l->sv[0];
                int rfd = l->kind == K_PIPE ? l->pfd[0][0] : l->sv[1];
                size_t off = 0;
                while (off < l->size) {
                    ssize_t w = write(wfd, buf + off, l->size - off);
                    if (w == -1) {
                        if (errno == EINTR)
                            continue;
                        die("write");
                    }
                    read_all(rfd, rbuf + off, (size_t)w);
                    off += (size_t)w;
                }
            } else {
                xsend(l, 0, buf);
                xrecv(l, 0, rbuf);
            }
            expect(rbuf, CMD_DATA, i);
        }
        t[b] = (now_s() - t0) / BATCH;
    }
    res = median(t, (size_t)nb);
    free(t);
    return res;
}

static void set_nonblock(int fd, int on)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl == -1)
        die("fcntl F_GETFL");
    fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
    if (fcntl(fd, F_SETFL, fl) == -1)
        die("fcntl F_SETFL");
}

/* One round for one transport and size: a same-process run, then a child,
 * a warm-up, one throughput run and one latency run. Round 0 also decides
 * how many messages a run has, from what its warm-up saw. */
static void measure_round(struct result *res, int round, unsigned depth, const struct plan *p)
{
    struct link l;
    size_t size = res->size;
    unsigned char *buf = xmalloc(size), *rbuf = xmalloc(size);
    double *rtt;
    uint64_t nbuf = p->warm_pings > p->lat_max ? p->warm_pings : p->lat_max;
    uint64_t n, npings;
    pid_t pid, parent;
    int status;

    for (size_t i = 0; i < size; i++)
        buf[i] = (unsigned char)i;
    rtt = xmalloc(sizeof(double) * (size_t)nbuf);
    link_open(&l, res->kind, size, depth);
    alarm(p->watchdog);

    /* 1. One process alone. */
    if (l.kind == K_PIPE)
        set_nonblock(l.pfd[0][1], 1);
    if (l.kind == K_UNIX)
        set_nonblock(l.sv[0], 1);
    n = clamp_u64(p->solo_s / solo_run(&l, buf, rbuf, p->warm_msgs / 2 + 1), p->tput_min,
                  p->tput_max);
    res->solo[round] = solo_run(&l, buf, rbuf, n);
    if (l.kind == K_PIPE)
        set_nonblock(l.pfd[0][1], 0);
    if (l.kind == K_UNIX)
        set_nonblock(l.sv[0], 0);
    /* Every message sent was received: the semaphores and queues are as
     * new. Only the ring positions moved; the child starts from 0. */
    memset(l.wpos, 0, sizeof l.wpos);
    memset(l.rpos, 0, sizeof l.rpos);

    /* 2. Two processes. */
    fflush(NULL); /* or the child would write the parent's buffers again */
    child_may_exit = 0;
    parent = getpid();
    pid = fork();
    if (pid == -1)
        die("fork");
    if (pid == 0) {
        in_child = 1;
#ifdef __linux__
        /* End with the parent, however it ends (Linux only; elsewhere the
         * watchdog does it, later). */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
            die("prctl PR_SET_PDEATHSIG");
        if (getppid() != parent)
            _exit(1); /* the parent ended before prctl */
#endif
        alarm(p->watchdog);
        link_side(&l, 1);
        child_main(&l);
        link_close(&l, 1);
        _exit(0);
    }
    child_pid = pid;
    link_side(&l, 0);

    /* Warm up (caches, page tables, the scheduler's view of both
     * processes), and size the runs from what the warm-up saw: the
     * number of round trips from their mean, not their median, so that
     * a slow tail on a busy machine cannot stretch the run. */
    {
        double rate = tput_run(&l, buf, p->warm_msgs, NULL), sum = 0;
        lat_run(&l, buf, p->warm_pings, rtt);
        for (uint64_t i = 0; i < p->warm_pings; i++)
            sum += rtt[i];
        n = clamp_u64(rate * p->tput_s, p->tput_min, p->tput_max);
        npings = clamp_u64(p->lat_s / (sum / (double)p->warm_pings), p->lat_min, p->lat_max);
    }
    res->msgs[round] = (double)n;
    res->pings[round] = (double)npings;
    res->total_msgs += (double)n;
    res->mps[round] = tput_run(&l, buf, n, &res->cpu);
    lat_run(&l, buf, npings, rtt);
    res->med[round] = quantile(rtt, npings, 0.5);
    res->p99[round] = quantile(rtt, npings, 0.99);
    res->min[round] = rtt[0]; /* sorted by quantile() */

    child_may_exit = 1;
    put_hdr(buf, CMD_QUIT, 0);
    xsend(&l, 0, buf);
    while (waitpid(pid, &status, 0) == -1)
        if (errno != EINTR)
            die("waitpid");
    child_pid = 0;
    alarm(0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail("the child process failed (status 0x%x)", (unsigned)status);
    link_close(&l, 0);
    free(rtt);
    free(rbuf);
    free(buf);
}

/* What goes into the CSV: medians over the rounds. */
struct summary {
    double mps, mps_min, mps_max, rtt_med, rtt_p99, rtt_min, solo;
    double cpu_per_msg, sys_pct, sleeps_per_msg, msgs_per_run, pings_per_run;
};

static struct summary summarize(const struct result *r, int rounds)
{
    struct summary s;
    double v[MAX_ROUNDS], msgs = r->total_msgs;
    double total = r->cpu.user_s + r->cpu.sys_s;
    memcpy(v, r->mps, sizeof v);
    s.mps = median(v, (size_t)rounds);
    s.mps_min = v[0];
    s.mps_max = v[rounds - 1];
    memcpy(v, r->med, sizeof v);
    s.rtt_med = median(v, (size_t)rounds);
    memcpy(v, r->p99, sizeof v);
    s.rtt_p99 = median(v, (size_t)rounds);
    memcpy(v, r->min, sizeof v);
    s.rtt_min = quantile(v, (size_t)rounds, 0);
    memcpy(v, r->solo, sizeof v);
    s.solo = median(v, (size_t)rounds);
    s.cpu_per_msg = total / msgs;
    s.sys_pct = total > 0 ? 100 * r->cpu.sys_s / total : 0;
    s.sleeps_per_msg = r->cpu.sleeps / msgs;
    memcpy(v, r->msgs, sizeof v);
    s.msgs_per_run = median(v, (size_t)rounds);
    memcpy(v, r->pings, sizeof v);
    s.pings_per_run = median(v, (size_t)rounds);
    return s;
}

/* ---- the machine ---------------------------------------------------- */

struct machine {
    double syscall_s;     /* one getppid() call: the price of any system call */
    double others_pct;    /* how busy other programs kept the cores; -1 unknown */
    char cpu[128];
    long cores;
    char kernel[3 * sizeof(((struct utsname *)0)->release) + 4];
    char date[32];
};

/* Keep a CSV field plain: no commas, quotes or control characters. */
static void plain(char *s)
{
    for (; *s; s++)
        if (*s == ',' || *s == '"' || (unsigned char)*s < ' ')
            *s = ' ';
}

static void machine_read(struct machine *m)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[1024];
    int vm = 0;
    struct utsname u;
    time_t t = time(NULL);
    struct tm tm;

    snprintf(m->cpu, sizeof m->cpu, "unknown CPU");
    if (f) {
        int have = 0;
        while (fgets(line, sizeof line, f)) {
            char *colon = strchr(line, ':');
            if (!colon)
                continue;
            /* "model name" on x86, "Model" or "Hardware" on some ARM boards */
            if (!have && (strncmp(line, "model name", 10) == 0 ||
                          strncmp(line, "Model\t", 6) == 0 ||
                          strncmp(line, "Hardware", 8) == 0)) {
                char *v = colon + 1;
                while (*v == ' ' || *v == '\t')
                    v++;
                v[strcspn(v, "\n")] = '\0';
                if (*v) {
                    snprintf(m->cpu, sizeof m->cpu, "%s", v);
                    have = 1;
                }
            }
            if (strncmp(line, "flags", 5) == 0 && strstr(colon, " hypervisor"))
                vm = 1;
        }
        fclose(f);
    }
    if (vm) {
        size_t len = strlen(m->cpu);
        snprintf(m->cpu + len, sizeof m->cpu - len, " (virtual machine)");
    }
    plain(m->cpu);
    m->cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (uname(&u) == -1)
        die("uname");
    snprintf(m->kernel, sizeof m->kernel, "%s %s %s", u.sysname, u.release, u.machine);
    plain(m->kernel);
    if (t == (time_t)-1 || !gmtime_r(&t, &tm))
        die("time");
    strftime(m->date, sizeof m->date, "%Y-%m-%d %H:%M UTC", &tm);
}

/* The machine's busy and total CPU time so far, in seconds, from
 * /proc/stat (Linux). Returns 0 if unknown. */
static int machine_cpu(double *busy, double *total)
{
    unsigned long long v[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long tck = sysconf(_SC_CLK_TCK);
    FILE *f = fopen("/proc/stat", "r");
    int n;
    if (!f)
        return 0;
    n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
               &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (n < 4 || tck <= 0)
        return 0;
    *total = 0;
    for (int i = 0; i < 8; i++)
        *total += (double)v[i];
    *busy = *total - (double)v[3] - (double)v[4]; /* minus idle and iowait */
    *total /= (double)tck;
    *busy /= (double)tck;
    return 1;
}

/* CPU time of this process and its ended children. */
static double own_cpu(void)
{
    struct rusage a, b;
    if (getrusage(RUSAGE_SELF, &a) == -1 || getrusage(RUSAGE_CHILDREN, &b) == -1)
        die("getrusage");
    return (double)(a.ru_utime.tv_sec + a.ru_stime.tv_sec + b.ru_utime.tv_sec +
                    b.ru_stime.tv_sec) +
           (double)(a.ru_utime.tv_usec + a.ru_stime.tv_usec + b.ru_utime.tv_usec +
                    b.ru_stime.tv_usec) * 1e-6;
}

/* The cheapest real system call, as a yardstick: the fastest of 21
 * short runs, since on a busy machine other programs can only add. */
static double syscall_cost(int calls)
{
    double v[21];
    for (int r = 0; r < 21; r++) {
        double t0 = now_s();
        for (int i = 0; i < calls; i++)
            (void)getppid();
        v[r] = (now_s() - t0) / calls;
    }
    return quantile(v, 21, 0);
}

/* ---- output ---------------------------------------------------------- */

static const char *CSV_HEADER =
    "transport,size_bytes,status,msgs_per_s,mb_per_s,msgs_per_s_min,msgs_per_s_max,"
    "rtt_median_us,rtt_p99_us,rtt_min_us,one_process_ns_per_msg,cpu_ns_per_msg,sys_pct,"
    "sleeps_per_msg,rounds,msgs_per_run,pings_per_run,syscall_ns,others_busy_pct,cpu,cores,kernel,date\n";

static void csv_row(FILE *f, const struct result *r, const struct plan *p,
                    const struct machine *m)
{
    if (strcmp(r->status, "ok") == 0) {
        struct summary s = summarize(r, p->rounds);
        fprintf(f, "%s,%zu,ok,%.0f,%.1f,%.0f,%.0f,%.2f,%.2f,%.2f,%.0f,%.0f,%.0f,%.3f,%d,%.0f,%.0f,",
                kind_name[r->kind], r->size, s.mps, s.mps * (double)r->size / 1e6,
                s.mps_min, s.mps_max, s.rtt_med * 1e6, s.rtt_p99 * 1e6, s.rtt_min * 1e6,
                s.solo * 1e9, s.cpu_per_msg * 1e9, s.sys_pct, s.sleeps_per_msg, p->rounds,
                s.msgs_per_run, s.pings_per_run);
    } else {
        fprintf(f, "%s,%zu,%s,,,,,,,,,,,,%d,,,", kind_name[r->kind], r->size, r->status,
                p->rounds);
    }
    fprintf(f, "%.0f,", m->syscall_s * 1e9);
    if (m->others_pct >= 0)
        fprintf(f, "%.0f", m->others_pct);
    fprintf(f, ",%s,%ld,%s,%s\n", m->cpu, m->cores, m->kernel, m->date);
}

static void write_csv(const char *path, const struct result *res, int nres,
                      const struct plan *p, const struct machine *m)
{
    char tmp[4096];
    FILE *f;
    if (!path) {
        fputs(CSV_HEADER, stdout);
        for (int i = 0; i < nres; i++)
            csv_row(stdout, &res[i], p, m);
        if (fflush(stdout) == EOF)
            die("write to stdout");
        return;
    }
    /* Write beside the target and rename: the old file stays whole until
     * the new one is complete. */
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    f = fopen(tmp, "w");
    if (!f)
        die("fopen %s", tmp);
    fputs(CSV_HEADER, f);
    for (int i = 0; i < nres; i++)
        csv_row(f, &res[i], p, m);
    if (fclose(f) == EOF) {
        int e = errno;
        unlink(tmp);
        errno = e;
        die("write %s", tmp);
    }
    if (rename(tmp, path) == -1) {
        int e = errno;
        unlink(tmp);
        errno = e;
        die("rename %s to %s", tmp, path);
    }
}

static void print_table(FILE *f, const struct result *res, int nres, const struct plan *p)
{
    fprintf(f, "%-12s %6s %10s %8s %8s %8s %8s %8s %8s %5s %6s\n", "", "", "two proc.", "",
            "round", "trip", "", "one proc.", "two proc.", "", "");
    fprintf(f, "%-12s %6s %10s %8s %8s %8s %8s %8s %8s %5s %6s\n", "transport", "bytes",
            "msgs/s", "MB/s", "med us", "p99 us", "min us", "ns/msg", "cpu ns", "sys%",
            "sleeps");
    for (int i = 0; i < nres; i++) {
        const struct result *r = &res[i];
        struct summary s;
        if (strcmp(r->status, "ok") != 0) {
            fprintf(f, "%-12s %6zu  %s\n", kind_name[r->kind], r->size, r->status);
            continue;
        }
        s = summarize(r, p->rounds);
        fprintf(f, "%-12s %6zu %10.0f %8.1f %8.2f %8.2f %8.2f %8.0f %8.0f %5.0f %6.3f\n",
                kind_name[r->kind], r->size, s.mps, s.mps * (double)r->size / 1e6,
                s.rtt_med * 1e6, s.rtt_p99 * 1e6, s.rtt_min * 1e6, s.solo * 1e9,
                s.cpu_per_msg * 1e9, s.sys_pct, s.sleeps_per_msg);
    }
    fprintf(f, "\nmsgs/s, MB/s: one way, two processes (MB = 10^6 bytes); round trip: "
               "ping-pong;\none proc.: send + receive in one process, nobody waits; "
               "cpu ns: both processes' CPU\ntime per message in the throughput runs; "
               "sys%%: its share in the kernel; sleeps:\ntimes a process blocked, per "
               "message. Medians of %d rounds.\n", p->rounds);
}

static void usage_exit(int code)
{
    fprintf(code ? stderr : stdout,
            "usage: ipcbench [-q] [-o results.csv]\n"
            "  -q       quick mode for tests (also IPCBENCH_QUICK=1)\n"
            "  -o FILE  write the CSV to FILE instead of stdout\n");
    exit(code);
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {64, 1024, 8192, 65536};
    enum { NSIZES = sizeof sizes / sizeof sizes[0] };
    /* rounds, warm msgs, tput s, min, max, warm pings, lat s, min, max, solo s, watchdog */
    const struct plan full = {9, 2000, 0.08, 2000, 2000000, 300, 0.04, 1000, 20000, 0.01, 60};
    const struct plan quick = {3, 100, 0.005, 100, 20000, 30, 0.003, 100, 300, 0.001, 20};
    struct plan p;
    static struct result res[K_COUNT * NSIZES];
    struct machine m;
    const char *out = NULL;
    const char *q = getenv("IPCBENCH_QUICK");
    int is_quick = q && *q && strcmp(q, "0") != 0;
    long msg_max, msgsize_max;
    unsigned depth;
    int nres = 0, opt;
    double t_start = now_s(), clk0, clk = 0, busy0 = 0, total0 = 0, own0 = 0;
    int have_cpu;
    FILE *info;

    while ((opt = getopt(argc, argv, "qo:h")) != -1) {
        if (opt == 'q')
            is_quick = 1;
        else if (opt == 'o')
            out = optarg;
        else
            usage_exit(opt == 'h' ? 0 : 2);
    }
    if (optind != argc)
        usage_exit(2);
    p = is_quick ? quick : full;
    info = out ? stdout : stderr; /* stdout is the CSV's when there is no -o */

    if (out) {
        /* Fail now, not after the measurement, if the CSV cannot be written. */
        char tmp[4096];
        FILE *f;
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out, (long)getpid());
        f = fopen(tmp, "w");
        if (!f)
            die("cannot create %s", tmp);
        if (fclose(f) == EOF || unlink(tmp) == -1)
            die("cannot write %s", tmp);
    }
    handle(SIGALRM, on_alarm);
    handle(SIGCHLD, on_child);
    handle(SIGPIPE, SIG_IGN); /* a dead reader is reported by write's EPIPE */

    /* Stay within the limits every unprivileged user has. */
    msg_max = proc_long("/proc/sys/fs/mqueue/msg_max", 10);
    msgsize_max = proc_long("/proc/sys/fs/mqueue/msgsize_max", 8192);
    depth = msg_max < 10 ? (unsigned)msg_max : 10;

    machine_read(&m);
    clk = 1;
    for (int r = 0; r < 21; r++) { /* the fastest of 21 short runs, as below */
        double c;
        clk0 = now_s();
        for (int i = 0; i < 1000; i++)
            c = now_s();
        c = (c - clk0) / 1000;
        if (c < clk)
            clk = c;
    }
    m.syscall_s = syscall_cost(is_quick ? 200 : 1000);
    fprintf(info, "ipcbench%s: %s, %ld cores, %s, %s\n", is_quick ? " (quick mode)" : "",
            m.cpu, m.cores, m.kernel, m.date);
    fprintf(info, "  at most %u messages in flight; mq limits here: msg_max %ld, "
                  "msgsize_max %ld;\n  a system call (getppid) costs %.0f ns, clock_gettime %.0f ns; "
                  "load average %s",
            depth, msg_max, msgsize_max, m.syscall_s * 1e9, clk * 1e9, "");
    {
        FILE *f = fopen("/proc/loadavg", "r");
        char la[64] = "?\n";
        if (f) {
            if (!fgets(la, sizeof la, f))
                snprintf(la, sizeof la, "?\n");
            fclose(f);
        }
        fprintf(info, "%s", la);
    }

    for (int k = 0; k < K_COUNT; k++) {
        for (int s = 0; s < NSIZES; s++) {
            struct result *r = &res[nres++];
            r->kind = (enum kind)k;
            r->size = sizes[s];
            snprintf(r->status, sizeof r->status, "ok");
            if (k == K_MQ && (long)sizes[s] > msgsize_max)
                snprintf(r->status, sizeof r->status,
                         "skipped: above msgsize_max %ld", msgsize_max);
        }
    }
    have_cpu = machine_cpu(&busy0, &total0);
    own0 = own_cpu();
    /* Every round measures every transport and size once, so that a
     * noisy moment on the machine touches all of them alike. */
    for (int round = 0; round < p.rounds; round++) {
        fprintf(info, "  round %d of %d ...\n", round + 1, p.rounds);
        fflush(info);
        for (int i = 0; i < nres; i++)
            if (strcmp(res[i].status, "ok") == 0)
                measure_round(&res[i], round, depth, &p);
    }
    m.others_pct = -1;
    if (have_cpu) {
        double busy1, total1;
        if (machine_cpu(&busy1, &total1) && total1 > total0) {
            double others = (busy1 - busy0) - (own_cpu() - own0);
            m.others_pct = others > 0 ? 100 * others / (total1 - total0) : 0;
        }
    }
    fprintf(info, "\n");
    print_table(info, res, nres, &p);
    if (m.others_pct >= 0)
        fprintf(info, "Other programs kept the %ld cores %.0f%% busy during the run.\n",
                m.cores, m.others_pct);
    write_csv(out, res, nres, &p, &m);
    fprintf(info, "\nipcbench: done in %.1f s%s%s\n", now_s() - t_start,
            out ? ", wrote " : "", out ? out : "");
    return 0;
}
