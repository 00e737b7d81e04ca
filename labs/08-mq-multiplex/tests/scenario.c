/* scenario.c - lab 08: what a correct server does with the library, start
 * to end, run once under valgrind for the cleanliness tests: a failed
 * open, an open, drains that reach the end marker, a name removed by a
 * producer, and the close. The serve loops own nothing (their behaviour
 * is the tests' business), so they are not run here. The receive buffer
 * is malloc'd by your mux_open at exactly mq_msgsize bytes, and a message
 * of exactly that size is sent, so a write one byte too far shows.
 * Exits 0 only if the calls a working server needs succeed. */
#include "lab_scenario.h"
#include "mq_multiplex.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#define MSGSIZE 32

struct seen {
    int calls;
    int ok;
};

static void check(void *ctx, int input, const char *msg, size_t len)
{
    struct seen *s = ctx;
    static const char full[MSGSIZE] = "a message of exactly 32 bytes..";
    if (s->calls == 0)
        s->ok = input == 0 && len == MSGSIZE && memcmp(msg, full, len) == 0;
    else if (s->calls == 1)
        s->ok = s->ok && input == 0 && len == 1 && msg[0] == 'b';
    else if (s->calls == 2)
        s->ok = s->ok && input == 1 && len == 1 && msg[0] == 'c';
    s->calls++;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char n0[200], n1[200], n2[200];
    snprintf(n0, sizeof n0, "%s.0", argv[1]);
    snprintf(n1, sizeof n1, "%s.1", argv[1]);
    snprintf(n2, sizeof n2, "%s.2", argv[1]);

    /* An error path must release what it took, too. Whether it gives the
     * right errno is the behaviour tests' business. */
    struct mux_server s;
    const char *bad[2] = {n0, "ipclab-no-slash"};
    if (mux_open(&s, bad, 2, 4, MSGSIZE) != -1)
        return lab_scenario_failed("mux_open accepted a name without '/'");

    const char *names[2] = {n1, n2};
    if (mux_open(&s, names, 2, 4, MSGSIZE) == -1)
        return lab_scenario_failed("mux_open failed");
    mqd_t w1 = mq_open(n1, O_WRONLY);
    mqd_t w2 = mq_open(n2, O_WRONLY);
    if (w1 == (mqd_t)-1 || w2 == (mqd_t)-1)
        return lab_scenario_failed("a producer's mq_open failed");
    static const char full[MSGSIZE] = "a message of exactly 32 bytes..";
    if (mq_send(w1, full, MSGSIZE, 0) == -1 || mq_send(w1, "b", 1, 0) == -1 ||
        mq_send(w1, "", 0, 0) == -1 || mq_send(w2, "c", 1, 0) == -1)
        return lab_scenario_failed("mq_send failed");

    /* Budgets no larger than what waits, so that even a blocking
     * descriptor never waits here. */
    struct seen seen = {0, 0};
    if (mux_drain(&s, 0, 2, check, &seen) != 2 ||
        mux_drain(&s, 0, 2, check, &seen) != 1 ||
        mux_drain(&s, 1, 1, check, &seen) != 1)
        return lab_scenario_failed("mux_drain did not receive what was sent");
    if (seen.calls != 3 || !seen.ok)
        return lab_scenario_failed("the handler did not get the messages sent");
    if (s.in[0].q != (mqd_t)-1 || s.live != 1)
        return lab_scenario_failed("the end marker did not end input 0");

    if (mq_close(w1) == -1 || mq_close(w2) == -1)
        return lab_scenario_failed("mq_close failed");
    /* A producer removes the name of input 1 before the server closes. */
    if (mq_unlink(n2) == -1)
        return lab_scenario_failed("mq_unlink failed");
    /* Its result is the behaviour tests' business: here only what it
     * leaves behind counts. */
    mux_close(&s);
    return lab_scenario_complete();
}
