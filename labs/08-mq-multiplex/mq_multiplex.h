/* mq_multiplex.h - lab 08: one server, several queues, select() and poll().
 *
 * The contract between your code (mq_multiplex.c) and the grader. Do not
 * change this file: the grader compiles your code against its own copy.
 *
 * A server owns several input queues. Producers (other processes) open
 * one each and send to it; a zero-length message means "this producer is
 * done" (it plays the part of end of file on a pipe). The server waits
 * for any of its queues to hold a message with select() or poll(), which
 * works because on Linux an mqd_t is a file descriptor. That is a Linux
 * property, not a POSIX promise: see the notes.
 *
 * Every function returns -1 on failure and leaves errno as the failing
 * system call set it. Nothing here prints or exits.
 */
#ifndef MQ_MULTIPLEX_H
#define MQ_MULTIPLEX_H

#include <mqueue.h>
#include <stddef.h>

/* At most this many input queues per server. */
#define MUX_MAX_INPUTS 8
/* Room for a queue name: '/', at most 255 characters, '\0'. */
#define MUX_NAME_MAX 257
/* Permissions of a new input queue: only its owner may use it. */
#define MUX_MODE 0600
/* The most messages the serve loops take from one input before they look
 * at the others again: a busy input cannot starve a quiet one. */
#define MUX_BUDGET 4

/* One input queue of the server. */
struct mux_input {
    char name[MUX_NAME_MAX];  /* its name, for mux_close to remove     */
    mqd_t q;                  /* O_RDONLY | O_NONBLOCK descriptor, or
                                 (mqd_t)-1 once its stream has ended    */
};

struct mux_server {
    struct mux_input in[MUX_MAX_INPUTS];
    int count;                /* inputs created by mux_open            */
    int live;                 /* inputs whose stream has not ended yet */
    char *buf;                /* receive buffer of bufsize bytes       */
    size_t bufsize;           /* the queues' mq_msgsize                */
};

/* Called once for every non-empty message, in the order received.
 * INPUT is the index of the queue in the server (0 .. count - 1). MSG
 * holds LEN bytes and is not '\0'-terminated; it is valid only during
 * the call. The handler may send to any queue, the server's own included. */
typedef void (*mux_handler)(void *ctx, int input, const char *msg,
                            size_t len);

/* Creates the COUNT queues NAMES[0..COUNT-1], none of which may exist yet,
 * each open for receiving only and non-blocking, with permissions MUX_MODE
 * and room for MAXMSG messages of at most MSGSIZE bytes. Fills S: every
 * input live, and a receive buffer as large as the queues' mq_msgsize.
 * Returns 0, or -1 with errno: EINVAL if COUNT is not 1..MUX_MAX_INPUTS,
 * ENAMETOOLONG if a name does not fit in MUX_NAME_MAX, else the errno of
 * the failing call (mq_open: EEXIST, EINVAL, ...). On failure nothing is
 * left behind: the queues already created are closed and removed again. */
int mux_open(struct mux_server *s, const char *const names[], int count,
             long maxmsg, long msgsize);

/* Receives from input I, without ever blocking, until BUDGET messages
 * were received, the queue is empty, or the stream ended. Each non-empty
 * message goes to HANDLER(CTX, I, ...). A zero-length message ends the
 * stream: the input's descriptor is closed, in[I].q becomes (mqd_t)-1,
 * live goes down by one, and mux_drain returns at once.
 * Returns how many messages were received (the end marker counts), 0 if
 * the queue was empty or the input had already ended, or -1 with errno
 * (EINVAL for an I outside 0..count-1). An empty queue is not an error.
 * If the mq_close after the end marker fails, the input has ended all
 * the same (in[I].q is (mqd_t)-1, live went down) and -1 is returned. */
int mux_drain(struct mux_server *s, int i, int budget, mux_handler handler,
              void *ctx);

/* The server loop with select(): until every input has ended, waits
 * without a timeout for any live input to hold a message, then drains
 * each ready input with mux_drain(s, i, MUX_BUDGET, ...), and waits
 * again. Ended inputs are no longer watched. A wait interrupted by a
 * signal (EINTR) is restarted.
 * Returns 0 once every input has ended, or -1 with errno. */
int mux_serve_select(struct mux_server *s, mux_handler handler, void *ctx);

/* The same loop with poll(). A descriptor poll() reports as invalid
 * (POLLNVAL) is an error: -1 with errno EBADF. */
int mux_serve_poll(struct mux_server *s, mux_handler handler, void *ctx);

/* Closes every input still open, removes every name, frees the buffer.
 * A name already removed by someone else (ENOENT) is not an error.
 * Goes on after a failure, so nothing is left behind; returns 0, or -1
 * with the errno of the first failure. */
int mux_close(struct mux_server *s);

#endif
