/* producers.h - lab 09: the producer processes of the burst tests, the
 * same for notification by thread and by signal.
 *
 * Producers send two bursts of BURST messages "p<id> <n>", waiting for a
 * byte on a pipe between the two: the consumer's queue is surely empty,
 * with every message handled, before the second burst starts. */
#ifndef PRODUCERS_H
#define PRODUCERS_H

#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <unistd.h>

#define PRODUCERS 4
#define BURST 15

struct producer {
    const char *name;
    int id;
    int go;     /* read end of the pipe that starts the second burst */
};

/* Runs in a lab_spawn child: 0, or the step that failed. */
static inline int produce(void *arg)
{
    const struct producer *p = arg;
    mqd_t w = mq_open(p->name, O_WRONLY);
    if (w == (mqd_t)-1)
        return 1;
    for (int n = 0; n < 2 * BURST; n++) {
        char ch;
        if (n == BURST && read(p->go, &ch, 1) != 1)
            return 2;
        char text[32];
        int len = snprintf(text, sizeof text, "p%d %d", p->id, n);
        if (mq_send(w, text, (size_t)len, 0) == -1)
            return 3;
    }
    return mq_close(w) == -1 ? 4 : 0;
}

#endif
