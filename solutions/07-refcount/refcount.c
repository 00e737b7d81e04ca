/* refcount.c - lab 07 solution: a channel (a shm object for the data, a
 * message queue for the notices) that releases exactly what it acquires.
 * See refcount.h for the contract. */
#include "refcount.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Maps the whole object open on FD (its size from fstat) into C, then
 * closes FD whatever happened: the mapping holds its own reference to the
 * object, so the descriptor has served its purpose either way. */
static int map_and_close(int fd, struct channel *c)
{
    struct stat st;
    void *addr = MAP_FAILED;
    if (fstat(fd, &st) == 0)
        addr = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
                    MAP_SHARED, fd, 0);
    int saved = errno;
    if (close(fd) == -1 && addr != MAP_FAILED) {
        saved = errno;
        munmap(addr, (size_t)st.st_size);  /* undoing: report close's error */
        addr = MAP_FAILED;
    }
    errno = saved;
    if (addr == MAP_FAILED)
        return -1;
    c->data = addr;
    c->len = (size_t)st.st_size;
    return 0;
}

/* Gives back what a half-made channel holds, and removes the names this
 * call created (NULL for the others), keeping the first error. */
static struct channel *undo(struct channel *c, const char *made_queue,
                            const char *made_object)
{
    int saved = errno;
    if (c->queue != (mqd_t)-1)
        mq_close(c->queue);
    if (made_queue != NULL)
        mq_unlink(made_queue);
    if (made_object != NULL)
        shm_unlink(made_object);
    free(c);
    errno = saved;
    return NULL;
}

struct channel *channel_create(const char *qname, const char *dname,
                               size_t len)
{
    struct channel *c = malloc(sizeof *c);
    if (c == NULL)
        return NULL;
    struct mq_attr attr = {.mq_maxmsg = CHANNEL_MAXMSG,
                           .mq_msgsize = CHANNEL_MSGSIZE};
    /* O_EXCL on both: names still in use, or left by a crash, are an
     * error, never silently reused with their old contents. */
    c->queue = mq_open(qname, O_RDWR | O_CREAT | O_EXCL, CHANNEL_MODE, &attr);
    if (c->queue == (mqd_t)-1)
        return undo(c, NULL, NULL);
    int fd = shm_open(dname, O_RDWR | O_CREAT | O_EXCL, CHANNEL_MODE);
    if (fd == -1)
        return undo(c, qname, NULL);  /* the queue is ours, the name not */
    /* A new object has size 0: size it before mapping. */
    if (ftruncate(fd, (off_t)len) == -1) {
        int saved = errno;
        close(fd);  /* undoing: ftruncate's error is the one to report */
        errno = saved;
        return undo(c, qname, dname);
    }
    if (map_and_close(fd, c) == -1)
        return undo(c, qname, dname);
    return c;
}

struct channel *channel_attach(const char *qname, const char *dname)
{
    struct channel *c = malloc(sizeof *c);
    if (c == NULL)
        return NULL;
    /* No O_CREAT: after an unlink, attaching must fail with ENOENT, not
     * make new, empty objects under the old names. */
    c->queue = mq_open(qname, O_RDWR);
    if (c->queue == (mqd_t)-1)
        return undo(c, NULL, NULL);
    int fd = shm_open(dname, O_RDWR, 0);
    if (fd == -1)
        return undo(c, NULL, NULL);
    if (map_and_close(fd, c) == -1)
        return undo(c, NULL, NULL);
    return c;
}

int channel_publish(struct channel *c, const char *text)
{
    size_t len = strlen(text);
    if (len + 1 > c->len) {
        errno = EMSGSIZE;
        return -1;
    }
    /* The data first, the notice after: a reader woken by the notice
     * must find the text already in place. */
    memcpy(c->data, text, len + 1);
    channel_notice notice = (channel_notice)len;
    return mq_send(c->queue, (const char *)&notice, sizeof notice, 0);
}

ssize_t channel_receive(struct channel *c, char *out, size_t outsize)
{
    /* mq_receive needs room for the largest message the queue allows,
     * however short a notice is: EMSGSIZE otherwise. */
    char buf[CHANNEL_MSGSIZE];
    ssize_t n = mq_receive(c->queue, buf, sizeof buf, NULL);
    if (n == -1)
        return -1;
    channel_notice len;
    if ((size_t)n != sizeof len) {
        errno = EBADMSG;
        return -1;
    }
    memcpy(&len, buf, sizeof len);
    /* The object is shared: trust nothing it or the notice says. */
    if ((size_t)len >= c->len || c->data[len] != '\0') {
        errno = EBADMSG;
        return -1;
    }
    if ((size_t)len + 1 > outsize) {  /* + 1: room for the '\0' too */
        errno = EMSGSIZE;
        return -1;
    }
    memcpy(out, c->data, (size_t)len + 1);
    return (ssize_t)len;
}

int channel_detach(struct channel *c)
{
    if (c == NULL)
        return 0;
    int rc = 0, first = 0;
    /* munmap ends the mapping: closing the object's descriptor, long
     * ago, did not. The object itself lives on while it has a name or
     * another process maps it. */
    if (munmap(c->data, c->len) == -1) {
        rc = -1;
        first = errno;
    }
    /* mq_close releases this descriptor; the queue and its notices stay
     * until the name is unlinked and the last descriptor is closed. */
    if (mq_close(c->queue) == -1 && rc == 0) {
        rc = -1;
        first = errno;
    }
    free(c);
    if (rc == -1)
        errno = first;
    return rc;
}

int channel_unlink(const char *qname, const char *dname)
{
    /* Both, whatever the first gives: one missing name must not keep
     * the other alive. Holders keep their objects; the names are free. */
    int rc = 0, first = 0;
    if (mq_unlink(qname) == -1) {
        rc = -1;
        first = errno;
    }
    if (shm_unlink(dname) == -1 && rc == 0) {
        rc = -1;
        first = errno;
    }
    if (rc == -1)
        errno = first;
    return rc;
}
