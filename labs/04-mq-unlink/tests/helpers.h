/* helpers.h - lab 04: what several test files need. Header-only, static
 * inline, so a file that uses only some of it still compiles with -Werror. */
#ifndef LAB04_HELPERS_H
#define LAB04_HELPERS_H

#include "lab_test.h"
#include "mq_owner.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_TWO      "04-mq-unlink.md#names-and-queues-are-two-things"
#define N_UNLINK   "04-mq-unlink.md#unlinking-an-open-queue"
#define N_SAMENAME "04-mq-unlink.md#the-same-name-a-new-queue"
#define N_OUTLIVE  "04-mq-unlink.md#descriptors-outlive-the-name"
#define N_PERSIST  "04-mq-unlink.md#persistence"
#define N_OWNER    "04-mq-unlink.md#the-owner-is-responsible-for-the-name"
#define N_EARLY    "04-mq-unlink.md#unlinking-early"
#define N_LATE     "04-mq-unlink.md#a-late-peer"
#define N_WAIT     "04-mq-unlink.md#waiting-for-an-owner"
#define N_EXISTS   "04-mq-unlink.md#does-a-queue-exist"
#define N_MAILBOX  "04-mq-unlink.md#a-mailbox"
#define N_CLEAN    "04-mq-unlink.md#cleaning-up"

static inline double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void start_owner(struct owner *o, const char *name, long maxmsg,
                               long msgsize)
{
    memset(o, 0, sizeof *o);
    lab_assert_ok(owner_start(o, name, maxmsg, msgsize), N_OWNER,
                  "owner_start(&o, \"%s\", %ld, %ld)", name, maxmsg, msgsize);
}

static inline struct mq_attr attr_of(mqd_t q, const char *what)
{
    struct mq_attr a;
    lab_assert_ok(mq_getattr(q, &a), N_OUTLIVE, "mq_getattr on %s", what);
    return a;
}

/* Descriptors this process has open now (from /proc/self/fd). */
static inline int open_descriptors(void)
{
    DIR *d = opendir("/proc/self/fd");
    cr_assert(d != NULL, "grader: cannot read /proc/self/fd");
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static inline void nap_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) == -1 && errno == EINTR)
        continue;
}

/* A child's exit status as a sentence: 0 is success, other values the
 * errno it met. */
static inline const char *child_said(int status)
{
    if (!WIFEXITED(status))
        return lab_describe_status(status);
    int code = WEXITSTATUS(status);
    if (code == 0)
        return "success";
    return lab_fmt("-1 with errno %s (%s)", lab_errno_name(code),
                   lab_errno_hint(code));
}

#endif
