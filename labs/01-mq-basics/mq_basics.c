/* mq_basics.c - lab 01: create, open, use, inspect and remove a POSIX
 * message queue. The contract is mq_basics.h; the spec is README.md.
 * Replace each TODO(student) with the real code. */
#include "mq_basics.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

mqd_t mqb_create(const char *name, long maxmsg, long msgsize)
{
    /* TODO(student): fill a struct mq_attr with MAXMSG and MSGSIZE and
     * create the queue with mq_open, failing if it already exists. */
    (void)name;
    (void)maxmsg;
    (void)msgsize;
    errno = ENOSYS;
    return (mqd_t)-1;
}

mqd_t mqb_open_reader(const char *name)
{
    /* TODO(student): open the existing queue for receiving only. */
    (void)name;
    errno = ENOSYS;
    return (mqd_t)-1;
}

mqd_t mqb_open_writer(const char *name)
{
    /* TODO(student): open the existing queue for sending only. */
    (void)name;
    errno = ENOSYS;
    return (mqd_t)-1;
}

int mqb_send_text(mqd_t q, const char *text)
{
    /* TODO(student): send TEXT and its '\0' at priority 0. */
    (void)q;
    (void)text;
    errno = ENOSYS;
    return -1;
}

ssize_t mqb_receive_text(mqd_t q, char *out, size_t outsize)
{
    /* TODO(student): learn the queue's mq_msgsize, receive into a buffer
     * that large, copy at most OUTSIZE - 1 bytes to OUT, end it with '\0',
     * and release what you allocated on every path. */
    (void)q;
    (void)out;
    (void)outsize;
    errno = ENOSYS;
    return -1;
}

long mqb_pending(mqd_t q)
{
    /* TODO(student): return the number of messages waiting (mq_getattr). */
    (void)q;
    errno = ENOSYS;
    return -1;
}

int mqb_close(mqd_t q)
{
    /* TODO(student): close the descriptor. */
    (void)q;
    errno = ENOSYS;
    return -1;
}

int mqb_destroy(const char *name)
{
    /* TODO(student): remove the queue's name. */
    (void)name;
    errno = ENOSYS;
    return -1;
}
