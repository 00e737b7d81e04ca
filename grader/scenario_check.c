/* scenario_check.c - runs a lab's scenario (tests/scenario.c linked with
 * the student's code) for the cleanliness tests, apart from the test
 * runner, and writes the evidence where no student process can touch it.
 *
 *   scenario_check SCENARIO BASE OUTFILE
 *
 * grade.sh starts it in the sandbox, under the student's id, beside the
 * test runner, with two descriptors on files of the grader's that the
 * student's id cannot open:
 *   4  valgrind's report, copied from a pipe (valgrind's --log-fd): the
 *      student's code may write into the pipe, but never take back what
 *      valgrind wrote, as it could in a file it can name
 *   5  the verdict: "status N", "done 0|1", "hung 0|1", "left KIND NAME"
 *      lines, then "end"; the cleanliness tests (grader/harness/clean.c)
 *      read both once "end" is there
 * The scenario's output goes to OUTFILE (in the run's writable folder).
 *
 * The scenario first runs natively, with a short deadline: code that
 * hangs there would hang under valgrind too, many times slower, so it is
 * not run under valgrind at all. Code that ends in any other way is: a
 * heap overflow may abort natively and run to its end under valgrind,
 * which then names it, and the verdict is valgrind's. Either run counts as complete only if
 * the scenario printed its last line with the secret handed to it on
 * descriptor 3 (lab_scenario.h): the student's code cannot print it, nor
 * end the scenario early with exit(0) and look complete.
 *
 * This process is non-dumpable: the scenario it starts runs under the
 * same id, and must not read its memory or its descriptors.
 *
 * Exit status: 0 evidence written, 2 usage, 1 trouble (said on stderr). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOG_FD 4
#define VERDICT_FD 5
#define SECRET_FD 3          /* as LAB_SCENARIO_SECRET_FD */
#define CHILD_LOG_FD 9       /* valgrind's --log-fd in the child */
#define NAMES_PER_SCENARIO 10
#define LOG_MAX (4 << 20)    /* more is noise: read, but not kept */

static double seconds_from(const char *var, double fallback)
{
    const char *s = getenv(var);
    double t = s ? atof(s) : 0;
    return t > 0 ? t : fallback;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int make_secret(char *out, size_t size)
{
    unsigned char raw[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd == -1 || read(fd, raw, sizeof raw) != (ssize_t)sizeof raw) {
        perror("scenario_check: /dev/urandom");
        return -1;
    }
    close(fd);
    size_t used = 0;
    for (size_t i = 0; i < sizeof raw && used + 3 <= size; i++)
        used += (size_t)snprintf(out + used, size - used, "%02x", raw[i]);
    return 0;
}

static int write_all(int fd, const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        text += n;
        len -= (size_t)n;
    }
    return 0;
}

struct run {
    int status;
    int hung;
};

/* Starts ARGV with OUT_PATH as stdout and stderr, the secret on
 * SECRET_FD and, if LOG_PIPE, the pipe's write end on CHILD_LOG_FD; while
 * it runs, copies the pipe into LOG_FD. Kills its process group at the
 * deadline. */
static struct run run_child(char *const argv[], const char *out_path,
                            const char *secret, double seconds, int log_pipe)
{
    struct run r = {0, 0};
    int secret_pipe[2], log[2] = {-1, -1};
    if (pipe(secret_pipe) == -1 || (log_pipe && pipe(log) == -1)) {
        perror("scenario_check: pipe");
        exit(1);
    }
    char line[128];
    int len = snprintf(line, sizeof line, "%s\n", secret);
    if (write_all(secret_pipe[1], line, (size_t)len) == -1) {
        perror("scenario_check: cannot pass the secret");
        exit(1);
    }
    close(secret_pipe[1]);

    pid_t pid = fork();
    if (pid == -1) {
        perror("scenario_check: fork");
        exit(1);
    }
    if (pid == 0) {
        setpgid(0, 0);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (out == -1 || in == -1 || dup2(in, 0) == -1 || dup2(out, 1) == -1 ||
            dup2(out, 2) == -1 || dup2(secret_pipe[0], SECRET_FD) == -1 ||
            (log_pipe && dup2(log[1], CHILD_LOG_FD) == -1))
            _exit(126);
        /* Only what the scenario and the student open may be counted. */
        for (int fd = SECRET_FD + 1; fd < 1024; fd++)
            if (!(log_pipe && fd == CHILD_LOG_FD))
                close(fd);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(secret_pipe[0]);
    if (log_pipe)
        close(log[1]);

    double deadline = now() + seconds;
    size_t kept = 0;
    for (;;) {
        pid_t w = waitpid(pid, &r.status, WNOHANG);
        if (w == pid)
            break;
        if (now() > deadline) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &r.status, 0);
            r.hung = 1;
            break;
        }
        if (log_pipe) {
            struct pollfd p = {.fd = log[0], .events = POLLIN};
            if (poll(&p, 1, 50) > 0) {
                char buf[65536];
                ssize_t n = read(log[0], buf, sizeof buf);
                if (n > 0 && kept < LOG_MAX) {
                    write_all(LOG_FD, buf, (size_t)n);
                    kept += (size_t)n;
                }
                if (n == 0) { /* every writer gone: just wait now */
                    close(log[0]);
                    log_pipe = 0;
                }
            }
        } else {
            struct timespec nap = {0, 20000000};
            nanosleep(&nap, NULL);
        }
    }
    if (log_pipe) {
        /* What valgrind wrote last; a child the code left behind may hold
         * the pipe open, so read only what is there now. */
        fcntl(log[0], F_SETFL, O_NONBLOCK);
        char buf[65536];
        ssize_t n;
        while ((n = read(log[0], buf, sizeof buf)) > 0)
            if (kept < LOG_MAX) {
                write_all(LOG_FD, buf, (size_t)n);
                kept += (size_t)n;
            }
        close(log[0]);
    }
    return r;
}

static int printed_completion(const char *out_path, const char *secret)
{
    FILE *f = fopen(out_path, "r");
    if (!f)
        return 0;
    char want[160], line[512];
    snprintf(want, sizeof want, "scenario: complete %s\n", secret);
    int seen = 0;
    while (fgets(line, sizeof line, f))
        if (strcmp(line, want) == 0)
            seen = 1;
    fclose(f);
    return seen;
}

static int queue_exists(const char *name)
{
    mqd_t q = mq_open(name, O_RDONLY | O_NONBLOCK);
    int exists = q != (mqd_t)-1 || errno != ENOENT;
    if (q != (mqd_t)-1)
        mq_close(q);
    return exists;
}

static int shm_exists(const char *name)
{
    int fd = shm_open(name, O_RDONLY, 0);
    int exists = fd != -1 || errno != ENOENT;
    if (fd != -1)
        close(fd);
    return exists;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: scenario_check SCENARIO BASE OUTFILE "
                "(4>LOG 5>VERDICT)\n");
        return 2;
    }
    if (fcntl(LOG_FD, F_SETFD, FD_CLOEXEC) == -1 ||
        fcntl(VERDICT_FD, F_SETFD, FD_CLOEXEC) == -1) {
        fprintf(stderr, "scenario_check: descriptors 4 and 5 must be open\n");
        return 2;
    }
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
        perror("scenario_check: cannot make itself non-dumpable");
    signal(SIGPIPE, SIG_IGN);
    const char *scenario = argv[1], *base = argv[2], *out_path = argv[3];
    char family[NAMES_PER_SCENARIO][200];
    for (int i = 0; i < NAMES_PER_SCENARIO; i++)
        snprintf(family[i], sizeof family[i], "%s.%d", base, i);

    char secret[40];
    if (make_secret(secret, sizeof secret) == -1)
        return 1;
    char *native[] = {(char *)scenario, (char *)base, NULL};
    struct run r = run_child(native, out_path, secret,
                             seconds_from("GRADER_NATIVE_TIMEOUT", 3), 0);
    int done = WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0 &&
               printed_completion(out_path, secret);
    if (!r.hung) {
        /* Whatever the native run left must not trouble the real one. */
        for (int i = 0; i < NAMES_PER_SCENARIO; i++) {
            mq_unlink(family[i]);
            shm_unlink(family[i]);
        }
        if (make_secret(secret, sizeof secret) == -1)
            return 1;
        char log_opt[32];
        snprintf(log_opt, sizeof log_opt, "--log-fd=%d", CHILD_LOG_FD);
        char *argv_vg[] = {"valgrind", "--leak-check=full",
                           "--show-leak-kinds=definite,indirect",
                           "--errors-for-leak-kinds=definite,indirect",
                           "--track-fds=yes", "--child-silent-after-fork=yes",
                           "--num-callers=20", log_opt, (char *)scenario,
                           (char *)base, NULL};
        r = run_child(argv_vg, out_path, secret,
                      seconds_from("GRADER_VALGRIND_TIMEOUT", 40), 1);
        done = WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0 &&
               printed_completion(out_path, secret);
    }

    char verdict[8192];
    int used = snprintf(verdict, sizeof verdict, "status %d\ndone %d\nhung %d\n",
                        r.status, done, r.hung);
    for (int i = 0; i < NAMES_PER_SCENARIO; i++) {
        const char *kind = queue_exists(family[i]) ? "message-queue"
                         : shm_exists(family[i])   ? "shm-object"
                         : NULL;
        if (kind && used < (int)sizeof verdict - 300)
            used += snprintf(verdict + used, sizeof verdict - (size_t)used,
                             "left %s %s\n", kind, family[i]);
        mq_unlink(family[i]);
        shm_unlink(family[i]);
    }
    used += snprintf(verdict + used, sizeof verdict - (size_t)used, "end\n");
    if (write_all(VERDICT_FD, verdict, (size_t)used) == -1) {
        perror("scenario_check: cannot write the verdict");
        return 1;
    }
    return 0;
}
