/* fault.c - the wrappers behind lab_fault.h.
 *
 * The student's objects call lab_fault_malloc where their source says
 * malloc (grader/build.mk renames the calls). Each wrapper counts the
 * call, fails it if the plan says so, and otherwise calls the real
 * function. This file itself is never renamed, so its calls are real.
 * Without a plan (the scenario, the lab's programs, every test that does
 * not ask) the wrappers change nothing but a counter.
 */
#include "lab_fault.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *lab_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *lab_errno_name(int err);

static const char *const call_names[LAB_FAULT_CALLS] = {
    [LAB_FAULT_MALLOC] = "malloc",
    [LAB_FAULT_CALLOC] = "calloc",
    [LAB_FAULT_REALLOC] = "realloc",
    [LAB_FAULT_STRDUP] = "strdup",
    [LAB_FAULT_STRNDUP] = "strndup",
    [LAB_FAULT_MQ_OPEN] = "mq_open",
    [LAB_FAULT_MQ_CLOSE] = "mq_close",
    [LAB_FAULT_MQ_UNLINK] = "mq_unlink",
    [LAB_FAULT_MQ_GETATTR] = "mq_getattr",
    [LAB_FAULT_MQ_SETATTR] = "mq_setattr",
    [LAB_FAULT_MQ_SEND] = "mq_send",
    [LAB_FAULT_MQ_RECEIVE] = "mq_receive",
    [LAB_FAULT_MQ_TIMEDSEND] = "mq_timedsend",
    [LAB_FAULT_MQ_TIMEDRECEIVE] = "mq_timedreceive",
    [LAB_FAULT_MQ_NOTIFY] = "mq_notify",
    [LAB_FAULT_SHM_OPEN] = "shm_open",
    [LAB_FAULT_SHM_UNLINK] = "shm_unlink",
    [LAB_FAULT_FTRUNCATE] = "ftruncate",
    [LAB_FAULT_FSTAT] = "fstat",
    [LAB_FAULT_MMAP] = "mmap",
    [LAB_FAULT_MUNMAP] = "munmap",
    [LAB_FAULT_CLOSE] = "close",
    [LAB_FAULT_PTHREAD_MUTEX_LOCK] = "pthread_mutex_lock",
    [LAB_FAULT_PTHREAD_MUTEX_TIMEDLOCK] = "pthread_mutex_timedlock",
    [LAB_FAULT_PTHREAD_MUTEX_UNLOCK] = "pthread_mutex_unlock",
    [LAB_FAULT_PTHREAD_MUTEX_INIT] = "pthread_mutex_init",
    [LAB_FAULT_PTHREAD_MUTEXATTR_INIT] = "pthread_mutexattr_init",
    [LAB_FAULT_PTHREAD_MUTEXATTR_SETPSHARED] = "pthread_mutexattr_setpshared",
    [LAB_FAULT_PTHREAD_MUTEXATTR_SETROBUST] = "pthread_mutexattr_setrobust",
    [LAB_FAULT_PTHREAD_MUTEX_CONSISTENT] = "pthread_mutex_consistent",
    [LAB_FAULT_CLOCK_GETTIME] = "clock_gettime",
    [LAB_FAULT_SELECT] = "select",
    [LAB_FAULT_POLL] = "poll",
    [LAB_FAULT_SIGTIMEDWAIT] = "sigtimedwait",
    [LAB_FAULT_PTHREAD_SIGMASK] = "pthread_sigmask",
    [LAB_FAULT_NANOSLEEP] = "nanosleep",
    [LAB_FAULT_CLOCK_NANOSLEEP] = "clock_nanosleep",
};

struct plan {
    unsigned nth;   /* 0: no plan */
    int err;
    enum lab_fault_mode mode;
};

/* A lab's helper thread (lab 09) may call in while the test thread
 * does; one lock keeps counts, plans and the block table consistent. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned calls[LAB_FAULT_CALLS];
static struct plan plans[LAB_FAULT_CALLS];
static unsigned injected;
static int clock_faked;
static struct timespec fake_now;
static double longest_nap;
static struct { enum lab_fault_call call; unsigned nth; int err; } last = { 0, 0, 0 };

/* Live blocks: the labs allocate a handful at a time; past the table's
 * size the count stops growing (a leak that large shows anyway). Kept
 * disguised (every bit flipped): valgrind's leak check, in the
 * cleanliness scenario, counts any word that looks like a pointer to a
 * block as a reference, and would call a leaked block reachable. */
#define MAX_BLOCKS 4096
static uintptr_t blocks[MAX_BLOCKS];
static unsigned live;

static uintptr_t disguise(const void *p) { return ~(uintptr_t)p; }

/* Counts the call; returns the errno to fail it with, or 0 to let it run. */
static int should_fail(enum lab_fault_call call)
{
    int err = 0;
    pthread_mutex_lock(&lock);
    unsigned n = ++calls[call];
    const struct plan *p = &plans[call];
    if (p->nth != 0 && (n == p->nth || (p->mode == LAB_FAULT_FROM_ON && n > p->nth))) {
        err = p->err;
        injected++;
        last.call = call;
        last.nth = n;
        last.err = err;
    }
    pthread_mutex_unlock(&lock);
    return err;
}

static void remember_block(void *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&lock);
    for (unsigned i = 0; i < MAX_BLOCKS; i++) {
        if (blocks[i] == 0) {
            blocks[i] = disguise(p);
            live++;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
}

static void forget_block(void *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&lock);
    for (unsigned i = 0; i < MAX_BLOCKS; i++) {
        if (blocks[i] == disguise(p)) {
            blocks[i] = 0;
            live--;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
}

void lab_fault_fail(enum lab_fault_call call, unsigned nth, int err,
                    enum lab_fault_mode mode)
{
    if ((unsigned)call >= LAB_FAULT_CALLS)
        return;
    pthread_mutex_lock(&lock);
    plans[call] = (struct plan){ nth, err, mode };
    pthread_mutex_unlock(&lock);
}

void lab_fault_reset(void)
{
    pthread_mutex_lock(&lock);
    memset(calls, 0, sizeof calls);
    memset(plans, 0, sizeof plans);
    injected = 0;
    last.nth = 0;
    clock_faked = 0;
    longest_nap = 0;
    pthread_mutex_unlock(&lock);
}

unsigned lab_fault_calls(enum lab_fault_call call)
{
    return (unsigned)call < LAB_FAULT_CALLS ? calls[call] : 0;
}

unsigned lab_fault_injected(void) { return injected; }

unsigned lab_fault_live_blocks(void) { return live; }

const char *lab_fault_name(enum lab_fault_call call)
{
    return (unsigned)call < LAB_FAULT_CALLS ? call_names[call] : "?";
}

static const char *ordinal(unsigned n)
{
    const char *suffix = "th";
    if (n % 100 < 11 || n % 100 > 13) {
        switch (n % 10) {
        case 1: suffix = "st"; break;
        case 2: suffix = "nd"; break;
        case 3: suffix = "rd"; break;
        default: break;
        }
    }
    return lab_fmt("%u%s", n, suffix);
}

const char *lab_fault_describe(void)
{
    if (last.nth == 0)
        return "no call was made to fail";
    return lab_fmt("the %s %s failed with %s (injected by the grader)",
                   ordinal(last.nth), call_names[last.call],
                   lab_errno_name(last.err));
}

/* ---- the wrappers: fail as the real call would, else call it --------- */

#define FAIL_WITH_ERRNO(call, failed)                                       \
    do {                                                                    \
        int err_ = should_fail(call);                                       \
        if (err_ != 0) {                                                    \
            errno = err_;                                                   \
            return (failed);                                                \
        }                                                                   \
    } while (0)

/* The pthread functions return the error number and leave errno alone. */
#define FAIL_WITH_RESULT(call)                                              \
    do {                                                                    \
        int err_ = should_fail(call);                                       \
        if (err_ != 0)                                                      \
            return err_;                                                    \
    } while (0)

void *lab_fault_malloc(size_t size)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MALLOC, NULL);
    void *p = malloc(size);
    remember_block(p);
    return p;
}

void *lab_fault_calloc(size_t n, size_t size)
{
    FAIL_WITH_ERRNO(LAB_FAULT_CALLOC, NULL);
    void *p = calloc(n, size);
    remember_block(p);
    return p;
}

void *lab_fault_realloc(void *old, size_t size)
{
    FAIL_WITH_ERRNO(LAB_FAULT_REALLOC, NULL); /* OLD stays the caller's */
    /* Forgotten first and remembered again if realloc fails: OLD may not
     * be looked at once realloc has freed it. */
    forget_block(old);
    void *p = realloc(old, size);
    if (p != NULL)
        remember_block(p);
    else if (size != 0)
        remember_block(old);
    return p;
}

char *lab_fault_strdup(const char *s)
{
    FAIL_WITH_ERRNO(LAB_FAULT_STRDUP, NULL);
    char *p = strdup(s);
    remember_block(p);
    return p;
}

char *lab_fault_strndup(const char *s, size_t n)
{
    FAIL_WITH_ERRNO(LAB_FAULT_STRNDUP, NULL);
    char *p = strndup(s, n);
    remember_block(p);
    return p;
}

void lab_fault_free(void *p)
{
    forget_block(p);
    free(p);
}

mqd_t lab_fault_mq_open(const char *name, int oflag, ...)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MQ_OPEN, (mqd_t)-1);
    if (oflag & O_CREAT) {
        va_list ap;
        va_start(ap, oflag);
        mode_t mode = va_arg(ap, mode_t);
        struct mq_attr *attr = va_arg(ap, struct mq_attr *);
        va_end(ap);
        return mq_open(name, oflag, mode, attr);
    }
    return mq_open(name, oflag);
}

int lab_fault_mq_close(mqd_t q)
{
    int err = should_fail(LAB_FAULT_MQ_CLOSE);
    if (err != 0) {
        (void)mq_close(q); /* gone all the same: see lab_fault_close */
        errno = err;
        return -1;
    }
    return mq_close(q);
}

int lab_fault_mq_unlink(const char *name)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MQ_UNLINK, -1);
    return mq_unlink(name);
}

int lab_fault_mq_getattr(mqd_t q, struct mq_attr *attr)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MQ_GETATTR, -1);
    return mq_getattr(q, attr);
}

int lab_fault_mq_setattr(mqd_t q, const struct mq_attr *attr, struct mq_attr *old)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MQ_SETATTR, -1);
    return mq_setattr(q, attr, old);
}

int lab_fault_mq_send(mqd_t q, const char *msg, size_t len, unsigned prio)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MQ_SEND, -1);
    return mq_send(q, msg, len, prio);
}

ssize_t lab_fault_mq_receive(mqd_t q, char *msg, size_t len, unsigned *prio)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MQ_RECEIVE, -1);
    return mq_receive(q, msg, len, prio);
}

int lab_fault_mq_timedsend(mqd_t q, const char *msg, size_t len, unsigned prio,
                           const struct timespec *deadline)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MQ_TIMEDSEND, -1);
    return mq_timedsend(q, msg, len, prio, deadline);
}

ssize_t lab_fault_mq_timedreceive(mqd_t q, char *msg, size_t len, unsigned *prio,
                                  const struct timespec *deadline)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MQ_TIMEDRECEIVE, -1);
    return mq_timedreceive(q, msg, len, prio, deadline);
}

int lab_fault_mq_notify(mqd_t q, const struct sigevent *how)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MQ_NOTIFY, -1);
    return mq_notify(q, how);
}

int lab_fault_shm_open(const char *name, int oflag, mode_t mode)
{
    FAIL_WITH_ERRNO(LAB_FAULT_SHM_OPEN, -1);
    return shm_open(name, oflag, mode);
}

int lab_fault_shm_unlink(const char *name)
{
    FAIL_WITH_ERRNO(LAB_FAULT_SHM_UNLINK, -1);
    return shm_unlink(name);
}

int lab_fault_ftruncate(int fd, off_t length)
{
    FAIL_WITH_ERRNO(LAB_FAULT_FTRUNCATE, -1);
    return ftruncate(fd, length);
}

int lab_fault_fstat(int fd, struct stat *st)
{
    FAIL_WITH_ERRNO(LAB_FAULT_FSTAT, -1);
    return fstat(fd, st);
}

void *lab_fault_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MMAP, MAP_FAILED);
    return mmap(addr, len, prot, flags, fd, off);
}

int lab_fault_munmap(void *addr, size_t len)
{
    FAIL_WITH_ERRNO(LAB_FAULT_MUNMAP, -1);
    return munmap(addr, len);
}

/* A close that is made to fail still closes: on Linux the descriptor is
 * gone after close(2) whatever it returns (EINTR, EIO), and a test that
 * injects it must not make the student's code leak through no fault of
 * its own. mq_close is the same call on Linux. */
int lab_fault_close(int fd)
{
    int err = should_fail(LAB_FAULT_CLOSE);
    if (err != 0) {
        (void)close(fd);
        errno = err;
        return -1;
    }
    return close(fd);
}

int lab_fault_pthread_mutex_lock(pthread_mutex_t *m)
{
    FAIL_WITH_RESULT(LAB_FAULT_PTHREAD_MUTEX_LOCK);
    return pthread_mutex_lock(m);
}

int lab_fault_pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *deadline)
{
    FAIL_WITH_RESULT(LAB_FAULT_PTHREAD_MUTEX_TIMEDLOCK);
    return pthread_mutex_timedlock(m, deadline);
}

/* A failed unlock (EPERM: not the owner) leaves the mutex locked, as
 * the real one would; the test decides what it then expects. */
int lab_fault_pthread_mutex_unlock(pthread_mutex_t *m)
{
    FAIL_WITH_RESULT(LAB_FAULT_PTHREAD_MUTEX_UNLOCK);
    return pthread_mutex_unlock(m);
}

int lab_fault_pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
    FAIL_WITH_RESULT(LAB_FAULT_PTHREAD_MUTEX_INIT);
    return pthread_mutex_init(m, a);
}

int lab_fault_pthread_mutexattr_init(pthread_mutexattr_t *a)
{
    FAIL_WITH_RESULT(LAB_FAULT_PTHREAD_MUTEXATTR_INIT);
    return pthread_mutexattr_init(a);
}

int lab_fault_pthread_mutexattr_setpshared(pthread_mutexattr_t *a, int shared)
{
    FAIL_WITH_RESULT(LAB_FAULT_PTHREAD_MUTEXATTR_SETPSHARED);
    return pthread_mutexattr_setpshared(a, shared);
}

int lab_fault_pthread_mutexattr_setrobust(pthread_mutexattr_t *a, int robust)
{
    FAIL_WITH_RESULT(LAB_FAULT_PTHREAD_MUTEXATTR_SETROBUST);
    return pthread_mutexattr_setrobust(a, robust);
}

int lab_fault_pthread_mutex_consistent(pthread_mutex_t *m)
{
    FAIL_WITH_RESULT(LAB_FAULT_PTHREAD_MUTEX_CONSISTENT);
    return pthread_mutex_consistent(m);
}

void lab_fault_fake_clock(const struct timespec *now)
{
    pthread_mutex_lock(&lock);
    clock_faked = now != NULL;
    if (now != NULL)
        fake_now = *now;
    pthread_mutex_unlock(&lock);
}

double lab_fault_longest_nap(void) { return longest_nap; }

int lab_fault_clock_gettime(clockid_t clock, struct timespec *ts)
{
    FAIL_WITH_ERRNO(LAB_FAULT_CLOCK_GETTIME, -1);
    pthread_mutex_lock(&lock);
    int faked = clock_faked;
    struct timespec now = fake_now;
    pthread_mutex_unlock(&lock);
    if (faked) {
        *ts = now;
        return 0;
    }
    return clock_gettime(clock, ts);
}

static void note_nap(const struct timespec *t)
{
    if (t == NULL)
        return;
    double s = (double)t->tv_sec + (double)t->tv_nsec / 1e9;
    pthread_mutex_lock(&lock);
    if (s > longest_nap)
        longest_nap = s;
    pthread_mutex_unlock(&lock);
}

int lab_fault_nanosleep(const struct timespec *req, struct timespec *rem)
{
    FAIL_WITH_ERRNO(LAB_FAULT_NANOSLEEP, -1);
    note_nap(req);
    return nanosleep(req, rem);
}

/* Returns the error number, as clock_nanosleep does. */
int lab_fault_clock_nanosleep(clockid_t clock, int flags,
                              const struct timespec *req, struct timespec *rem)
{
    FAIL_WITH_RESULT(LAB_FAULT_CLOCK_NANOSLEEP);
    if (req != NULL && (flags & TIMER_ABSTIME)) {
        struct timespec now, left;
        if (clock_gettime(clock, &now) == 0) {
            left.tv_sec = req->tv_sec - now.tv_sec;
            left.tv_nsec = req->tv_nsec - now.tv_nsec;
            if (left.tv_nsec < 0) {
                left.tv_sec--;
                left.tv_nsec += 1000000000L;
            }
            note_nap(&left);
        }
    } else {
        note_nap(req);
    }
    return clock_nanosleep(clock, flags, req, rem);
}

int lab_fault_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t)
{
    FAIL_WITH_ERRNO(LAB_FAULT_SELECT, -1);
    return select(n, r, w, e, t);
}

int lab_fault_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    FAIL_WITH_ERRNO(LAB_FAULT_POLL, -1);
    return poll(fds, n, timeout);
}

int lab_fault_sigtimedwait(const sigset_t *set, siginfo_t *info,
                           const struct timespec *timeout)
{
    FAIL_WITH_ERRNO(LAB_FAULT_SIGTIMEDWAIT, -1);
    return sigtimedwait(set, info, timeout);
}

int lab_fault_pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
    FAIL_WITH_RESULT(LAB_FAULT_PTHREAD_SIGMASK);
    return pthread_sigmask(how, set, old);
}
