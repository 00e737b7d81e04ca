/* text.c - the words of failure messages: errno names and their usual
 * causes in these labs, and safe quoting of bytes the student produced. */
#include "lab_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FMT_SLOTS 8
#define FMT_SIZE 2048

const char *lab_fmt(const char *fmt, ...)
{
    static char slots[FMT_SLOTS][FMT_SIZE];
    static unsigned next;
    char *buf = slots[next++ % FMT_SLOTS];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, FMT_SIZE, fmt, ap);
    va_end(ap);
    return buf;
}

struct errno_text {
    int err;
    const char *name;
    const char *hint;
};

/* The causes are the ones students actually meet in these labs. */
static const struct errno_text errno_texts[] = {
    {EMSGSIZE, "EMSGSIZE", "mq_receive's buffer is smaller than the queue's "
     "mq_msgsize (it must hold the largest possible message, however short "
     "this one is), or mq_send's message is longer than mq_msgsize"},
    {EAGAIN, "EAGAIN", "the queue is full (send) or empty (receive) and the "
     "descriptor is non-blocking (O_NONBLOCK)"},
    {EINVAL, "EINVAL", "a bad argument: a name without a leading '/', "
     "mq_maxmsg or mq_msgsize at 0 or above /proc/sys/fs/mqueue/msg_max "
     "(10) or msgsize_max (8192), a priority >= sysconf(_SC_MQ_PRIO_MAX), "
     "mmap of length 0, or tv_nsec >= 1000000000"},
    {EMFILE, "EMFILE", "too many open descriptors, or, for mq_open, the "
     "per-user queue quota (RLIMIT_MSGQUEUE, 819200 bytes) is used up by "
     "queues never unlinked; run `make doctor` to list them"},
    {ENOENT, "ENOENT", "no object of that name: O_CREAT missing, the name "
     "was already unlinked, or the peer has not created it yet"},
    {EEXIST, "EEXIST", "O_CREAT | O_EXCL on a name that already exists: a "
     "stale object from an earlier run, or created twice"},
    {EACCES, "EACCES", "permission denied: PROT_WRITE on an O_RDONLY shm "
     "descriptor, a name with a second '/', or a mode without the needed "
     "permission bits"},
    {EBADF, "EBADF", "not a valid descriptor for this use: sending on an "
     "O_RDONLY queue, receiving on an O_WRONLY one, or using it after "
     "close"},
    {ETIMEDOUT, "ETIMEDOUT", "the deadline passed; mq_timed* take an "
     "absolute CLOCK_REALTIME time, not a relative one"},
    {EBUSY, "EBUSY", "another process is already registered with mq_notify "
     "on this queue"},
    {ENAMETOOLONG, "ENAMETOOLONG", "the name is longer than 255 characters"},
    {ENOSPC, "ENOSPC", "the system-wide queue limit (queues_max) is reached"},
    {ENOSYS, "ENOSYS", "the function is still the skeleton: complete the "
     "TODO(student) in it"},
    {EINTR, "EINTR", "a signal interrupted a blocking call; retry it"},
    {EOWNERDEAD, "EOWNERDEAD", "the previous owner of a robust mutex died "
     "holding it; make the state consistent and call "
     "pthread_mutex_consistent"},
    {EFBIG, "EFBIG", "the size is larger than the object or file allows"},
    {ENOMEM, "ENOMEM", "not enough memory, or the address range is not "
     "mapped"},
    {EIO, "EIO", "an input/output error (here, most likely one the grader "
     "injected to test your error path)"},
    {EOVERFLOW, "EOVERFLOW", "a size or offset does not fit the type that "
     "must hold it"},
    {EPERM, "EPERM", "not allowed: unlocking a mutex this thread does not "
     "hold, or a call that needs rights the process lacks"},
};

static const struct errno_text *find(int err)
{
    for (size_t i = 0; i < sizeof errno_texts / sizeof errno_texts[0]; i++)
        if (errno_texts[i].err == err)
            return &errno_texts[i];
    return NULL;
}

const char *lab_errno_name(int err)
{
    const struct errno_text *t = find(err);
    return t ? t->name : lab_fmt("%d (%s)", err, strerror(err));
}

const char *lab_errno_hint(int err)
{
    const struct errno_text *t = find(err);
    return t ? t->hint : strerror(err);
}

const char *lab_quote(const void *bytes, long len)
{
    static char slots[4][512];
    static unsigned next;
    char *out = slots[next++ % 4];
    const unsigned char *b = bytes;
    size_t o = 0;
    if (len < 0)
        return "(nothing)";
    out[o++] = '"';
    for (long i = 0; i < len && o < sizeof slots[0] - 16; i++) {
        if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '"' && b[i] != '\\')
            out[o++] = (char)b[i];
        else if (b[i] == '\n' || b[i] == '"' || b[i] == '\\')
            o += (size_t)snprintf(out + o, 8, "\\%c", b[i] == '\n' ? 'n' : b[i]);
        else
            o += (size_t)snprintf(out + o, 8, "\\x%02x", b[i]);
    }
    if (o >= sizeof slots[0] - 16)
        o += (size_t)snprintf(out + o, 8, "...");
    out[o++] = '"';
    out[o] = '\0';
    return out;
}
