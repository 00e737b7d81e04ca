/* mq_owner.c - lab 04: an owner responsible for a queue's name, peers
 * that never create, and a mailbox whose messages outlive their senders.
 * The contract is mq_owner.h; the spec is README.md.
 * Replace each TODO(student) with the real code. */
#include "mq_owner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int owner_start(struct owner *o, const char *name, long maxmsg, long msgsize)
{
    /* TODO(student): check that NAME fits, create the queue exclusively,
     * and fill *O. */
    (void)o;
    (void)name;
    (void)maxmsg;
    (void)msgsize;
    errno = ENOSYS;
    return -1;
}

int owner_release_name(struct owner *o)
{
    /* TODO(student): remove the name (once), keeping O->q open. */
    (void)o;
    errno = ENOSYS;
    return -1;
}

int owner_stop(struct owner *o)
{
    /* TODO(student): close O->q, and remove the name unless it was
     * released already. */
    (void)o;
    errno = ENOSYS;
    return -1;
}

mqd_t peer_open(const char *name, int oflag)
{
    /* TODO(student): open the existing queue, never creating it. */
    (void)name;
    (void)oflag;
    errno = ENOSYS;
    return (mqd_t)-1;
}

mqd_t peer_open_wait(const char *name, int oflag, long timeout_ms)
{
    /* TODO(student): retry peer_open while it fails with ENOENT, sleeping
     * between tries, until TIMEOUT_MS have passed (then ETIMEDOUT). */
    (void)name;
    (void)oflag;
    (void)timeout_ms;
    errno = ENOSYS;
    return (mqd_t)-1;
}

int queue_exists(const char *name)
{
    /* TODO(student): probe the name without creating anything and
     * without leaving anything open. */
    (void)name;
    errno = ENOSYS;
    return -1;
}

int mailbox_post(const char *name, const void *data, size_t len)
{
    /* TODO(student): open (creating if needed) for sending, non-blocking;
     * send; close. Do not remove the name. */
    (void)name;
    (void)data;
    (void)len;
    errno = ENOSYS;
    return -1;
}

long mailbox_collect(const char *name, mailbox_visit visit, void *arg)
{
    /* TODO(student): open the existing mailbox non-blocking, take every
     * message, then close it and remove its name, releasing everything
     * on every path. */
    (void)name;
    (void)visit;
    (void)arg;
    errno = ENOSYS;
    return -1;
}
