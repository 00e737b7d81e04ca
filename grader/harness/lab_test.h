/* lab_test.h - what every lab's Criterion tests include.
 *
 * A graded test is declared with its points next to it:
 *
 *     LAB_TEST(basics, one_message_round_trips, 10) { ... }
 *
 * The macro wraps the body so the grader can tell a test that ran to its
 * end from one whose student code called exit() or _exit(): Criterion
 * 2.4.1 reports the latter as PASSED. The points travel in the test's
 * description, where the runner-side report hook reads them.
 */
#ifndef LAB_TEST_H
#define LAB_TEST_H

#include <criterion/criterion.h>
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

/* Seconds a behaviour test may run natively before it counts as hung. */
#define LAB_TIMEOUT_DEFAULT 5.0

#define LAB_TEST_TIMEOUT(suite, name, points, seconds)                      \
    static void lab_body_##suite##_##name(void);                            \
    Test(suite, name, .description = "points=" #points,                    \
         .timeout = (seconds)) {                                            \
        lab_test_begin(#suite, #name, (seconds));                           \
        lab_body_##suite##_##name();                                        \
        lab_test_end(#suite, #name);                                        \
    }                                                                       \
    static void lab_body_##suite##_##name(void)

#define LAB_TEST(suite, name, points)                                       \
    LAB_TEST_TIMEOUT(suite, name, points, LAB_TIMEOUT_DEFAULT)

void lab_test_begin(const char *suite, const char *name, double seconds);
void lab_test_end(const char *suite, const char *name);

/* ---- failure messages --------------------------------------------------
 * Every failure says what was expected, what came, the likely cause, and
 * which note section explains it. NOTE is "NN-slug.md#anchor".           */

#define lab_assert(cond, note, ...)                                         \
    cr_assert((cond), "%s\n  read: notes/%s", lab_fmt(__VA_ARGS__), (note))

/* Fails unless RESULT is not -1; shows errno's name and its usual cause. */
#define lab_assert_ok(result, note, ...)                                    \
    do {                                                                    \
        long lab_result_ = (long)(result); /* evaluated before errno */     \
        int lab_saved_errno_ = errno;                                       \
        lab_assert(lab_result_ != -1L, (note), "%s\n  expected: success\n"  \
                   "  got:      -1, errno %s\n  likely:   %s",              \
                   lab_fmt(__VA_ARGS__), lab_errno_name(lab_saved_errno_),  \
                   lab_errno_hint(lab_saved_errno_));                       \
    } while (0)

/* Fails unless RESULT is -1 with errno WANT. */
#define lab_assert_fails_with(result, want, note, ...)                      \
    do {                                                                    \
        long lab_result_ = (long)(result); /* evaluated before errno */     \
        int lab_saved_errno_ = errno;                                       \
        lab_assert(lab_result_ == -1L && lab_saved_errno_ == (want), (note), \
                   "%s\n  expected: -1 with errno %s\n  got:      %ld%s%s"  \
                   "\n  likely:   %s",                                      \
                   lab_fmt(__VA_ARGS__), lab_errno_name(want), lab_result_, \
                   lab_result_ == -1L ? ", errno " : "",                    \
                   lab_result_ == -1L ? lab_errno_name(lab_saved_errno_) : "", \
                   lab_result_ == -1L                                       \
                       ? lab_errno_hint(lab_saved_errno_)                   \
                       : "the call succeeded where it must fail; or errno " \
                         "was overwritten before returning");               \
    } while (0)

/* ---- the likely cause ----------------------------------------------------
 * A "likely:" line names the mistake, and, where the evidence points at one
 * of the student's functions, that function rather than the call the test
 * happened to make last. A cause the hints know carries a key: the grader
 * records the key of each failure (.grade/state/LAB: "cause TAB suite/name
 * TAB KEY"), and `make hint` shows that cause's hints first (hints/NN-slug.md,
 * "### cause: KEY" under the test's "## suite/name", or a lab-wide
 * "## cause: KEY"). Both are string literals, for lab_assert's format or a
 * "%s" argument (escape any '%' in TEXT as "%%" when it is in the format):
 *
 *     LAB_CAUSE("attr-not-passed", "mq_open was given no attributes")
 *       "mq_open was given no attributes [cause: attr-not-passed]"
 *     LAB_BLAME("create-unlinks-early", "channel_create",
 *               "unlinks the names too early (right after mapping)")
 *       "channel_create unlinks the names too early (right after mapping)
 *        [cause: create-unlinks-early]"
 *
 * A KEY is lower case letters, digits and '-', written on the macro's own
 * line (`make test` finds the keys there and checks the hints know each). */
#define LAB_CAUSE(key, text) text " [cause: " key "]"
#define LAB_BLAME(key, function, text) LAB_CAUSE(key, function " " text)

/* printf into one of a few rotating static buffers (test messages only). */
const char *lab_fmt(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* "EMSGSIZE" for EMSGSIZE; "errno 123" for numbers it does not know. */
const char *lab_errno_name(int err);
/* The usual cause of ERR in these labs, in a student's words. */
const char *lab_errno_hint(int err);
/* Printable, bounded copy of untrusted bytes for a message. */
const char *lab_quote(const void *bytes, long len);

/* ---- names --------------------------------------------------------------
 * Every queue or shm name a test uses is unique to this run, this test
 * process and this tag, and is removed again on every path.            */
const char *lab_name(const char *tag);
/* Removes every queue and shm object lab_name() handed out in this
 * process; called by lab_test_end and safe to call again.             */
void lab_forget_names(void);
/* 1 if a queue of that name exists now, 0 if not. */
int lab_queue_exists(const char *name);
/* 1 if a shm object of that name exists now, 0 if not. */
int lab_shm_exists(const char *name);

/* ---- processes ----------------------------------------------------------
 * Children never return into Criterion: they _exit(). Every child is
 * killed at the end of the test, whatever happened.                  */
typedef struct lab_proc {
    pid_t pid;
    int out_fd;          /* read end of the child's stdout, or -1      */
    int err_fd;          /* read end of the child's stderr, or -1      */
    int status;          /* wait status once reaped                    */
    int reaped;
    char out[8192];      /* everything read from stdout so far         */
    size_t out_len;
    char err[4096];
    size_t err_len;
    char blocked[512];   /* where it was stuck when killed at a deadline */
} lab_proc;

/* Runs FN(ARG) in a child; the child's exit status is FN's return value. */
pid_t lab_spawn(int (*fn)(void *), void *arg);
/* Starts one of the lab's programs (GRADER_BIN_DIR/NAME) with ARGV. */
void lab_start_program(lab_proc *p, char *const argv[]);
/* Reads the child's stdout until LINE appears (1) or the deadline (0). */
int lab_wait_for_output(lab_proc *p, const char *line, double seconds);
/* Waits up to SECONDS for the child, collecting its output; 1 if it
 * ended, 0 if it was still running (it is then killed).              */
int lab_finish(lab_proc *p, double seconds);
/* Waits up to SECONDS for PID; 1 and *STATUS if it ended, 0 if not. */
int lab_wait_pid(pid_t pid, double seconds, int *status);
/* "exited with 3", "killed by SIGSEGV (invalid memory access)", ... */
const char *lab_describe_status(int status);
/* Waits until process PID is blocked inside one of the system calls NRS
 * (SYS_mq_timedsend, ...): a handshake that needs no cooperation from the
 * code under test. 1 then; 0 if PID ended first or SECONDS passed. Never
 * reaps PID. */
int lab_wait_in_syscall(pid_t pid, const long *nrs, int count, double seconds);
/* What process PID is doing now, in a student's words ("mq_receive:
 * waiting for a message ..."), or NULL if nothing telling. */
const char *lab_blocked_in(pid_t pid);
/* How many descriptors this process has open now (/proc/self/fd; the
 * one that lists them is already closed again when it returns, but it
 * counts itself while listing, the same every time). */
int lab_open_fd_count(void);
/* Between these two calls, this process's stdout and stderr go into a
 * pipe (non-blocking: code that prints much cannot hang the test), to
 * see whether the code under test printed anything. The end restores
 * them and returns what was printed, quoted, or NULL if nothing was. */
void lab_capture_output_begin(void);
const char *lab_capture_output_end(void);
/* CPU seconds (user + system) used by reaped children of this process. */
double lab_children_cpu_seconds(void);

/* ---- cleanliness ----------------------------------------------------------
 * The lab's scenario program (tests/scenario.c, linked with the student's
 * code) runs once per lab under valgrind; each cleanliness test reads one
 * part of that single run's verdict.                                     */
enum lab_clean_kind {
    LAB_CLEAN_LEAKS,        /* definite or indirect leaks                */
    LAB_CLEAN_MEMORY,       /* invalid reads, writes, frees, uninit use  */
    LAB_CLEAN_DESCRIPTORS,  /* descriptors left open at exit             */
    LAB_CLEAN_NAMES         /* queues or shm objects left behind         */
};
void lab_assert_clean(enum lab_clean_kind kind, const char *note);

#endif
