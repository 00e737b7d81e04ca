/* receiver.c - lab 01 solution: the course notes' rcvr.c.
 *
 * usage: receiver NAME
 * Creates the queue NAME, says it is ready, prints every message it
 * receives, stops after the message "quit", then removes the queue. */
#include "mq_basics.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MAXMSG 10
#define MSGSIZE 256

static int fail(const char *what, const char *name)
{
    fprintf(stderr, "receiver: %s %s: %s\n", what, name, strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: receiver NAME\n");
        return 2;
    }
    const char *name = argv[1];
    mqd_t q = mqb_create(name, MAXMSG, MSGSIZE);
    if (q == (mqd_t)-1)
        return fail("cannot create", name);
    /* Senders must not start before the queue exists: tell them. */
    printf("receiver: ready on %s\n", name);
    fflush(stdout);

    char text[MSGSIZE + 1];
    int status = 0;
    for (;;) {
        if (mqb_receive_text(q, text, sizeof text) == -1) {
            status = fail("cannot receive from", name);
            break;
        }
        printf("received: %s\n", text);
        fflush(stdout);
        if (strcmp(text, "quit") == 0)
            break;
    }
    /* The creator owns the name: remove it on every path, error or not. */
    if (mqb_close(q) == -1)
        status = fail("cannot close", name);
    if (mqb_destroy(name) == -1)
        status = fail("cannot remove", name);
    return status;
}
