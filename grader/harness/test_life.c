/* test_life.c - what runs around every graded test body in the worker:
 * marks the test as having reached its end (so an early exit() by student
 * code is caught), and removes every name and child the test created. */
#include "lab_test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pid_t worker_pid;

void lab_proc_kill_all(void);

void lab_test_begin(void)
{
    worker_pid = getpid();
}

void lab_test_end(const char *suite, const char *name)
{
    /* A child that returned here instead of calling _exit() must not
     * claim the test's success, nor tear down its parent's names. */
    if (getpid() != worker_pid)
        _exit(125);
    lab_proc_kill_all();
    lab_forget_names();

    const char *dir = getenv("GRADER_RUN_DIR");
    if (!dir)
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s/done/%s.%s", dir, suite, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    cr_assert(fd != -1, "grader: cannot record the end of the test in %s", path);
    close(fd);
}
