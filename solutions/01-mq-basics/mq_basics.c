/* mq_basics.c - lab 01 solution: create, open, use, inspect and remove a
 * POSIX message queue. See mq_basics.h for the contract. */
#include "mq_basics.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

mqd_t mqb_create(const char *name, long maxmsg, long msgsize)
{
    /* mq_flags and mq_curmsgs are ignored by mq_open; zero them anyway. */
    struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
    /* O_EXCL: a stale queue from an earlier run must be an error, not
     * silently reused with its old sizes and old messages. */
    return mq_open(name, O_RDWR | O_CREAT | O_EXCL, MQB_MODE, &attr);
}

mqd_t mqb_open_reader(const char *name)
{
    /* Without O_CREAT, mq_open takes no mode and no attributes. */
    return mq_open(name, O_RDONLY);
}

mqd_t mqb_open_writer(const char *name)
{
    return mq_open(name, O_WRONLY);
}

int mqb_send_text(mqd_t q, const char *text)
{
    /* + 1: the receiver gets the '\0' too, so it can print the text. */
    return mq_send(q, text, strlen(text) + 1, 0);
}

ssize_t mqb_receive_text(mqd_t q, char *out, size_t outsize)
{
    struct mq_attr attr;
    if (mq_getattr(q, &attr) == -1)
        return -1;
    /* mq_receive fails with EMSGSIZE unless the buffer can hold the
     * largest message the queue allows, however short this one is. */
    char *buf = malloc((size_t)attr.mq_msgsize);
    if (buf == NULL)
        return -1;
    ssize_t n = mq_receive(q, buf, (size_t)attr.mq_msgsize, NULL);
    if (n == -1) {
        int saved = errno;  /* free() may not change errno, but be sure */
        free(buf);
        errno = saved;
        return -1;
    }
    size_t keep = (size_t)n < outsize - 1 ? (size_t)n : outsize - 1;
    memcpy(out, buf, keep);
    out[keep] = '\0';   /* the message need not end with '\0' */
    free(buf);
    return n;
}

long mqb_pending(mqd_t q)
{
    struct mq_attr attr;
    if (mq_getattr(q, &attr) == -1)
        return -1;
    return attr.mq_curmsgs;
}

int mqb_close(mqd_t q)
{
    return mq_close(q);
}

int mqb_destroy(const char *name)
{
    return mq_unlink(name);
}
