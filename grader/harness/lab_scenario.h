/* lab_scenario.h - for tests/scenario.c, the program each lab runs once
 * under valgrind for its cleanliness tests.
 *
 * A scenario ends with `return lab_scenario_complete();`. The grader
 * counts the run only if that line was printed: an exit(0) inside the
 * student's code would otherwise look like success. */
#ifndef LAB_SCENARIO_H
#define LAB_SCENARIO_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LAB_SCENARIO_DONE "scenario: complete"

static inline int lab_scenario_complete(void)
{
    printf("%s\n", LAB_SCENARIO_DONE);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* Says which step went wrong, and the errno it left; returns the exit
 * status of a scenario that failed: `return lab_scenario_failed("...");`. */
static inline int lab_scenario_failed(const char *what)
{
    fprintf(stderr, "scenario: %s (errno %d: %s)\n", what, errno,
            strerror(errno));
    return 1;
}

#endif
