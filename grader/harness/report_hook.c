/* report_hook.c - the grader's own record of each test, written by the
 * Criterion runner process (never by the student's code).
 *
 * Criterion 2.4.1's --json/--xml output is not escaped and its PASSED
 * includes tests whose code called exit(0), so the grader does not read
 * it. Instead this hook writes one line per test to the descriptor named
 * by $GRADER_REPORT_FD, which grade.sh opens on a file the student's ids
 * cannot open. Before any worker starts, the runner marks that descriptor
 * close-on-exec (the workers are exec'd: they never have it) and makes
 * itself non-dumpable, so no worker can ptrace it or open its
 * /proc/PID/fd. The line:
 *
 *   suite TAB name TAB points TAB verdict TAB seconds TAB message
 *
 * verdict is PASS, FAIL, CRASH, TIMEOUT, CUT (timed out under a limit cut
 * short), SKIP or EXIT (ended the process early).
 * The message is escaped so it holds no TAB, newline or control byte;
 * grader/report decodes it and makes it safe for JSON and terminals.
 */
#include "lab_marks.h"
#include "lab_test.h"

#include <criterion/hooks.h>
#include <fcntl.h>
#include <sys/prctl.h>
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

/* The marks of lab_marks.h among the test's passed assertions. */
static int has_mark(const struct criterion_test_stats *stats, const char *mark)
{
    for (const struct criterion_assert_stats *a = stats->asserts; a; a = a->next)
        if (a->passed && a->message && strcmp(a->message, mark) == 0)
            return 1;
    return 0;
}

static int reached_end(const struct criterion_test_stats *stats)
{
    return has_mark(stats, LAB_MARK_END);
}

/* What the watchdog of test_life.c saw the test blocked in, or "". */
static const char *blocked_in(const struct criterion_test_stats *stats)
{
    static char what[512];
    size_t len = strlen(LAB_MARK_BLOCKED);
    what[0] = '\0';
    for (const struct criterion_assert_stats *a = stats->asserts; a; a = a->next) {
        if (!a->passed || !a->message || strncmp(a->message, LAB_MARK_BLOCKED, len))
            continue;
        long index = strtol(a->message + len, NULL, 10);
        const char *text = lab_blocked_text(index);
        if (text)
            snprintf(what, sizeof what, "%s%s",
                     index == LAB_BLOCKED_RUNNING ? "" : "waiting in ", text);
    }
    return what;
}

/* ---- hanging code costs seconds ---------------------------------------
 * A lab whose every test hangs would cost every test's full limit. Once
 * HANG_SEEN tests have timed out, and more have hung than ended in time,
 * the runner cuts every limit to CUT_SECONDS for the tests not started
 * yet (Criterion reads a test's limit when it starts the worker); as soon
 * as as many end in time as hung, the limits are restored. A test that
 * timed out under a cut limit is recorded as CUT, and grade.sh grades the
 * lab again without cuts if any other behaviour test passed: a cut limit
 * never costs a test of code that works in part.                      */
#define HANG_SEEN 2
#define CUT_SECONDS 1.0
#define MAX_TESTS 256

static struct criterion_test_set *all_tests;
static struct criterion_test_extra_data *limits_of[MAX_TESTS];
static double full_limit[MAX_TESTS];
static int test_count;
static int hung, ended_in_time, cut_now;

static void remember_limits(void)
{
    if (!all_tests || !all_tests->suites)
        return;
    for (struct criterion_ordered_set_node *s = all_tests->suites->first; s; s = s->next) {
        struct criterion_suite_set *suite = (void *)(s + 1);
        if (!suite->tests)
            continue;
        for (struct criterion_ordered_set_node *t = suite->tests->first; t; t = t->next) {
            struct criterion_test *test = (void *)(t + 1);
            if (test->data && test_count < MAX_TESTS) {
                limits_of[test_count] = test->data;
                full_limit[test_count++] = test->data->timeout;
            }
        }
    }
}

static void set_cut(int on)
{
    if (on == cut_now || getenv("GRADER_NO_CUT"))
        return;
    cut_now = on;
    for (int i = 0; i < test_count; i++)
        limits_of[i]->timeout = on && full_limit[i] > CUT_SECONDS
                                    ? CUT_SECONDS : full_limit[i];
    if (on) {
        char limit[32];
        snprintf(limit, sizeof limit, "%.1f", CUT_SECONDS);
        setenv(LAB_CUT_ENV, limit, 1);
    } else {
        unsetenv(LAB_CUT_ENV);
    }
}

/* Killed at its limit by Criterion, or by its own watchdog (test_life.c). */
static int timed_out(const struct criterion_test_stats *stats)
{
    return stats->timed_out || has_mark(stats, LAB_MARK_TIMED_OUT);
}

/* The cleanliness tests end in time whatever the code does (their
 * scenario has its own deadline): they count as hung when the scenario
 * was (LAB_MARK_HUNG), and never as ended in time. */
static void count_for_cut(const struct criterion_test_stats *stats)
{
    if (timed_out(stats) || has_mark(stats, LAB_MARK_HUNG))
        hung++;
    else if (strcmp(stats->test->category, "clean") != 0)
        ended_in_time++;
    set_cut(hung >= HANG_SEEN && hung > ended_in_time);
}

static int report_fd = -1;

ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
    all_tests = set;
    remember_limits();
    const char *fd_text = getenv("GRADER_REPORT_FD");
    report_fd = fd_text ? atoi(fd_text) : -1;
    if (report_fd > 2 && fcntl(report_fd, F_SETFD, FD_CLOEXEC) == -1) {
        perror("grader: the report descriptor is not open");
        report_fd = -1;
    }
    /* No worker may read this process's memory or reopen its files. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
        perror("grader: cannot make the runner non-dumpable");
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
    int was_cut = cut_now && timed_out(stats);
    count_for_cut(stats);
    if (report_fd <= 2)
        return;
    const char *suite = stats->test->category;
    const char *name = stats->test->name;
    const char *desc = stats->test->data ? stats->test->data->description : NULL;
    long points = 0;
    if (desc && strncmp(desc, "points=", 7) == 0)
        points = strtol(desc + 7, NULL, 10);

    const char *verdict;
    char why[1024] = "";
    if (timed_out(stats)) {
        verdict = was_cut ? "CUT" : "TIMEOUT";
        const char *what = blocked_in(stats);
        const char *cut_note = was_cut ? " (the limit was cut short: the "
                                         "tests before it hung too)" : "";
        if (*what)
            snprintf(why, sizeof why, "did not finish within %.0f s%s. Just "
                     "before the deadline it was %s",
                     stats->test->data->timeout, cut_note, what);
        else
            snprintf(why, sizeof why, "did not finish within %.0f s%s: a call "
                     "is still blocked (mq_receive on an empty queue, mq_send "
                     "on a full one, a lock never released) or a loop never "
                     "ends", stats->test->data->timeout, cut_note);
    } else if (stats->crashed || stats->signal) {
        verdict = "CRASH";
        snprintf(why, sizeof why, "the test process was killed by signal "
                 "%d%s", stats->signal, signal_hint(stats->signal));
    } else if (stats->test_status == CR_STATUS_SKIPPED) {
        verdict = "SKIP";
        snprintf(why, sizeof why, "not run: %s",
                 stats->message ? stats->message : "skipped");
    } else if (stats->test_status == CR_STATUS_PASSED &&
               !reached_end(stats)) {
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

    /* One write() per record keeps each line whole. */
    if (write(report_fd, r.text, r.len) != (ssize_t)r.len)
        perror("grader: cannot write the report");
}

ReportHook(POST_TEST)(struct criterion_test_stats *stats)
{
    record(stats);
}

ReportHook(TEST_CRASH)(struct criterion_test_stats *stats)
{
    record(stats);
}
