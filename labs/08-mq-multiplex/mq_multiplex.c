/* mq_multiplex.c - lab 08: one server, several queues, served with
 * select() and with poll(). The contract is mq_multiplex.h; the spec is
 * README.md. Replace each TODO(student) with the real code. */
#include "mq_multiplex.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>

int mux_open(struct mux_server *s, const char *const names[], int count,
             long maxmsg, long msgsize)
{
    /* TODO(student): create every queue for receiving only, non-blocking,
     * failing if it exists; allocate a buffer of the queues' mq_msgsize;
     * on any failure close and remove the queues already created. */
    (void)s;
    (void)names;
    (void)count;
    (void)maxmsg;
    (void)msgsize;
    errno = ENOSYS;
    return -1;
}

int mux_drain(struct mux_server *s, int i, int budget, mux_handler handler,
              void *ctx)
{
    /* TODO(student): receive until BUDGET messages, an empty queue
     * (EAGAIN) or the zero-length end marker; hand each message to the
     * handler; on the end marker close the input and mark it ended. */
    (void)s;
    (void)i;
    (void)budget;
    (void)handler;
    (void)ctx;
    errno = ENOSYS;
    return -1;
}

int mux_serve_select(struct mux_server *s, mux_handler handler, void *ctx)
{
    /* TODO(student): until no input is live, select() without a timeout
     * on the live inputs, then drain each ready one with MUX_BUDGET. */
    (void)s;
    (void)handler;
    (void)ctx;
    errno = ENOSYS;
    return -1;
}

int mux_serve_poll(struct mux_server *s, mux_handler handler, void *ctx)
{
    /* TODO(student): the same loop with poll(); take an input off the
     * list once its stream has ended. */
    (void)s;
    (void)handler;
    (void)ctx;
    errno = ENOSYS;
    return -1;
}

int mux_close(struct mux_server *s)
{
    /* TODO(student): close the inputs still open, remove every name
     * (ENOENT is fine), free the buffer; keep going after a failure. */
    (void)s;
    errno = ENOSYS;
    return -1;
}
