/* notify_queue.c - lab 09 solution: a consumer driven by mq_notify, with
 * SIGEV_THREAD and with SIGEV_SIGNAL. See notify_queue.h for the
 * contract. */
#include "notify_queue.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int nq_watch_signal(mqd_t q, int signo, void *arg)
{
    struct sigevent sev;
    /* Zero everything first: the kernel reads the whole struct, and
     * fields left as stack garbage are undefined behaviour waiting. */
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = signo;
    sev.sigev_value.sival_ptr = arg;
    return mq_notify(q, &sev);
}

int nq_watch_thread(mqd_t q, void (*fn)(union sigval), void *arg)
{
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = fn;
    sev.sigev_notify_attributes = NULL;   /* default thread attributes */
    sev.sigev_value.sival_ptr = arg;
    return mq_notify(q, &sev);
}

int nq_unwatch(mqd_t q)
{
    /* NULL, not a SIGEV_NONE registration: SIGEV_NONE still registers
     * (and holds the queue against every other process). */
    return mq_notify(q, NULL);
}

int nq_open(struct nq_consumer *c, const char *name, long maxmsg,
            long msgsize, nq_handler handler, void *ctx)
{
    memset(c, 0, sizeof *c);
    c->q = (mqd_t)-1;
    if (strlen(name) >= NQ_NAME_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
    /* Non-blocking: a drain must end at the empty queue, never wait. */
    c->q = mq_open(name, O_RDONLY | O_CREAT | O_EXCL | O_NONBLOCK, NQ_MODE,
                   &attr);
    if (c->q == (mqd_t)-1)
        return -1;
    strcpy(c->name, name);

    struct mq_attr got;
    int err = 0;
    if (mq_getattr(c->q, &got) == -1) {
        err = errno;
    } else {
        c->bufsize = (size_t)got.mq_msgsize;
        c->buf = malloc(c->bufsize);
        if (c->buf == NULL)
            err = errno;
    }
    /* pthread functions return the error instead of setting errno. */
    if (err == 0)
        err = pthread_mutex_init(&c->lock, NULL);
    if (err != 0) {
        free(c->buf);
        c->buf = NULL;
        mq_close(c->q);
        mq_unlink(c->name);
        c->q = (mqd_t)-1;
        errno = err;
        return -1;
    }
    c->handler = handler;
    c->ctx = ctx;
    return 0;
}

long nq_drain(struct nq_consumer *c)
{
    long handled = 0;
    for (;;) {
        ssize_t n = mq_receive(c->q, c->buf, c->bufsize, NULL);
        if (n == -1) {
            /* Empty now: done. With O_NONBLOCK this never waits. */
            if (errno == EAGAIN)
                return handled;
            return -1;
        }
        c->handler(c->ctx, c->buf, (size_t)n);
        c->received++;
        handled++;
    }
}

/* Runs in a new thread for every notification. */
static void on_notify(union sigval sv)
{
    struct nq_consumer *c = sv.sival_ptr;
    if (pthread_mutex_lock(&c->lock) != 0)
        return;
    if (!c->stopped) {
        /* The notification used the registration up. Register again
         * BEFORE draining: a message that arrives after our last
         * mq_receive then finds the registration in place and notifies.
         * Registering after the drain leaves a window where it is lost.
         * A thread has no caller to report a failure to; the drain
         * still takes what is there. */
        (void)nq_watch_thread(c->q, on_notify, c);
        (void)nq_drain(c);
    }
    pthread_mutex_unlock(&c->lock);
}

int nq_start_thread(struct nq_consumer *c)
{
    int err = pthread_mutex_lock(&c->lock);
    if (err != 0) {
        errno = err;
        return -1;
    }
    long rc = nq_watch_thread(c->q, on_notify, c);
    /* Messages that were already there trigger nothing: the queue never
     * goes from empty to non-empty for them. Take them now. */
    if (rc == 0)
        rc = nq_drain(c);
    int saved = errno;
    pthread_mutex_unlock(&c->lock);
    errno = saved;
    return rc == -1 ? -1 : 0;
}

int nq_start_signal(struct nq_consumer *c, int signo)
{
    /* Blocked, so the notification waits for sigtimedwait instead of
     * running the default action of SIGUSR1 & co: ending the process. */
    sigset_t set;
    sigemptyset(&set);
    if (sigaddset(&set, signo) == -1)
        return -1;
    int err = pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (err != 0) {
        errno = err;
        return -1;
    }
    c->signo = signo;
    if (nq_watch_signal(c->q, signo, c) == -1)
        return -1;
    return nq_drain(c) == -1 ? -1 : 0;
}

long nq_wait_signal(struct nq_consumer *c, const struct timespec *timeout)
{
    sigset_t set;
    sigemptyset(&set);
    if (sigaddset(&set, c->signo) == -1)
        return -1;
    siginfo_t info;
    int sig;
    while ((sig = sigtimedwait(&set, &info, timeout)) == -1 && errno == EINTR)
        ;
    if (sig == -1)
        return errno == EAGAIN ? 0 : -1;   /* EAGAIN: the time ran out */
    /* Only a real notification used the registration up. */
    if (info.si_code == SI_MESGQ && nq_watch_signal(c->q, c->signo, c) == -1)
        return -1;
    return nq_drain(c);
}

int nq_close(struct nq_consumer *c)
{
    int locked = pthread_mutex_lock(&c->lock);
    int first = locked;
    /* From here on, a late notification thread finds stopped and leaves
     * without touching the queue. */
    c->stopped = 1;
    if (nq_unwatch(c->q) == -1 && first == 0)
        first = errno;
    if (mq_close(c->q) == -1 && first == 0)
        first = errno;
    c->q = (mqd_t)-1;
    if (mq_unlink(c->name) == -1 && first == 0)
        first = errno;
    free(c->buf);
    c->buf = NULL;
    /* Not destroyed: a late notification thread may still lock it. */
    if (locked == 0)
        pthread_mutex_unlock(&c->lock);
    if (first != 0) {
        errno = first;
        return -1;
    }
    return 0;
}
