/* lab_marks.h - the notes a test worker sends its runner (test_life.c to
 * report_hook.c), as passed assertions through Criterion's own channel.
 *
 *   LAB_MARK_END          the test body ran to its end (an exit() inside
 *                         the student's code never gets there)
 *   LAB_MARK_BLOCKED "N"  just before the deadline the test was in the
 *                         blocking call number N of test_life.c's table
 *                         (LAB_BLOCKED_RUNNING: in none, busy), so the
 *                         runner prints the grader's own text for it
 *   LAB_MARK_TIMED_OUT    the worker's own watchdog ended it, a second
 *                         past its limit, since Criterion had not
 *   LAB_MARK_HUNG         the lab's scenario did not end by its deadline
 *                         (clean.c): for the runner, a hang like a
 *                         timeout                                        */
#ifndef LAB_MARKS_H
#define LAB_MARKS_H

#define LAB_MARK_END "lab-mark: end of test"
#define LAB_MARK_BLOCKED "lab-mark: blocked in "
#define LAB_MARK_HUNG "lab-mark: the scenario hung"
#define LAB_MARK_TIMED_OUT "lab-mark: past the time limit"
#define LAB_BLOCKED_RUNNING 1000

/* Set by the runner in its environment (so every worker started after it
 * sees it) once it has cut the time limits short: the new limit in s. */
#define LAB_CUT_ENV "GRADER_CUT_TIMEOUT"

/* Sends TEXT to the runner as a passed assertion (test_life.c). */
void lab_send_mark(const char *text);

/* The grader's text for blocking call INDEX, or NULL. */
const char *lab_blocked_text(long index);

#endif
