/* test_life.c - what runs around every graded test body in the worker:
 * marks the test as having reached its end (so an early exit() by student
 * code is caught), removes every name and child the test created, and
 * keeps a watchdog that, shortly before the test's time runs out, notes
 * which system call the test is blocked in, so a timeout can say "still
 * waiting in mq_receive" instead of just "too slow".
 *
 * Both notes travel to the runner inside Criterion's own protocol, as
 * passed assertions (lab_marks.h), never through a file: files in reach
 * of the worker are in reach of the student's code too, which runs with
 * the worker's ids. The student's objects may not name Criterion's or the
 * harness's functions (grader/check-objects.sh), so they cannot send one. */
#include "lab_marks.h"
#include "lab_test.h"

#include <criterion/event.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static pid_t worker_pid;
static double test_seconds;

void lab_proc_kill_all(void);

struct blocking_call {
    long nr;
    const char *what;
};

/* The calls a lab's code blocks in, and what that usually means. */
static const struct blocking_call blocking_calls[] = {
    {SYS_mq_timedreceive, "mq_receive (or mq_timedreceive): waiting for a "
     "message on an empty queue that nobody sends to; or a receive that "
     "should have been O_NONBLOCK"},
    {SYS_mq_timedsend, "mq_send (or mq_timedsend): waiting for room in a "
     "full queue (mq_maxmsg messages in it) that nobody receives from"},
    {SYS_futex, "a lock or a wait (pthread_mutex_lock, sem_wait, "
     "pthread_cond_wait, pthread_join): a lock never released, or a "
     "process-private mutex used across processes"},
    {SYS_wait4, "waitpid: waiting for a child process that never ends"},
    {SYS_waitid, "waitid: waiting for a child process that never ends"},
    {SYS_read, "read: waiting for data on a pipe or socket"},
    {SYS_write, "write: waiting for room in a full pipe or socket"},
    {SYS_ppoll, "poll/select: waiting for a descriptor that never becomes "
     "ready"},
    {SYS_pselect6, "select: waiting for a descriptor that never becomes "
     "ready"},
#ifdef SYS_poll
    {SYS_poll, "poll: waiting for a descriptor that never becomes ready"},
#endif
#ifdef SYS_select
    {SYS_select, "select: waiting for a descriptor that never becomes ready"},
#endif
#ifdef SYS_pause
    {SYS_pause, "pause: waiting for a signal that never comes"},
#endif
    {SYS_rt_sigsuspend, "sigsuspend: waiting for a signal that never comes"},
    {SYS_rt_sigtimedwait, "sigwait: waiting for a signal that never comes"},
    {SYS_clock_nanosleep, "sleep: the code sleeps (sleep() in a loop?)"},
    {SYS_nanosleep, "sleep: the code sleeps (sleep() in a loop?)"},
};

const char *lab_blocked_text(long index)
{
    long count = (long)(sizeof blocking_calls / sizeof blocking_calls[0]);
    if (index == LAB_BLOCKED_RUNNING)
        return "running, in no system call: a loop that never ends, or one "
               "that keeps retrying (busy waiting)";
    return index >= 0 && index < count ? blocking_calls[index].what : NULL;
}

/* Index into blocking_calls of what PID is in now, LAB_BLOCKED_RUNNING,
 * or -1 if nothing telling. */
static long blocked_index(pid_t pid)
{
    char path[64], line[256] = "";
    snprintf(path, sizeof path, "/proc/%ld/task/%ld/syscall", (long)pid,
             (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    if (strncmp(line, "running", 7) == 0)
        return LAB_BLOCKED_RUNNING;
    long nr = strtol(line, NULL, 10);
    for (size_t i = 0; i < sizeof blocking_calls / sizeof blocking_calls[0]; i++)
        if (blocking_calls[i].nr == nr)
            return (long)i;
    return -1;
}

const char *lab_blocked_in(pid_t pid)
{
    return lab_blocked_text(blocked_index(pid));
}

/* A passed assertion carries a note to the runner's report hook. */
void lab_send_mark(const char *text)
{
    struct criterion_assert_stats mark = {
        .message = text, .passed = 1, .file = __FILE__, .line = __LINE__};
    criterion_send_assert(&mark);
}

static void sleep_seconds(double seconds)
{
    if (seconds <= 0)
        return;
    struct timespec nap = {(time_t)seconds,
                           (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&nap, &nap) == -1)
        ;
}

static void *watchdog(void *unused)
{
    (void)unused;
    /* Criterion kills the worker at the timeout: look just before. The
     * runner cuts every limit short once most of a lab's tests hang
     * (report_hook.c) and says so in the environment. */
    double limit = test_seconds;
    const char *cut = getenv(LAB_CUT_ENV);
    if (cut && atof(cut) > 0 && atof(cut) < limit)
        limit = atof(cut);
    double at = limit * 0.9 - 0.2;
    if (at < 0.2)
        at = 0.2;
    sleep_seconds(at);
    long index = blocked_index(worker_pid);
    if (index != -1) {
        char mark[64];
        snprintf(mark, sizeof mark, "%s%ld", LAB_MARK_BLOCKED, index);
        lab_send_mark(mark);
    }
    /* Criterion 2.4.1 sometimes never kills a worker at its limit (seen
     * with -j2, a 15 s test beside shorter ones: the runner then waits
     * until grade.sh's bound). A second later the worker ends itself,
     * having told the runner why, which records it as a timeout. */
    sleep_seconds(limit - at + 1.0);
    lab_send_mark(LAB_MARK_TIMED_OUT);
    kill(getpid(), SIGKILL);
    return NULL;
}

void lab_test_begin(const char *suite, const char *name, double seconds)
{
    (void)suite;
    (void)name;
    worker_pid = getpid();
    test_seconds = seconds;
    /* The watchdog must never receive a signal meant for the test (a
     * process-directed SIGUSR1 of lab 09, say): it is created with every
     * signal blocked, which it inherits; the test thread's mask is then
     * restored. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    pthread_t t;
    if (pthread_create(&t, NULL, watchdog, NULL) == 0)
        pthread_detach(t);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void lab_test_end(const char *suite, const char *name)
{
    /* A child that returned here instead of calling _exit() must not
     * claim the test's success, nor tear down its parent's names. */
    if (getpid() != worker_pid)
        _exit(125);
    lab_proc_kill_all();
    lab_forget_names();
    (void)suite;
    (void)name;
    lab_send_mark(LAB_MARK_END);
}
