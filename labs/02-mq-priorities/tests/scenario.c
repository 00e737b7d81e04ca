/* scenario.c - lab 02: what a correct program does with the library,
 * start to end, run once under valgrind for the cleanliness tests.
 * It sends messages of several priorities and sizes (one of exactly
 * mq_msgsize bytes, so that valgrind sees a write one byte too far),
 * takes a few error paths, receives everything and removes the queue.
 * Exits 0 only if the calls a working program needs succeed. */
#include "lab_scenario.h"
#include "mq_priorities.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MSGSIZE 64

/* Receives one message and checks its bytes and priority. */
static int expect(mqd_t q, const void *data, size_t len, unsigned prio)
{
    struct prio_msg m = {.data = NULL};
    if (prio_receive(q, &m) == -1)
        return lab_scenario_failed("prio_receive failed");
    int same = m.len == len && m.prio == prio && memcmp(m.data, data, len) == 0;
    prio_msg_free(&m);
    if (!same) {
        errno = 0;
        return lab_scenario_failed("prio_receive gave another message than expected");
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char name[200];
    snprintf(name, sizeof name, "%s.0", argv[1]);
    char full[MSGSIZE];
    for (int i = 0; i < MSGSIZE; i++)
        full[i] = (char)('a' + i % 26);

    mqd_t q = prio_create(name, 4, MSGSIZE);
    if (q == (mqd_t)-1)
        return lab_scenario_failed("prio_create failed");
    if (prio_send(q, "low", 3, 1) == -1 || prio_send(q, full, MSGSIZE, 7) == -1 ||
        prio_send(q, "", 0, 3) == -1)
        return lab_scenario_failed("prio_send failed");
    /* An error path: the descriptor it opened must still be closed. */
    long prio_max = sysconf(_SC_MQ_PRIO_MAX);
    if (prio_send_to(name, "x", 1, (unsigned)prio_max) != -1) {
        errno = 0;
        return lab_scenario_failed("prio_send_to accepted a priority too high");
    }
    if (prio_send_to(name, "mid", 3, 4) == -1)
        return lab_scenario_failed("prio_send_to failed");

    if (expect(q, full, MSGSIZE, 7) || expect(q, "mid", 3, 4) ||
        expect(q, "", 0, 3) || expect(q, "low", 3, 1))
        return 1;

    /* Another error path, after the receive buffer is allocated: mq_receive
     * on a descriptor open for sending only fails with EBADF. */
    mqd_t w = mq_open(name, O_WRONLY);
    if (w == (mqd_t)-1)
        return lab_scenario_failed("mq_open(O_WRONLY) failed");
    struct prio_msg none = {.data = NULL};
    if (prio_receive(w, &none) != -1) {
        prio_msg_free(&none);
        errno = 0;
        return lab_scenario_failed("prio_receive on an O_WRONLY descriptor succeeded");
    }
    if (mq_close(w) == -1)
        return lab_scenario_failed("mq_close failed");
    prio_msg_free(NULL);

    if (prio_destroy(q, name) == -1)
        return lab_scenario_failed("prio_destroy failed");
    return lab_scenario_complete();
}
