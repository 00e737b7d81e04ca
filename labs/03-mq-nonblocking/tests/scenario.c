/* scenario.c - lab 03: what a correct program does with the library,
 * start to end, run once under valgrind for the cleanliness tests.
 * It drains, switches modes, makes timed calls and a retry that times
 * out, then closes and removes its queue. Exits 0 only if the calls a
 * working program needs succeed; how exactly they behave is the
 * behaviour tests' business. */
#include "lab_scenario.h"
#include "mq_nonblock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSGSIZE 32

/* Touches every byte it is given, so that valgrind checks them all. */
static void count_bytes(const void *data, size_t len, unsigned prio, void *arg)
{
    const unsigned char *b = data;
    long *total = arg;
    for (size_t i = 0; i < len; i++)
        *total += b[i] != 0;
    *total += prio != 0;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char name[200];
    snprintf(name, sizeof name, "%s.0", argv[1]);
    char full[MSGSIZE];
    memset(full, 'f', sizeof full);

    mqd_t q = nb_create(name, 4, MSGSIZE, 1);
    if (q == (mqd_t)-1)
        return lab_scenario_failed("nb_create failed");
    struct mq_attr attr;
    if (mq_getattr(q, &attr) == -1)
        return lab_scenario_failed("mq_getattr failed");
    if (!(attr.mq_flags & O_NONBLOCK)) {
        /* Going on would block for ever in the first empty receive. */
        mq_close(q);
        mq_unlink(name);
        errno = 0;
        return lab_scenario_failed("nb_create(..., 1) gave a blocking descriptor");
    }
    if (mq_send(q, full, MSGSIZE, 1) == -1 || mq_send(q, "ab", 2, 5) == -1 ||
        mq_send(q, "c", 1, 0) == -1)
        return lab_scenario_failed("mq_send failed");
    long total = 0;
    if (nb_drain(q, count_bytes, &total) != 3)
        return lab_scenario_failed("nb_drain did not take the 3 messages");

    if (nb_set_nonblocking(q, 0) == -1)
        return lab_scenario_failed("nb_set_nonblocking failed");
    if (nb_send_within(q, "t", 1, 2, 1000) == -1)
        return lab_scenario_failed("nb_send_within failed on a queue with room");
    char *buf = malloc(MSGSIZE);
    if (buf == NULL)
        return lab_scenario_failed("out of memory");
    unsigned prio = 0;
    ssize_t n = nb_receive_within(q, buf, MSGSIZE, &prio, 1000);
    free(buf);
    if (n != 1)
        return lab_scenario_failed("nb_receive_within did not receive the message");

    for (int i = 0; i < 4; i++)
        if (mq_send(q, "m", 1, 0) == -1)
            return lab_scenario_failed("mq_send failed");
    if (nb_set_nonblocking(q, 1) == -1)
        return lab_scenario_failed("nb_set_nonblocking failed");
    /* An error path: the queue stays full, the retry times out. */
    if (nb_send_retry(q, "x", 1, 0, 20) != -1)
        return lab_scenario_failed("nb_send_retry succeeded on a full queue");
    if (nb_drain(q, NULL, NULL) != 4)
        return lab_scenario_failed("nb_drain did not take the 4 messages");
    struct timespec deadline;
    if (nb_deadline_after(&deadline, 10) == -1)
        return lab_scenario_failed("nb_deadline_after failed");

    if (mq_close(q) == -1 || mq_unlink(name) == -1)
        return lab_scenario_failed("mq_close or mq_unlink failed");
    return lab_scenario_complete();
}
