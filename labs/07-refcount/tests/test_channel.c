/* test_channel.c - lab 07: publishing and receiving through a channel. */
#include "support.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

LAB_TEST(channel, published_text_arrives_with_its_notice, 7)
{
    const char *q = lab_name("q"), *d = lab_name("d");
    mode_t old_mask = umask(0);  /* the umask would hide the mode asked for */
    struct channel *c = must_create(q, d, 64);
    umask(old_mask);
    must_publish(c, "hello");
    char raw[CHANNEL_MSGSIZE];
    unsigned prio = 99;
    ssize_t n = mq_receive(c->queue, raw, sizeof raw, &prio);
    lab_assert(n == -1 || prio == 0, NOTE("a-channel"),
               "channel_publish(c, \"hello\")\n  expected: a notice of "
               "priority 0\n  got:      priority %u", prio);
    channel_notice notice = 0;
    if (n == (ssize_t)sizeof notice)
        memcpy(&notice, raw, sizeof notice);
    lab_assert(n == (ssize_t)sizeof notice && notice == 5 &&
                   memcmp(c->data, "hello", 6) == 0,
               NOTE("a-channel"),
               "channel_publish(c, \"hello\")\n  expected: \"hello\\0\" at the "
               "start of the object, and one %zu-byte notice holding 5\n  "
               "got:      the object starts with %s; the notice: %zd bytes%s",
               sizeof notice, lab_quote(c->data, 6), n,
               n == (ssize_t)sizeof notice ? lab_fmt(" holding %u",
                                                     (unsigned)notice) : "");

    must_publish(c, "world");
    expect_text(c, "world", "a channel after publishing \"world\"",
                NOTE("a-channel"));

    char big[65];
    memset(big, 'x', 64);
    big[64] = '\0';
    errno = 0;
    int rc = channel_publish(c, big);
    int err = errno;
    lab_assert(rc == -1 && err == EMSGSIZE && pending(c->queue) == 0 &&
                   strcmp(c->data, "world") == 0,
               NOTE("a-channel"),
               "channel_publish of 64 characters into a 64-byte object (65 "
               "bytes with the '\\0')\n  expected: -1 with errno EMSGSIZE, "
               "nothing written, no notice\n  got:      %d%s, %ld notice(s), "
               "object starting with %s", rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "",
               pending(c->queue), lab_quote(c->data, 8));
    big[63] = '\0';
    must_publish(c, big);
    char out[72];
    n = channel_receive(c, out, sizeof out);
    lab_assert(n == 63 && strcmp(out, big) == 0, NOTE("a-channel"),
               "channel_receive of a 63-character text filling the object\n"
               "  expected: 63\n  got:      %zd", n);

    /* OUT one byte too small for "hello" and its '\0'. */
    must_publish(c, "hello");
    memset(out, '#', sizeof out);
    errno = 0;
    n = channel_receive(c, out, 5);
    err = errno;
    lab_assert(n == -1 && err == EMSGSIZE && out[5] == '#', NOTE("a-channel"),
               "channel_receive(c, out, 5) for the 5-character \"hello\"\n  "
               "expected: -1 with errno EMSGSIZE, and nothing written past "
               "out[4]\n  got:      %zd%s, out[5] is %s\n  likely:   the "
               "room check forgets the '\\0': a text of length n needs "
               "n + 1 bytes", n,
               n == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "",
               out[5] == '#' ? "untouched" : lab_quote(out + 5, 1));

    cr_assert(mq_send(c->queue, "abc", 3, 0) == 0, "grader: mq_send failed");
    errno = 0;
    n = channel_receive(c, out, sizeof out);
    err = errno;
    lab_assert(n == -1 && err == EBADMSG, NOTE("a-channel"),
               "channel_receive of a 3-byte message, which is no notice\n  "
               "expected: -1 with errno EBADMSG\n  got:      %zd%s", n,
               n == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    notice = 1000;
    cr_assert(mq_send(c->queue, (const char *)&notice, sizeof notice, 0) == 0,
              "grader: mq_send failed");
    errno = 0;
    n = channel_receive(c, out, sizeof out);
    err = errno;
    lab_assert(n == -1 && err == EBADMSG, NOTE("a-channel"),
               "channel_receive of a notice announcing 1000 bytes in a "
               "64-byte object\n  expected: -1 with errno EBADMSG (the "
               "object is shared: do not trust it)\n  got:      %zd%s", n,
               n == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    /* Both objects are the owner's only (CHANNEL_MODE, 0600). */
    struct stat st;
    lab_assert_ok(fstat(c->queue, &st), NOTE("a-channel"), "grader: fstat");
    lab_assert((st.st_mode & 0777) == CHANNEL_MODE, NOTE("a-channel"),
               "the queue made by channel_create\n  expected: permissions "
               "0600 (CHANNEL_MODE)\n  got:      %04o",
               (unsigned)(st.st_mode & 0777));
    int fd = shm_open(d, O_RDONLY, 0);
    lab_assert_ok(fd, NOTE("a-channel"), "grader: shm_open(\"%s\")", d);
    lab_assert_ok(fstat(fd, &st), NOTE("a-channel"), "grader: fstat");
    close(fd);
    lab_assert((st.st_mode & 0777) == CHANNEL_MODE, NOTE("a-channel"),
               "the object made by channel_create\n  expected: permissions "
               "0600 (CHANNEL_MODE)\n  got:      %04o",
               (unsigned)(st.st_mode & 0777));
    channel_detach(c);
    channel_unlink(q, d);
}
