/* pubsub.c - lab 10 solution: a record in shared memory, guarded by a
 * process-shared robust mutex, and a notification queue per subscriber.
 * See pubsub.h for the contract. */
#include "pubsub.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Keeps the first error of a sequence that goes on after failures. */
static void keep_first(int *first)
{
    if (*first == 0)
        *first = errno;
}

static void handle_reset(struct ps_handle *h)
{
    memset(h, 0, sizeof *h);
    h->q = (mqd_t)-1;
    h->slot = -1;
}

/* Locks the record. A robust mutex whose owner died while holding it
 * comes back with EOWNERDEAD, and locked: mark it consistent, or it turns
 * unusable (ENOTRECOVERABLE) at the next unlock. The counter and the
 * table are always valid; a record cut short by a dying publisher is
 * superseded by the next update. */
static int lock(struct ps_handle *h)
{
    int err = pthread_mutex_lock(&h->shm->lock);
    if (err == EOWNERDEAD)
        err = pthread_mutex_consistent(&h->shm->lock);
    if (err != 0) {
        errno = err;
        return -1;
    }
    return 0;
}

static int unlock(struct ps_handle *h)
{
    int err = pthread_mutex_unlock(&h->shm->lock);
    if (err != 0) {
        errno = err;
        return -1;
    }
    return 0;
}

/* Opens NAME with OFLAG, maps it with PROT and closes the descriptor:
 * the mapping alone keeps the object alive. */
static int map_object(struct ps_handle *h, const char *name, int oflag,
                      int prot)
{
    if (strlen(name) >= PS_NAME_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = shm_open(name, oflag, PS_MODE);
    if (fd == -1)
        return -1;
    int created = oflag & O_CREAT;
    /* A new object has size 0: without ftruncate, the first store into
     * the mapping is a SIGBUS. Only the creator sizes it, and only once:
     * truncating again would throw away what others wrote. */
    if (created && ftruncate(fd, sizeof(struct ps_shared)) == -1)
        goto fail;
    struct stat st;
    if (fstat(fd, &st) == -1)
        goto fail;
    if ((size_t)st.st_size < sizeof(struct ps_shared)) {
        errno = EINVAL;
        goto fail;
    }
    /* MAP_SHARED: a private mapping would keep our writes to ourselves. */
    void *p = mmap(NULL, sizeof(struct ps_shared), prot, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        goto fail;
    if (close(fd) == -1) {
        int saved = errno;
        munmap(p, sizeof(struct ps_shared));
        if (created)
            shm_unlink(name);
        errno = saved;
        return -1;
    }
    h->shm = p;
    strcpy(h->name, name);
    return 0;

fail:
    {
        int saved = errno;
        close(fd);
        if (created)
            shm_unlink(name);
        errno = saved;
    }
    return -1;
}

int ps_create(struct ps_handle *h, const char *name)
{
    handle_reset(h);
    if (map_object(h, name, O_RDWR | O_CREAT | O_EXCL,
                   PROT_READ | PROT_WRITE) == -1)
        return -1;
    h->owner = 1;

    /* PROCESS_SHARED: the default mutex works within one process only;
     * used by several, a waiter may never be woken. ROBUST: if a holder
     * dies, the next locker is told (EOWNERDEAD) instead of waiting
     * forever. */
    pthread_mutexattr_t attr;
    int err = pthread_mutexattr_init(&attr);
    if (err == 0) {
        err = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
        if (err == 0)
            err = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
        if (err == 0)
            err = pthread_mutex_init(&h->shm->lock, &attr);
        pthread_mutexattr_destroy(&attr);
    }
    if (err != 0) {
        munmap(h->shm, sizeof *h->shm);
        shm_unlink(h->name);
        handle_reset(h);
        errno = err;
        return -1;
    }
    /* The rest of a new object is zero already: seq, counter, len, and
     * every slot of the table "" (free). */
    return 0;
}

int ps_attach(struct ps_handle *h, const char *name)
{
    handle_reset(h);
    /* No O_CREAT, no O_TRUNC, no ftruncate: the object and its contents
     * are the creator's, and the others already use them. Read and write
     * even for a process that only reads the record: the lock lives in
     * the mapping, and taking it writes there. */
    return map_object(h, name, O_RDWR, PROT_READ | PROT_WRITE);
}

/* Sends the new seq to every subscriber, never waiting. Called locked. */
static void notify_all(struct ps_handle *h)
{
    unsigned long seq = h->shm->seq;
    for (int i = 0; i < PS_MAX_SUBSCRIBERS; i++) {
        const char *qname = h->shm->subscribers[i];
        if (qname[0] == '\0')
            continue;
        /* Non-blocking: a subscriber that does not keep up must not
         * stall the publisher. It will read the latest record anyway. */
        mqd_t q = mq_open(qname, O_WRONLY | O_NONBLOCK);
        if (q == (mqd_t)-1)
            continue;   /* ENOENT: it left; nothing to tell */
        /* EAGAIN: its queue is full, it is behind: skip it. */
        (void)mq_send(q, (const char *)&seq, sizeof seq, 0);
        mq_close(q);
    }
}

int ps_publish(struct ps_handle *h, const void *data, size_t len)
{
    if (len > PS_DATA_MAX) {
        errno = EINVAL;
        return -1;
    }
    if (lock(h) == -1)
        return -1;
    /* Data, length and seq change together, under the lock: a reader
     * holding it sees the record before or after, never half of each. */
    memcpy(h->shm->data, data, len);
    h->shm->len = len;
    h->shm->seq++;
    /* Notified only once the record is complete. */
    notify_all(h);
    return unlock(h);
}

int ps_read(struct ps_handle *h, struct ps_snapshot *out)
{
    /* Reading needs the lock as much as writing: without it the copy
     * can start before an update and end after it. */
    if (lock(h) == -1)
        return -1;
    out->seq = h->shm->seq;
    out->len = h->shm->len;
    memcpy(out->data, h->shm->data, out->len);
    return unlock(h);
}

int ps_increment(struct ps_handle *h)
{
    if (lock(h) == -1)
        return -1;
    /* Load, add, store: three steps another process could interleave
     * with; the lock makes them one. */
    h->shm->counter++;
    return unlock(h);
}

int ps_subscribe(struct ps_handle *h, const char *qname)
{
    if (h->slot != -1) {
        errno = EBUSY;
        return -1;
    }
    if (strlen(qname) >= PS_NAME_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    struct mq_attr attr = {.mq_maxmsg = PS_QUEUE_DEPTH,
                           .mq_msgsize = sizeof(unsigned long)};
    /* The subscriber owns its queue: it creates it, it removes it. */
    mqd_t q = mq_open(qname, O_RDONLY | O_CREAT | O_EXCL, PS_MODE, &attr);
    if (q == (mqd_t)-1)
        return -1;
    int slot = -1;
    if (lock(h) == -1)
        goto fail;
    for (int i = 0; i < PS_MAX_SUBSCRIBERS && slot == -1; i++) {
        if (h->shm->subscribers[i][0] == '\0') {
            strcpy(h->shm->subscribers[i], qname);
            slot = i;
        }
    }
    if (unlock(h) == -1)
        goto fail;
    if (slot == -1) {
        errno = ENOSPC;
        goto fail;
    }
    h->q = q;
    h->slot = slot;
    strcpy(h->qname, qname);
    return 0;

fail:
    {
        int saved = errno;
        mq_close(q);
        mq_unlink(qname);
        errno = saved;
    }
    return -1;
}

/* NOW + REL on CLOCK_REALTIME, normalised: mq_timedreceive wants an
 * absolute deadline, not a duration. */
static int deadline(const struct timespec *rel, struct timespec *abs)
{
    if (clock_gettime(CLOCK_REALTIME, abs) == -1)
        return -1;
    abs->tv_sec += rel->tv_sec;
    abs->tv_nsec += rel->tv_nsec;
    if (abs->tv_nsec >= 1000000000L) {
        abs->tv_sec++;
        abs->tv_nsec -= 1000000000L;
    }
    return 0;
}

int ps_wait(struct ps_handle *h, struct ps_snapshot *out,
            const struct timespec *timeout)
{
    if (h->slot == -1) {
        errno = EINVAL;
        return -1;
    }
    struct timespec until;
    if (deadline(timeout, &until) == -1)
        return -1;
    unsigned long seq;
    while (mq_timedreceive(h->q, (char *)&seq, sizeof seq, NULL, &until) == -1) {
        if (errno == ETIMEDOUT)
            return 0;
        if (errno != EINTR)
            return -1;
    }
    /* Take the notifications already queued (a deadline in the past
     * means "do not wait"), and only then read: an update that lands
     * after this point leaves a notification behind for the next wait,
     * so none is ever missed. */
    const struct timespec past = {0, 0};
    while (mq_timedreceive(h->q, (char *)&seq, sizeof seq, NULL, &past) != -1)
        ;
    if (errno != ETIMEDOUT)
        return -1;
    return ps_read(h, out) == -1 ? -1 : 1;
}

int ps_unsubscribe(struct ps_handle *h)
{
    if (h->slot == -1) {
        errno = EINVAL;
        return -1;
    }
    int first = 0;
    if (lock(h) == -1) {
        keep_first(&first);
    } else {
        /* Only if it is still ours: never free another's slot. */
        if (strcmp(h->shm->subscribers[h->slot], h->qname) == 0)
            h->shm->subscribers[h->slot][0] = '\0';
        if (unlock(h) == -1)
            keep_first(&first);
    }
    if (mq_close(h->q) == -1)
        keep_first(&first);
    if (mq_unlink(h->qname) == -1)
        keep_first(&first);
    h->q = (mqd_t)-1;
    h->qname[0] = '\0';
    h->slot = -1;
    if (first != 0) {
        errno = first;
        return -1;
    }
    return 0;
}

int ps_close(struct ps_handle *h)
{
    int first = 0;
    if (h->slot != -1 && ps_unsubscribe(h) == -1)
        keep_first(&first);
    /* The mutex is not destroyed: other processes may still hold the
     * object mapped. Its memory goes with the object. */
    if (h->shm != NULL && munmap(h->shm, sizeof *h->shm) == -1)
        keep_first(&first);
    h->shm = NULL;
    /* munmap and close never remove the object: only its owner's
     * shm_unlink does, and the memory is freed once the last mapping
     * is gone too. */
    if (h->owner && shm_unlink(h->name) == -1)
        keep_first(&first);
    h->owner = 0;
    if (first != 0) {
        errno = first;
        return -1;
    }
    return 0;
}
