/* proc.c - child processes for multi-process tests.
 *
 * A child never returns into Criterion (its runner would hang on a
 * message from an unknown PID): it always leaves through _exit(). Each
 * child leads its own process group so the whole group can be killed
 * at the end of the test, and all waits have deadlines.              */
#include "lab_test.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CHILDREN 64

static pid_t children[MAX_CHILDREN];
static int child_count;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void track(pid_t pid)
{
    if (child_count < MAX_CHILDREN)
        children[child_count++] = pid;
}

/* Defined only when the runner is linked with --coverage (make
 * coverage): _exit skips the handler that would write a child's counts. */
extern void __gcov_dump(void) __attribute__((weak));

/* In a coverage build only: a child that is about to end on its own
 * (it has just reported) gets a moment to write its counts before the
 * kill below, so the report does not depend on that race. Grading never
 * waits here. */
static void let_children_finish_for_coverage(void)
{
    if (!__gcov_dump)
        return;
    double until = now() + 1.0;
    for (int i = 0; i < child_count; i++) {
        while (waitpid(children[i], NULL, WNOHANG) == 0 && now() < until) {
            struct timespec nap = {0, 5000000};
            nanosleep(&nap, NULL);
        }
    }
}

void lab_proc_kill_all(void)
{
    let_children_finish_for_coverage();
    for (int i = 0; i < child_count; i++) {
        kill(-children[i], SIGKILL);
        kill(children[i], SIGKILL);
        waitpid(children[i], NULL, WNOHANG);
    }
    child_count = 0;
}

/* A child ends with the test's process, however that ends (a failed
 * assertion skips lab_test_end; a timeout kills it): a child left behind
 * is adopted by the Criterion runner, which then waits for it. */
static void die_with_parent(pid_t parent)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
        _exit(125);
}

static void leave_child(int status)
{
    if (__gcov_dump)
        __gcov_dump();
    _exit(status);
}

pid_t lab_spawn(int (*fn)(void *), void *arg)
{
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid != -1, "grader: fork failed: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        die_with_parent(parent);
        leave_child(fn(arg) & 0xff);
    }
    setpgid(pid, pid);
    track(pid);
    return pid;
}

static void close_inherited_fds(void)
{
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = 3; fd < max; fd++)
        close(fd);
}

void lab_start_program(lab_proc *p, char *const argv[])
{
    const char *bin_dir = getenv("GRADER_BIN_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", bin_dir ? bin_dir : ".", argv[0]);
    int out[2], err[2];
    cr_assert(pipe(out) == 0 && pipe(err) == 0, "grader: pipe failed: %s",
              strerror(errno));
    memset(p, 0, sizeof *p);
    pid_t parent = getpid();
    fflush(NULL);
    p->pid = fork();
    cr_assert(p->pid != -1, "grader: fork failed: %s", strerror(errno));
    if (p->pid == 0) {
        setpgid(0, 0);
        die_with_parent(parent);
        if (dup2(out[1], 1) == -1 || dup2(err[1], 2) == -1)
            _exit(126);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull == -1 || dup2(devnull, 0) == -1)
            _exit(126);
        close_inherited_fds();
        execv(path, argv);
        fprintf(stderr, "grader: cannot run %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    setpgid(p->pid, p->pid);
    track(p->pid);
    close(out[1]);
    close(err[1]);
    p->out_fd = out[0];
    p->err_fd = err[0];
}

/* Reads what is available from the child's pipes, waiting at most
 * TIMEOUT_MS; returns 0 once both pipes are at end of file. */
static int pump(lab_proc *p, int timeout_ms)
{
    struct pollfd fds[2] = {{.fd = p->out_fd, .events = POLLIN},
                            {.fd = p->err_fd, .events = POLLIN}};
    if (p->out_fd < 0 && p->err_fd < 0)
        return 0;
    if (poll(fds, 2, timeout_ms) <= 0)
        return 1;
    for (int i = 0; i < 2; i++) {
        if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        char *buf = i == 0 ? p->out : p->err;
        size_t *len = i == 0 ? &p->out_len : &p->err_len;
        size_t cap = (i == 0 ? sizeof p->out : sizeof p->err) - 1;
        char scratch[1024];
        ssize_t n = read(fds[i].fd, scratch, sizeof scratch);
        if (n <= 0) {
            close(fds[i].fd);
            if (i == 0)
                p->out_fd = -1;
            else
                p->err_fd = -1;
            continue;
        }
        size_t keep = (size_t)n < cap - *len ? (size_t)n : cap - *len;
        memcpy(buf + *len, scratch, keep);
        *len += keep;
        buf[*len] = '\0';
    }
    return p->out_fd >= 0 || p->err_fd >= 0;
}

int lab_wait_for_output(lab_proc *p, const char *line, double seconds)
{
    double deadline = now() + seconds;
    while (!strstr(p->out, line)) {
        double left = deadline - now();
        if (left <= 0)
            return 0;
        if (!pump(p, (int)(left * 1000) + 1) && !strstr(p->out, line))
            return 0;
    }
    return 1;
}

int lab_wait_pid(pid_t pid, double seconds, int *status)
{
    double deadline = now() + seconds;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return 1;
        if (r == -1 && errno != EINTR)
            return 0;
        if (now() >= deadline)
            return 0;
        struct timespec nap = {0, 2 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
}

int lab_finish(lab_proc *p, double seconds)
{
    double deadline = now() + seconds;
    while (pump(p, 20)) {
        if (now() >= deadline)
            break;
    }
    double left = deadline - now();
    if (!p->reaped && lab_wait_pid(p->pid, left > 0 ? left : 0, &p->status)) {
        p->reaped = 1;
    }
    if (!p->reaped) {
        const char *what = lab_blocked_in(p->pid);
        snprintf(p->blocked, sizeof p->blocked, "%s%s",
                 what && strncmp(what, "running", 7) ? "waiting in " : "",
                 what ? what : "");
        kill(-p->pid, SIGKILL);
        kill(p->pid, SIGKILL);
        waitpid(p->pid, &p->status, 0);
        p->reaped = 1;
        while (pump(p, 0))
            ;
        return 0;
    }
    return 1;
}

const char *lab_describe_status(int status)
{
    if (WIFEXITED(status))
        return lab_fmt("exited with status %d", WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *what = sig == SIGSEGV ? " (SIGSEGV: invalid memory access)"
                         : sig == SIGBUS  ? " (SIGBUS: access beyond the "
                                            "object's size)"
                         : sig == SIGABRT ? " (SIGABRT: abort or heap "
                                            "corruption)"
                         : sig == SIGKILL ? " (SIGKILL: killed after its "
                                            "deadline)"
                         : "";
        return lab_fmt("was killed by signal %d%s", sig, what);
    }
    return lab_fmt("ended with wait status 0x%x", status);
}

/* The state letter of process PID ('R', 'S', 'Z', ...), or 0 if gone. */
static char proc_state(pid_t pid)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char *ok = fgets(line, sizeof line, f);
    fclose(f);
    /* The name in parentheses may hold spaces: the state follows the
     * last ')'. */
    char *p = ok ? strrchr(line, ')') : NULL;
    return p && p[1] == ' ' ? p[2] : 0;
}

int lab_wait_in_syscall(pid_t pid, const long *nrs, int count, double seconds)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/syscall", (long)pid);
    double deadline = now() + seconds;
    while (now() < deadline) {
        char st = proc_state(pid);
        if (st == 0 || st == 'Z' || st == 'X')
            return 0;
        FILE *f = fopen(path, "r");
        char line[256] = "";
        if (f) {
            if (!fgets(line, sizeof line, f))
                line[0] = '\0';
            fclose(f);
        }
        if (line[0] >= '0' && line[0] <= '9') {
            long nr = strtol(line, NULL, 10);
            for (int i = 0; i < count; i++)
                if (nr == nrs[i])
                    return 1;
        }
        struct timespec nap = {0, 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    return 0;
}

int lab_open_fd_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    cr_assert(d, "grader: cannot list /proc/self/fd");
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

double lab_children_cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) == -1)
        return -1;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int capture_pipe[2] = {-1, -1};
static int capture_saved[2] = {-1, -1};

void lab_capture_output_begin(void)
{
    fflush(stdout);
    fflush(stderr);
    cr_assert(pipe(capture_pipe) == 0, "grader: pipe failed");
    fcntl(capture_pipe[1], F_SETFL, O_NONBLOCK);
    fcntl(capture_pipe[0], F_SETFL, O_NONBLOCK);
    capture_saved[0] = dup(1);
    capture_saved[1] = dup(2);
    cr_assert(capture_saved[0] != -1 && capture_saved[1] != -1 &&
                  dup2(capture_pipe[1], 1) != -1 && dup2(capture_pipe[1], 2) != -1,
              "grader: cannot redirect stdout and stderr");
}

const char *lab_capture_output_end(void)
{
    fflush(stdout);
    fflush(stderr);
    dup2(capture_saved[0], 1);
    dup2(capture_saved[1], 2);
    close(capture_saved[0]);
    close(capture_saved[1]);
    close(capture_pipe[1]);
    char buf[512];
    ssize_t n = read(capture_pipe[0], buf, sizeof buf);
    close(capture_pipe[0]);
    return n > 0 ? lab_quote(buf, n) : NULL;
}
