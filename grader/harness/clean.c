/* clean.c - cleanliness checks from one valgrind run per lab.
 *
 * valgrind costs about a second per process it starts, so the lab's
 * scenario program (tests/scenario.c linked with the student's code) runs
 * under it once; the first cleanliness test to get the lock runs it and
 * leaves the evidence in $GRADER_RUN_DIR, the others read the same files:
 *   clean.log    valgrind's report        clean.status  the wait status
 *   clean.names  names left behind        clean.out     scenario output
 *   clean.done   1 if the scenario printed its completion line and secret
 * Criterion ignores a worker's valgrind verdict (#137), so it is read here.
 *
 * The scenario first runs natively, with a short deadline: code that
 * hangs there would hang under valgrind too, many times slower, so it is
 * not run under valgrind at all, and the runner is told (LAB_MARK_HUNG).
 */
#include "lab_marks.h"
#include "lab_scenario.h"
#include "lab_test.h"

#include <criterion/event.h>

#include <fcntl.h>
#include <mqueue.h>
#include <sys/mman.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NAMES_PER_SCENARIO 10

void lab_name_register(const char *name);

static const char *run_file(const char *leaf)
{
    const char *dir = getenv("GRADER_RUN_DIR");
    return lab_fmt("%s/%s", dir ? dir : ".", leaf);
}

static double valgrind_timeout(void)
{
    const char *s = getenv("GRADER_VALGRIND_TIMEOUT");
    double t = s ? atof(s) : 0;
    return t > 0 ? t : 40;
}

/* Holds an exclusive lock on clean.lock for the life of the process. */
static void lock_run_dir(void)
{
    int fd = open(run_file("clean.lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    cr_assert(fd != -1, "grader: cannot open the cleanliness lock: %s",
              strerror(errno));
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    while (fcntl(fd, F_SETLKW, &lk) == -1)
        cr_assert(errno == EINTR, "grader: cannot lock: %s", strerror(errno));
}

static double native_timeout(void)
{
    const char *s = getenv("GRADER_NATIVE_TIMEOUT");
    double t = s ? atof(s) : 0;
    return t > 0 ? t : 5;
}

/* 32 hex digits from the kernel's random pool. */
static void make_secret(char *out, size_t size)
{
    unsigned char raw[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    cr_assert(fd != -1 && read(fd, raw, sizeof raw) == (ssize_t)sizeof raw,
              "grader: cannot read /dev/urandom: %s", strerror(errno));
    close(fd);
    size_t used = 0;
    for (size_t i = 0; i < sizeof raw && used + 3 <= size; i++)
        used += (size_t)snprintf(out + used, size - used, "%02x", raw[i]);
}

/* Runs ARGV with OUT_PATH as its stdout and stderr and SECRET on
 * descriptor 3; *HUNG is 1 if it was killed at its deadline. Returns the
 * wait status. */
static int run_scenario_child(char *const argv[], const char *out_path,
                              const char *secret, double seconds, int *hung)
{
    int pipe_fds[2];
    cr_assert(pipe(pipe_fds) == 0, "grader: pipe failed: %s", strerror(errno));
    char line[128];
    int len = snprintf(line, sizeof line, "%s\n", secret);
    cr_assert(write(pipe_fds[1], line, (size_t)len) == len,
              "grader: cannot pass the secret: %s", strerror(errno));
    close(pipe_fds[1]);

    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid != -1, "grader: fork failed: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (out == -1 || in == -1 || dup2(in, 0) == -1 || dup2(out, 1) == -1 ||
            dup2(out, 2) == -1 || dup2(pipe_fds[0], LAB_SCENARIO_SECRET_FD) == -1)
            _exit(126);
        /* Only what the scenario and the student open may be counted. */
        for (int fd = LAB_SCENARIO_SECRET_FD + 1; fd < 1024; fd++)
            close(fd);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(pipe_fds[0]);
    int status = 0;
    *hung = 0;
    if (!lab_wait_pid(pid, seconds, &status)) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        *hung = 1;
    }
    return status;
}

static int printed_completion(const char *out_path, const char *secret)
{
    FILE *f = fopen(out_path, "r");
    if (!f)
        return 0;
    char want[160], line[512];
    snprintf(want, sizeof want, "%s %s\n", LAB_SCENARIO_DONE, secret);
    int seen = 0;
    while (fgets(line, sizeof line, f))
        if (strcmp(line, want) == 0)
            seen = 1;
    fclose(f);
    return seen;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f, "grader: cannot write %s: %s", path, strerror(errno));
    fputs(text, f);
    cr_assert(fclose(f) == 0, "grader: cannot write %s", path);
}

static void run_scenario_once(void)
{
    if (access(run_file("clean.status"), F_OK) == 0)
        return;
    char base[128];
    snprintf(base, sizeof base, "%s", lab_name("clean"));
    char family[NAMES_PER_SCENARIO][160];
    for (int i = 0; i < NAMES_PER_SCENARIO; i++) {
        snprintf(family[i], sizeof family[i], "%s.%d", base, i);
        lab_name_register(family[i]);
    }
    const char *bin_dir = getenv("GRADER_BIN_DIR");
    char scenario[4096], log_opt[4200], out_path[4096], secret[40];
    snprintf(scenario, sizeof scenario, "%s/scenario", bin_dir ? bin_dir : ".");
    snprintf(log_opt, sizeof log_opt, "--log-file=%s", run_file("clean.log"));
    snprintf(out_path, sizeof out_path, "%s", run_file("clean.out"));
    make_secret(secret, sizeof secret);

    /* Natively first: a hang costs seconds here, not valgrind's minute. */
    char *native[] = {scenario, base, NULL};
    int hung = 0;
    int status = run_scenario_child(native, out_path, secret, native_timeout(),
                                    &hung);
    int done = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
               printed_completion(out_path, secret);
    if (done) {
        /* Whatever the native run left must not trouble the real one. */
        for (int i = 0; i < NAMES_PER_SCENARIO; i++) {
            mq_unlink(family[i]);
            shm_unlink(family[i]);
        }
        make_secret(secret, sizeof secret);
        char *argv[] = {"valgrind", "--leak-check=full",
                        "--show-leak-kinds=definite,indirect",
                        "--errors-for-leak-kinds=definite,indirect",
                        "--track-fds=yes", "--child-silent-after-fork=yes",
                        "--num-callers=20", log_opt, scenario, base, NULL};
        status = run_scenario_child(argv, out_path, secret, valgrind_timeout(),
                                    &hung);
        done = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
               printed_completion(out_path, secret);
    } else {
        write_text(run_file("clean.log"), "");
    }
    write_text(run_file("clean.hung"), hung ? "1\n" : "0\n");
    write_text(run_file("clean.done"), done ? "1\n" : "0\n");

    char names_left[4096] = "";
    size_t used = 0;
    for (int i = 0; i < NAMES_PER_SCENARIO; i++) {
        const char *kind = lab_queue_exists(family[i]) ? "message queue"
                         : lab_shm_exists(family[i])   ? "shm object"
                         : NULL;
        if (kind && used < sizeof names_left - 200)
            used += (size_t)snprintf(names_left + used,
                                     sizeof names_left - used, "%s %s\n",
                                     kind, family[i]);
    }
    write_text(run_file("clean.names"), names_left);
    /* Written last: its presence means the evidence is complete. */
    write_text(run_file("clean.status"), lab_fmt("%d\n", status));
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return strdup("");
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    cr_assert(buf, "grader: out of memory");
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            cr_assert(buf, "grader: out of memory");
        }
    }
    buf[len] = '\0';
    fclose(f);
    return buf;
}

/* Strips valgrind's "==PID== " prefix. */
static const char *body(const char *line)
{
    if (line[0] == '=' && line[1] == '=') {
        const char *p = strstr(line + 2, "== ");
        if (p)
            return p + 3;
    }
    return line;
}

static int is_student_frame(const char *frame)
{
    const char *files = getenv("GRADER_STUDENT_FILES");
    if (!files)
        return 0;
    char list[1024];
    snprintf(list, sizeof list, "%s", files);
    for (char *save, *f = strtok_r(list, " ", &save); f;
         f = strtok_r(NULL, " ", &save))
        if (strstr(frame, lab_fmt("(%s:", f)))
            return 1;
    return 0;
}

/* The first frame of the stack after LINE that is in the student's code,
 * else the first with a source line; "" if none. */
static const char *where(char **lines, int n, int i)
{
    const char *fallback = "";
    for (int j = i + 1; j < n; j++) {
        const char *b = body(lines[j]);
        if (strncmp(b, "   at ", 6) && strncmp(b, "   by ", 6))
            break;
        const char *frame = strchr(b, ':');
        frame = frame ? frame + 2 : b;
        if (is_student_frame(frame))
            return lab_fmt("\n      at %s", frame);
        if (!*fallback && strstr(frame, ".c:") && !strstr(frame, "scenario.c"))
            fallback = lab_fmt("\n      at %s", frame);
    }
    return fallback;
}

static int split_lines(char *text, char ***out)
{
    int cap = 256, n = 0;
    char **lines = malloc(sizeof *lines * (size_t)cap);
    cr_assert(lines, "grader: out of memory");
    for (char *save, *l = strtok_r(text, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        if (n == cap) {
            cap *= 2;
            lines = realloc(lines, sizeof *lines * (size_t)cap);
            cr_assert(lines, "grader: out of memory");
        }
        lines[n++] = l;
    }
    *out = lines;
    return n;
}

static const char *memory_error_kinds[] = {
    "Invalid read", "Invalid write", "Invalid free", "Mismatched free",
    "Conditional jump or move depends on uninitialised",
    "Use of uninitialised", "Syscall param", "Source and destination overlap",
    "Argument 'size' of function", NULL};

static void append(char *dst, size_t cap, const char *text)
{
    size_t len = strlen(dst);
    snprintf(dst + len, cap - len, "%s", text);
}

void lab_assert_clean(enum lab_clean_kind kind, const char *note)
{
    const char *off = getenv("GRADER_LEAKCHECK");
    if (off && strcmp(off, "0") == 0)
        cr_skip_test("cleanliness checks are turned off (LEAKCHECK=0)");

    lock_run_dir();
    run_scenario_once();
    char *status_text = slurp(run_file("clean.status"));
    int status = atoi(status_text);
    free(status_text);
    char *done_text = slurp(run_file("clean.done"));
    int done = atoi(done_text);
    free(done_text);
    char *hung_text = slurp(run_file("clean.hung"));
    if (atoi(hung_text) == 1) {
        struct criterion_assert_stats mark = {.message = LAB_MARK_HUNG,
            .passed = 1, .file = __FILE__, .line = __LINE__};
        criterion_send_assert(&mark);
    }
    free(hung_text);
    char *scenario_out = slurp(run_file("clean.out"));
    char *log = slurp(run_file("clean.log"));

    lab_assert(!(WIFEXITED(status) && WEXITSTATUS(status) == 127), note,
               "grader: valgrind could not be started (is it installed? run "
               "`make doctor`)");
    int completed = WIFEXITED(status) && WEXITSTATUS(status) == 0 && done;
    lab_assert(completed, note,
               "cleanliness is checked by running the lab's scenario "
               "(tests/scenario.c) with your code under valgrind, and it "
               "did not complete:\n  the scenario %s\n  it said: %s\n  "
               "likely:   a behaviour test fails too; fix those first, "
               "cleanliness points count only once the behaviour works",
               WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL
                   ? "was still running after its deadline (a call blocked?)"
               : WIFEXITED(status) && WEXITSTATUS(status) == 0
                   ? "ended before its last line: your code called exit()"
                   : lab_describe_status(status),
               lab_quote(scenario_out, (long)strlen(scenario_out)));

    char **lines;
    int n = split_lines(log, &lines);
    char found[4096] = "";
    int count = 0;

    if (kind == LAB_CLEAN_NAMES) {
        char *left = slurp(run_file("clean.names"));
        lab_assert(left[0] == '\0', note,
                   "expected: every queue and shm object removed by the "
                   "end of the scenario\n  got:      still there:\n%s  "
                   "likely:   mq_unlink / shm_unlink never called; close() "
                   "and mq_close() do not remove a name",
                   left);
        free(left);
    }
    for (int i = 0; i < n && kind != LAB_CLEAN_NAMES; i++) {
        const char *b = body(lines[i]);
        if (kind == LAB_CLEAN_LEAKS &&
            (strstr(b, "are definitely lost") || strstr(b, "are indirectly lost"))) {
            count++;
            if (count <= 3)
                append(found, sizeof found,
                       lab_fmt("\n    %s%s", b, where(lines, n, i)));
        }
        if (kind == LAB_CLEAN_MEMORY) {
            for (const char **k = memory_error_kinds; *k; k++) {
                if (strncmp(b, *k, strlen(*k)) == 0) {
                    count++;
                    if (count <= 3)
                        append(found, sizeof found,
                               lab_fmt("\n    %s%s", b, where(lines, n, i)));
                    break;
                }
            }
        }
        if (kind == LAB_CLEAN_DESCRIPTORS &&
            strncmp(b, "Open file descriptor ", 21) == 0 && i + 1 < n &&
            !strstr(body(lines[i + 1]), "<inherited from parent>")) {
            count++;
            if (count <= 3)
                append(found, sizeof found,
                       lab_fmt("\n    %s%s", b, where(lines, n, i)));
        }
    }
    free(lines);
    free(log);
    free(scenario_out);

    if (kind == LAB_CLEAN_LEAKS)
        lab_assert(count == 0, note,
                   "expected: no memory definitely or indirectly lost\n  "
                   "got:      %d leak%s, valgrind says:%s\n  likely:   a "
                   "malloc'd buffer not freed on some path (an early "
                   "return on error?)", count, count == 1 ? "" : "s", found);
    if (kind == LAB_CLEAN_MEMORY)
        lab_assert(count == 0, note,
                   "expected: no invalid memory access\n  got:      %d "
                   "error%s, valgrind says:%s\n  likely:   writing past the "
                   "end of a buffer (room for the '\\0'?), reading memory "
                   "never written, or using memory after free",
                   count, count == 1 ? "" : "s", found);
    if (kind == LAB_CLEAN_DESCRIPTORS)
        lab_assert(count == 0, note,
                   "expected: every descriptor your code opened is closed\n"
                   "  got:      %d still open at exit:%s\n  likely:   a "
                   "missing mq_close()/close(), often on an error path; an "
                   "mqd_t is a descriptor and counts",
                   count, found);
}
