/* report_hook.c - the grader's own record of each test, written by the
 * Criterion runner process (never by the student's code).
 *
 * Criterion 2.4.1's --json/--xml output is not escaped and its PASSED
 * includes tests whose code called exit(0), so the grader does not read
 * it. Instead this hook appends one line per test to $GRADER_REPORT:
 *
 *   suite TAB name TAB points TAB verdict TAB seconds TAB message
 *
 * verdict is PASS, FAIL, CRASH, TIMEOUT, SKIP or EXIT (ended the process early).
 * The message is escaped so it holds no TAB, newline or control byte;
 * grader/report decodes it and makes it safe for JSON and terminals.
 */
#include "lab_test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORD_MAX 16384

struct record {
    char text[RECORD_MAX];
    size_t len;
};

static void put_raw(struct record *r, const char *s)
{
    size_t n = strlen(s);
    if (n > RECORD_MAX - 1 - r->len)
        n = RECORD_MAX - 1 - r->len;
    memcpy(r->text + r->len, s, n);
    r->len += n;
}

/* Backslash-escapes everything that could break the line format. */
static void put_escaped(struct record *r, const char *s)
{
    for (; *s && r->len < RECORD_MAX - 8; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\') {
            put_raw(r, "\\\\");
        } else if (c == '\n') {
            put_raw(r, "\\n");
        } else if (c < 0x20 || c == 0x7f) {
            char hex[8];
            snprintf(hex, sizeof hex, "\\x%02x", c);
            put_raw(r, hex);
        } else {
            r->text[r->len++] = (char)c;
        }
    }
}

static int reached_end(const char *suite, const char *name)
{
    const char *dir = getenv("GRADER_RUN_DIR");
    char path[4096];
    if (!dir)
        return 0;
    snprintf(path, sizeof path, "%s/done/%s.%s", dir, suite, name);
    return access(path, F_OK) == 0;
}

/* What the watchdog of test_life.c saw the test blocked in, or "". */
static const char *blocked_in(const char *suite, const char *name)
{
    static char what[512];
    const char *dir = getenv("GRADER_RUN_DIR");
    char path[4096];
    what[0] = '\0';
    if (!dir)
        return what;
    snprintf(path, sizeof path, "%s/blocked/%s.%s", dir, suite, name);
    FILE *f = fopen(path, "r");
    if (f) {
        size_t n = fread(what, 1, sizeof what - 1, f);
        what[n] = '\0';
        fclose(f);
    }
    return what;
}

static const char *signal_hint(int sig)
{
    switch (sig) {
    case 11: return " (SIGSEGV: invalid memory access, e.g. a NULL or freed pointer)";
    case 7:  return " (SIGBUS: touched a mapping beyond the object's size; see ftruncate)";
    case 6:  return " (SIGABRT: abort(), often a failed assert or a corrupted heap)";
    case 8:  return " (SIGFPE: arithmetic error such as division by zero)";
    case 9:  return " (SIGKILL)";
    case 13: return " (SIGPIPE: wrote to a pipe nobody reads)";
    default: return "";
    }
}

/* Criterion calls TEST_CRASH, not POST_TEST, for a test killed by a
 * signal; each test is recorded once, whichever hook sees it first. */
static int already_recorded(const struct criterion_test *test)
{
    static const struct criterion_test *seen[256];
    static int count;
    for (int i = 0; i < count; i++)
        if (seen[i] == test)
            return 1;
    if (count < 256)
        seen[count++] = test;
    return 0;
}

static void record(struct criterion_test_stats *stats)
{
    if (already_recorded(stats->test))
        return;
    const char *path = getenv("GRADER_REPORT");
    if (!path)
        return;
    const char *suite = stats->test->category;
    const char *name = stats->test->name;
    const char *desc = stats->test->data ? stats->test->data->description : NULL;
    long points = 0;
    if (desc && strncmp(desc, "points=", 7) == 0)
        points = strtol(desc + 7, NULL, 10);

    const char *verdict;
    char why[1024] = "";
    if (stats->timed_out) {
        verdict = "TIMEOUT";
        const char *what = blocked_in(suite, name);
        if (*what)
            snprintf(why, sizeof why, "did not finish within %.0f s. Just "
                     "before the deadline it was %s",
                     stats->test->data->timeout, what);
        else
            snprintf(why, sizeof why, "did not finish within %.0f s: a call "
                     "is still blocked (mq_receive on an empty queue, mq_send "
                     "on a full one, a lock never released) or a loop never "
                     "ends", stats->test->data->timeout);
    } else if (stats->crashed || stats->signal) {
        verdict = "CRASH";
        snprintf(why, sizeof why, "the test process was killed by signal "
                 "%d%s", stats->signal, signal_hint(stats->signal));
    } else if (stats->test_status == CR_STATUS_SKIPPED) {
        verdict = "SKIP";
        snprintf(why, sizeof why, "not run: %s",
                 stats->message ? stats->message : "skipped");
    } else if (stats->test_status == CR_STATUS_PASSED &&
               !reached_end(suite, name)) {
        verdict = "EXIT";
        snprintf(why, sizeof why, "the test process ended (exit status %d) "
                 "before the test finished: your code called exit() or "
                 "_exit() instead of returning an error to its caller",
                 stats->exit_code);
    } else if (stats->test_status == CR_STATUS_PASSED) {
        verdict = "PASS";
    } else {
        verdict = "FAIL";
        if (stats->failed_asserts == 0)
            snprintf(why, sizeof why, "the test process ended with status %d "
                     "before the test finished: your code called exit()",
                     stats->exit_code);
    }

    struct record r = {.len = 0};
    char num[64];
    put_escaped(&r, suite);
    put_raw(&r, "\t");
    put_escaped(&r, name);
    snprintf(num, sizeof num, "\t%ld\t%s\t%.3f\t", points, verdict,
             (double)stats->elapsed_time);
    put_raw(&r, num);
    put_escaped(&r, why);
    for (struct criterion_assert_stats *a = stats->asserts; a; a = a->next) {
        if (a->passed || !a->message)
            continue;
        if (r.len && r.text[r.len - 1] != '\t')
            put_raw(&r, "\\n");
        put_escaped(&r, a->message);
    }
    put_raw(&r, "\n");

    /* O_APPEND with one write() per record keeps lines whole even if two
     * runners ever shared the file; O_CLOEXEC keeps it from test workers. */
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd == -1) {
        perror("grader: cannot open the report file");
        return;
    }
    if (write(fd, r.text, r.len) != (ssize_t)r.len)
        perror("grader: cannot write the report file");
    if (close(fd) == -1)
        perror("grader: cannot close the report file");
}

ReportHook(POST_TEST)(struct criterion_test_stats *stats)
{
    record(stats);
}

ReportHook(TEST_CRASH)(struct criterion_test_stats *stats)
{
    record(stats);
}
