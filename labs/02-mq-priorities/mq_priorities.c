/* mq_priorities.c - lab 02: sending with priorities, receiving in the
 * kernel's order, and binary messages of any length up to mq_msgsize.
 * The contract is mq_priorities.h; the spec is README.md.
 * Replace each TODO(student) with the real code. */
#include "mq_priorities.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

mqd_t prio_create(const char *name, long maxmsg, long msgsize)
{
    /* TODO(student): create the queue with MAXMSG and MSGSIZE, failing if
     * the name already exists. */
    (void)name;
    (void)maxmsg;
    (void)msgsize;
    errno = ENOSYS;
    return (mqd_t)-1;
}

int prio_destroy(mqd_t q, const char *name)
{
    /* TODO(student): close Q and remove NAME, attempting both, and report
     * the errno of the first failure. */
    (void)q;
    (void)name;
    errno = ENOSYS;
    return -1;
}

int prio_send(mqd_t q, const void *data, size_t len, unsigned prio)
{
    /* TODO(student): send exactly LEN bytes of DATA with priority PRIO. */
    (void)q;
    (void)data;
    (void)len;
    (void)prio;
    errno = ENOSYS;
    return -1;
}

int prio_send_to(const char *name, const void *data, size_t len,
                 unsigned prio)
{
    /* TODO(student): open the existing queue for sending only, send with
     * prio_send, and close the queue on every path. */
    (void)name;
    (void)data;
    (void)len;
    (void)prio;
    errno = ENOSYS;
    return -1;
}

int prio_receive(mqd_t q, struct prio_msg *msg)
{
    /* TODO(student): receive into a buffer of the queue's mq_msgsize,
     * then fill MSG with the priority, the length and a malloc'd copy of
     * exactly the bytes received; free what you no longer need. */
    (void)q;
    (void)msg;
    errno = ENOSYS;
    return -1;
}

void prio_msg_free(struct prio_msg *msg)
{
    /* TODO(student): free MSG->data and set it to NULL (MSG may be NULL). */
    (void)msg;
}
