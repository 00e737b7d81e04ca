/* lab_scenario.h - for tests/scenario.c, the program each lab runs once
 * under valgrind for its cleanliness tests.
 *
 * A scenario ends with `return lab_scenario_complete();`. The grader
 * counts the run only if that line was printed, followed by a secret it
 * hands the scenario on descriptor 3: an exit(0) inside the student's
 * code would otherwise look like success, and so would a student's code
 * that prints the line itself. The secret is read, and its descriptor
 * closed, before main, so it is in no file and no descriptor the
 * student's code could read (the student's objects may have no
 * constructors of their own: grader/check-objects.sh). */
#ifndef LAB_SCENARIO_H
#define LAB_SCENARIO_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LAB_SCENARIO_DONE "scenario: complete"
#define LAB_SCENARIO_SECRET_FD 3

static char lab_scenario_secret[80];

__attribute__((constructor)) static void lab_scenario_take_secret(void)
{
    ssize_t n = read(LAB_SCENARIO_SECRET_FD, lab_scenario_secret,
                     sizeof lab_scenario_secret - 1);
    lab_scenario_secret[n > 0 ? n : 0] = '\0';
    lab_scenario_secret[strcspn(lab_scenario_secret, "\n")] = '\0';
    if (n >= 0)
        close(LAB_SCENARIO_SECRET_FD);
}

static inline int lab_scenario_complete(void)
{
    printf("%s %s\n", LAB_SCENARIO_DONE, lab_scenario_secret);
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
