/* notify_queue.h - lab 09: a consumer driven by mq_notify.
 *
 * The contract between your code (notify_queue.c) and the grader. Do not
 * change this file: the grader compiles your code against its own copy.
 *
 * Instead of blocking in mq_receive, a consumer asks the kernel to tell it
 * when its queue goes from empty to non-empty (mq_notify), either by a
 * signal (SIGEV_SIGNAL) or by running a function in a new thread
 * (SIGEV_THREAD). A registration is used up by one notification, so the
 * consumer registers again, and only then empties the queue without
 * blocking.
 *
 * Every function returns -1 on failure and leaves errno as the failing
 * system call set it. Nothing here prints or exits.
 */
#ifndef NOTIFY_QUEUE_H
#define NOTIFY_QUEUE_H

#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <time.h>

/* Room for a queue name: '/', at most 255 characters, '\0'. */
#define NQ_NAME_MAX 257
/* Permissions of the consumer's queue: only its owner may use it. */
#define NQ_MODE 0600

/* ---- the three mq_notify calls ------------------------------------------ */

/* Registers this process to get signal SIGNO, with si_value.sival_ptr =
 * ARG and si_code = SI_MESGQ, when Q goes from empty to non-empty
 * (SIGEV_SIGNAL). The caller blocks SIGNO beforehand and takes it with
 * sigwaitinfo / sigtimedwait.
 * Returns 0, or -1 with errno: EBUSY if a process (this one included) is
 * already registered on the queue, EINVAL for a bad signal, EBADF. */
int nq_watch_signal(mqd_t q, int signo, void *arg);

/* Registers FN(ARG), to be run in a new thread, when Q goes from empty to
 * non-empty (SIGEV_THREAD, default thread attributes).
 * Returns 0, or -1 with errno: EBUSY as above, EBADF. */
int nq_watch_thread(mqd_t q, void (*fn)(union sigval), void *arg);

/* Removes this process's registration on Q, if it has one: another
 * process may register then. (Closing any descriptor of Q in the
 * registered process removes the registration too.)
 * Returns 0, or -1 with errno (EBADF). */
int nq_unwatch(mqd_t q);

/* ---- the consumer --------------------------------------------------------- */

/* Called once for every message, in the order received. MSG holds LEN
 * bytes, is not '\0'-terminated and is valid only during the call. In
 * thread mode it runs in a notification thread, with the consumer's lock
 * held: it must not call the consumer's functions. */
typedef void (*nq_handler)(void *ctx, const char *msg, size_t len);

struct nq_consumer {
    char name[NQ_NAME_MAX];   /* the queue's name, for nq_close to remove */
    mqd_t q;                  /* O_RDONLY | O_NONBLOCK                    */
    char *buf;                /* receive buffer of bufsize bytes          */
    size_t bufsize;           /* the queue's mq_msgsize                   */
    nq_handler handler;
    void *ctx;
    int signo;                /* signal mode: its signal; 0 otherwise     */
    pthread_mutex_t lock;     /* one drain at a time; guards stopped      */
    int stopped;              /* set by nq_close                          */
    long received;            /* messages handed to the handler so far    */
};

/* Creates the queue NAME, which must not exist yet, open for receiving
 * only and non-blocking, with permissions NQ_MODE and room for MAXMSG
 * messages of at most MSGSIZE bytes; fills C: a buffer of the queue's
 * mq_msgsize, HANDLER and CTX, the lock initialised, signo 0, stopped 0,
 * received 0. Registers nothing yet.
 * Returns 0, or -1 with errno (ENAMETOOLONG if NAME has NQ_NAME_MAX
 * characters or more, else the failing call's: EEXIST, EINVAL, EMFILE,
 * ENOMEM, pthread_mutex_init's returned error, ...). On failure nothing
 * is left behind: no descriptor, no name, no memory. */
int nq_open(struct nq_consumer *c, const char *name, long maxmsg,
            long msgsize, nq_handler handler, void *ctx);

/* Receives every message now in the queue, without ever blocking, and
 * passes each to the handler, counting it in received. Stops at the first
 * EAGAIN, which is not an error. Takes no lock: the callers below hold it.
 * Returns how many messages it handled (0 for an empty queue), or -1. */
long nq_drain(struct nq_consumer *c);

/* Thread mode: registers with nq_watch_thread for a notification
 * function of your own, whose argument is C, and hands the messages
 * already waiting to the handler before it returns (a registration on a
 * non-empty queue is not triggered by them). From then on every message
 * is handled exactly once, in order, with the lock held; whenever the
 * handler runs, the consumer is registered for the next notification
 * already; and once the consumer is stopped, a notification does
 * nothing.
 * Returns 0, or -1 with the failing call's errno: the lock's error,
 * mq_notify's (EBUSY: a process, this one included, is registered) or
 * the drain's. If registering fails, draining anyway is allowed, but
 * errno stays mq_notify's. The lock is released on every path. */
int nq_start_thread(struct nq_consumer *c);

/* Signal mode: blocks SIGNO in the calling thread (pthread_sigmask), sets
 * signo, registers with nq_watch_signal(q, SIGNO, C), then drains the
 * messages already waiting. Call it from a single-threaded process, or
 * block SIGNO in every thread: a notification delivered to a thread that
 * does not block it runs SIGNO's default action, which ends the process.
 * Returns 0, or -1 with the failing step's errno: EINVAL for a SIGNO that
 * is no signal, pthread_sigmask's returned error, mq_notify's (EBUSY),
 * the drain's. */
int nq_start_signal(struct nq_consumer *c, int signo);

/* Signal mode: waits at most TIMEOUT (relative) for the notification
 * signal with sigtimedwait (EINTR: wait again). On a notification
 * (si_code SI_MESGQ), registers again first, then drains. A signo that
 * was sent some other way (kill) is not a notification: the registration
 * is still in place, so it only drains.
 * Returns how many messages were handled, or -1. 0 means the time ran
 * out, or a notification found the queue empty: its message arrived
 * during the previous drain, which took it. -1: sigtimedwait failed with
 * neither EAGAIN nor EINTR; c->signo is no signal (EINVAL; 0: signal mode
 * never started); the drain failed; or registering again failed (errno
 * mq_notify's, whether or not it drained first). */
long nq_wait_signal(struct nq_consumer *c, const struct timespec *timeout);

/* Stops the consumer: under the lock, sets stopped, removes the
 * registration, closes the queue, removes its name and frees the buffer.
 * Releases the lock at the end. Goes on after a failure; returns 0, or
 * -1 with the errno of the first failure in that order (unwatch, close,
 * unlink); if the lock cannot be taken, -1 with its error (going on
 * then or not is up to you). The lock is not destroyed and C must stay valid (not freed, not
 * out of scope) until the process ends: a notification sent just before
 * nq_close may still start its thread afterwards, which then finds
 * stopped set and leaves. In signal mode the signal stays blocked, since
 * a notification may be pending. */
int nq_close(struct nq_consumer *c);

#endif
