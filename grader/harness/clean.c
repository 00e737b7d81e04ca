/* clean.c - cleanliness checks from one valgrind run per lab.
 *
 * valgrind costs about a second per process it starts, so the lab's
 * scenario program (tests/scenario.c linked with the student's code) runs
 * under it once, beside the test runner and apart from it:
 * grader/scenario_check.c, started by grade.sh, writes the evidence into
 * files of the grader's that no student process can write, in
 * $GRADER_CLEAN_DIR:
 *   clean.log      valgrind's report
 *   clean.verdict  "status N", "done 0|1", "hung 0|1", "left KIND NAME"
 *                  lines, then "end" once the evidence is complete
 * and the scenario's output in $GRADER_RUN_DIR/clean.out. Each of the
 * four cleanliness tests waits for "end" and reads its part of it.
 * Criterion ignores a worker's valgrind verdict (#137), so it is read here.
 */
#include "lab_marks.h"
#include "lab_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *evidence_file(const char *leaf)
{
    const char *dir = getenv("GRADER_CLEAN_DIR");
    return lab_fmt("%s/%s", dir ? dir : ".", leaf);
}

static const char *run_file(const char *leaf)
{
    const char *dir = getenv("GRADER_RUN_DIR");
    return lab_fmt("%s/%s", dir ? dir : ".", leaf);
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

/* What follows valgrind's last "==PID== " prefix in LINE. The last, not
 * the first: the scenario may write into valgrind's pipe too, and a
 * partial line of its own would otherwise hide the report that follows. */
static const char *body(const char *line)
{
    const char *found = line;
    for (const char *p = strstr(line, "=="); p; p = strstr(p + 1, "==")) {
        const char *q = p + 2;
        if (*q < '0' || *q > '9')
            continue;
        while (*q >= '0' && *q <= '9')
            q++;
        if (strncmp(q, "== ", 3) == 0)
            found = q + 3;
    }
    return found;
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

/* The verdict once scenario_check has written all of it ("end"). The
 * test's own time limit bounds the wait. */
static char *wait_for_verdict(void)
{
    for (;;) {
        char *v = slurp(evidence_file("clean.verdict"));
        if (strstr(v, "\nend\n"))
            return v;
        free(v);
        struct timespec nap = {0, 20000000};
        nanosleep(&nap, NULL);
    }
}

static int verdict_number(const char *verdict, const char *key)
{
    for (const char *p = verdict; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
        size_t len = strlen(key);
        if (strncmp(p, key, len) == 0 && p[len] == ' ')
            return atoi(p + len + 1);
    }
    return -1;
}

/* valgrind's own count of the errors it reported ("ERROR SUMMARY: N
 * errors"), the last one in the log; -1 if there is none. */
static int error_summary(char **lines, int n)
{
    int count = -1;
    for (int i = 0; i < n; i++) {
        const char *b = body(lines[i]);
        if (strncmp(b, "ERROR SUMMARY: ", 15) == 0)
            count = atoi(b + 15);
    }
    return count;
}

void lab_assert_clean(enum lab_clean_kind kind, const char *note)
{
    const char *off = getenv("GRADER_LEAKCHECK");
    if (off && strcmp(off, "0") == 0)
        cr_skip_test("cleanliness checks are turned off (LEAKCHECK=0)");

    char *verdict = wait_for_verdict();
    int status = verdict_number(verdict, "status");
    int done = verdict_number(verdict, "done");
    if (verdict_number(verdict, "hung") == 1)
        lab_send_mark(LAB_MARK_HUNG);
    char *scenario_out = slurp(run_file("clean.out"));
    char *log = slurp(evidence_file("clean.log"));

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
               verdict_number(verdict, "killed") == 1
                   ? "was killed with the grader's program that ran it: your "
                     "code killed every process it could (kill(-1, ...))"
               : WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL
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
        char left[4096] = "";
        for (char *save, *l = strtok_r(verdict, "\n", &save); l;
             l = strtok_r(NULL, "\n", &save)) {
            char what[32], name[256];
            if (sscanf(l, "left %31s %255s", what, name) == 2)
                append(left, sizeof left, lab_fmt("    %s %s\n",
                       strcmp(what, "message-queue") ? "shm object"
                                                     : "message queue", name));
        }
        lab_assert(left[0] == '\0', note,
                   "expected: every queue and shm object removed by the "
                   "end of the scenario\n  got:      still there:\n%s  "
                   "likely:   mq_unlink / shm_unlink never called; close() "
                   "and mq_close() do not remove a name",
                   left);
    }
    free(verdict);
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
    /* valgrind's own count, against what could be read of its report: a
     * report the scenario wrote into, to hide an error, still fails. */
    int readable = 0;
    for (int i = 0; i < n; i++) {
        const char *b = body(lines[i]);
        if (strstr(b, "are definitely lost") || strstr(b, "are indirectly lost"))
            readable++;
        for (const char **k = memory_error_kinds; *k; k++)
            if (strncmp(b, *k, strlen(*k)) == 0)
                readable++;
    }
    int counted = error_summary(lines, n);
    free(lines);
    free(log);
    free(scenario_out);
    if (kind == LAB_CLEAN_LEAKS || kind == LAB_CLEAN_MEMORY)
        lab_assert(counted == 0 || (counted > 0 && readable > 0), note,
                   "expected: valgrind's report, whole\n  got:      %s\n  "
                   "likely:   your code wrote into valgrind's report (its "
                   "descriptor is inherited), or closed it",
                   counted < 0 ? "no ERROR SUMMARY line"
                               : lab_fmt("%d errors counted, none of them "
                                         "readable", counted));

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
