/* test_pubsub.c - lab 10: publisher and subscribers, each subscriber a
 * process with its own queue. */
#include "kid.h"
#include "pubsub.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>

#define NOTE(anchor) "10-shm-pubsub.md#" anchor

static void must_create(struct ps_handle *h, const char *name)
{
    lab_assert_ok(ps_create(h, name), NOTE("creating-the-shared-object"),
                  "ps_create(h, \"%s\") on a new name", name);
}

/* In a subscriber process: attach and subscribe, or say why not. */
static int join(const struct kid_io *io, struct ps_handle *h)
{
    if (ps_attach(h, io->name) == -1)
        return kid_say(io, 1, "ps_attach failed: %s", lab_errno_name(errno));
    if (ps_subscribe(h, io->qname) == -1)
        return kid_say(io, 1, "ps_subscribe failed: %s",
                       lab_errno_name(errno));
    return 0;
}

/* "W<rc> <seq> <data>" for one ps_wait. */
static int report_wait(const struct kid_io *io, struct ps_handle *h,
                       const struct timespec *timeout)
{
    static struct ps_snapshot s;
    int rc = ps_wait(h, &s, timeout);
    if (rc == -1)
        return kid_say(io, 0, "W-1 %s", lab_errno_name(errno));
    if (rc == 0)
        return kid_say(io, 0, "W0");
    return kid_say(io, 0, "W%d %lu %s", rc, s.seq,
                   s.len > 0 && s.len <= PS_DATA_MAX && s.data[s.len - 1] == '\0'
                       ? s.data : "(not a string)");
}

static const struct timespec two_seconds = {2, 0};
static const struct timespec tenth = {0, 100 * 1000 * 1000};

/* Waits for one notification per 'n'; leaves on 'q'. */
static int subscriber(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    if (join(io, &h) != 0)
        return 1;
    kid_say(io, 0, "R");
    for (char c; (c = kid_command(io)) == 'n';)
        report_wait(io, &h, &two_seconds);
    if (ps_close(&h) == -1)
        return kid_say(io, 1, "ps_close failed: %s", lab_errno_name(errno));
    return kid_say(io, 0, "Q");
}

#define SUBSCRIBERS 3
#define UPDATES 5

LAB_TEST_TIMEOUT(pubsub, every_subscriber_is_notified_of_each_update_then_reads_it, 8, 20.0)
{
    const char *name = lab_name("news");
    struct ps_handle h;
    must_create(&h, name);
    struct kid k[SUBSCRIBERS];
    const char *qname[SUBSCRIBERS];
    for (int i = 0; i < SUBSCRIBERS; i++) {
        qname[i] = lab_name(lab_fmt("sub%d", i));
        kid_start(&k[i], subscriber, name, qname[i], i);
        const char *line = kid_line(&k[i], 5.0);
        lab_assert(strcmp(line, "R") == 0, NOTE("subscribing"),
                   "subscriber process %d: ps_attach, ps_subscribe\n  "
                   "expected: both succeed\n  got:      %s", i,
                   kid_said(&k[i], line));
    }
    for (int u = 1; u <= UPDATES; u++) {
        char text[32];
        snprintf(text, sizeof text, "update %d", u);
        lab_assert_ok(ps_publish(&h, text, strlen(text) + 1),
                      NOTE("publishing-an-update"), "ps_publish(\"%s\")", text);
        /* One subscriber at a time: each must find its notification
         * queued, whatever the others do. */
        for (int i = 0; i < SUBSCRIBERS; i++) {
            kid_send(&k[i], 'n');
            const char *line = kid_line(&k[i], 5.0);
            const char *want = lab_fmt("W1 %d update %d", u, u);
            lab_assert(strcmp(line, want) == 0, NOTE("publishing-an-update"),
                       "update %d published, %d subscribers; subscriber %d "
                       "calls ps_wait\n  expected: %s (notified, then the "
                       "record read)\n  got:      %s\n  likely:   %s", u,
                       SUBSCRIBERS, i, want,
                       kid_said(&k[i], line),
                       strcmp(line, "W0") == 0
                           ? "no notification reached its queue: is its "
                             "slot in the table still there after the "
                             "others attached?"
                           : "see the message");
        }
    }
    for (int i = 0; i < SUBSCRIBERS; i++) {
        kid_send(&k[i], 'q');
        const char *line = kid_line(&k[i], 5.0);
        lab_assert(strcmp(line, "Q") == 0, NOTE("teardown-by-each-owner"),
                   "subscriber %d: ps_close\n  expected: success\n  got:     "
                   " %s", i, kid_said(&k[i], line));
        lab_assert(!lab_queue_exists(qname[i]), NOTE("teardown-by-each-owner"),
                   "after subscriber %d's ps_close\n  expected: its queue "
                   "removed\n  got:      %s still exists", i, qname[i]);
    }
    for (int i = 0; i < PS_MAX_SUBSCRIBERS; i++)
        lab_assert(h.shm->subscribers[i][0] == '\0', NOTE("subscribing"),
                   "every subscriber has left\n  expected: every slot free\n"
                   "  got:      slot %d holds %s", i,
                   lab_quote(h.shm->subscribers[i],
                             (long)strnlen(h.shm->subscribers[i], PS_NAME_MAX)));
    ps_close(&h);
}

/* ---- ps_wait sleeps until the next update, or its timeout ---------------- */

static int waiter(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    if (join(io, &h) != 0)
        return 1;
    kid_say(io, 0, "R");
    const struct timespec five = {5, 0};
    report_wait(io, &h, &five);
    if (kid_command(io) != 't')
        return 2;
    report_wait(io, &h, &tenth);
    ps_close(&h);
    return 0;
}

/* 1 once process PID sleeps in mq_timedreceive; 0 if it says something
 * first, or after SECONDS. */
static int wait_until_blocked(struct kid *k, double seconds)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)k->pid);
    for (double until = kid_now() + seconds; kid_now() < until;) {
        if (kid_has_line(k))
            return 0;
        FILE *f = fopen(path, "r");
        long nr = -1;
        if (f) {
            if (fscanf(f, "%ld", &nr) != 1)
                nr = -1;
            fclose(f);
        }
        if (nr == SYS_mq_timedreceive)
            return 1;
        struct timespec ms = {0, 1000 * 1000};
        nanosleep(&ms, NULL);
    }
    return 0;
}

LAB_TEST_TIMEOUT(pubsub, wait_sleeps_until_the_next_update_or_its_timeout, 5, 15.0)
{
    const char *name = lab_name("wait");
    struct ps_handle h;
    must_create(&h, name);
    struct kid k;
    kid_start(&k, waiter, name, lab_name("waitq"), 0);
    const char *line = kid_line(&k, 5.0);
    lab_assert(strcmp(line, "R") == 0, NOTE("subscribing"),
               "a subscriber process: ps_attach, ps_subscribe\n  expected: "
               "both succeed\n  got:      %s", kid_said(&k, line));
    int blocked = wait_until_blocked(&k, 5.0);
    if (!blocked)
        line = kid_line(&k, 0.5);
    lab_assert(blocked, NOTE("waiting-for-a-notification"),
               "a subscriber calls ps_wait with a 5 s timeout before anything"
               " is published\n  expected: it sleeps in mq_timedreceive\n  "
               "got:      %s\n  likely:   mq_timedreceive takes an absolute "
               "CLOCK_REALTIME deadline (now + timeout); a relative one lies "
               "in 1970 and has passed at once", line[0]
                   ? lab_fmt("it returned at once: %s", lab_quote(line, (long)strlen(line)))
                   : "it was never seen waiting");
    lab_assert_ok(ps_publish(&h, "wake up", 8), NOTE("publishing-an-update"),
                  "ps_publish(\"wake up\")");
    line = kid_line(&k, 5.0);
    lab_assert(strcmp(line, "W1 1 wake up") == 0,
               NOTE("waiting-for-a-notification"),
               "the first update, published while the subscriber waits\n  "
               "expected: W1 1 wake up\n  got:      %s",
               kid_said(&k, line));
    kid_send(&k, 't');
    line = kid_line(&k, 5.0);
    lab_assert(strcmp(line, "W0") == 0, NOTE("waiting-for-a-notification"),
               "then ps_wait with a 0.1 s timeout, nothing published\n  "
               "expected: 0 (W0)\n  got:      %s",
               kid_said(&k, line));
    lab_assert(kid_ok(&k, 5.0), NOTE("teardown-by-each-owner"),
               "expected: the subscriber closes and exits 0");
    ps_close(&h);
}

/* ---- a subscriber that does not keep up ------------------------------- */

static int sleepy(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    if (join(io, &h) != 0)
        return 1;
    kid_say(io, 0, "R");
    if (kid_command(io) != 'r')
        return 2;
    report_wait(io, &h, &two_seconds);
    report_wait(io, &h, &tenth);
    ps_close(&h);
    return 0;
}

#define MANY (3 * PS_QUEUE_DEPTH)

static int publish_many(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    if (ps_attach(&h, io->name) == -1)
        return 1;
    for (int i = 1; i <= MANY; i++) {
        char text[32];
        snprintf(text, sizeof text, "update %d", i);
        if (ps_publish(&h, text, strlen(text) + 1) == -1)
            return 2;
    }
    ps_close(&h);
    return 0;
}

LAB_TEST_TIMEOUT(pubsub, a_slow_subscriber_does_not_stall_the_publisher, 5, 15.0)
{
    const char *name = lab_name("slow");
    struct ps_handle h;
    must_create(&h, name);
    struct kid sub, pub;
    kid_start(&sub, sleepy, name, lab_name("slowq"), 0);
    const char *line = kid_line(&sub, 5.0);
    lab_assert(strcmp(line, "R") == 0, NOTE("subscribing"),
               "a subscriber process: ps_attach, ps_subscribe\n  expected: "
               "both succeed\n  got:      %s", kid_said(&sub, line));
    kid_start(&pub, publish_many, name, NULL, 1);
    int status = 0;
    int ended = lab_wait_pid(pub.pid, 5.0, &status);
    lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0,
               NOTE("a-slow-subscriber"),
               "a publisher process publishes %d updates; the subscriber's "
               "queue holds %d notifications and nobody reads it\n  "
               "expected: every ps_publish returns at once\n  got:      the "
               "publisher %s\n  likely:   the subscriber queue opened "
               "without O_NONBLOCK: mq_send waits for room that never comes",
               MANY, PS_QUEUE_DEPTH,
               ended ? lab_describe_status(status) : "is still blocked after 5 s");
    kid_send(&sub, 'r');
    line = kid_line(&sub, 5.0);
    const char *want = lab_fmt("W1 %d update %d", MANY, MANY);
    lab_assert(strcmp(line, want) == 0, NOTE("a-slow-subscriber"),
               "then the subscriber calls ps_wait\n  expected: %s (the latest "
               "record, whatever notifications were dropped)\n  got:      %s",
               want, kid_said(&sub, line));
    line = kid_line(&sub, 5.0);
    lab_assert(strcmp(line, "W0") == 0, NOTE("waiting-for-a-notification"),
               "and ps_wait again, with 0.1 s\n  expected: 0 (W0): the first "
               "ps_wait took every notification queued, all of them about "
               "the record it read\n  got:      %s",
               kid_said(&sub, line));
    ps_close(&h);
}

/* ---- no torn update ---------------------------------------------------- */

/* Update k holds PS_DATA_MAX bytes, all the letter for k. */
static char letter(unsigned long seq)
{
    return (char)('a' + seq % 26);
}

static int publish_until_told(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    if (ps_attach(&h, io->name) == -1)
        return kid_say(io, 1, "ps_attach failed: %s", lab_errno_name(errno));
    static char data[PS_DATA_MAX];
    struct pollfd stop = {.fd = io->cmd, .events = POLLIN};
    for (unsigned long seq = 1;; seq++) {
        memset(data, letter(seq), sizeof data);
        if (ps_publish(&h, data, sizeof data) == -1)
            return kid_say(io, 1, "ps_publish failed: %s",
                           lab_errno_name(errno));
        if (seq == 1)
            kid_say(io, 0, "P");
        if (seq % 16 == 0 && poll(&stop, 1, 0) == 1)
            break;
    }
    ps_close(&h);
    return 0;
}

/* How long each reader copies the record, all the while checking every
 * copy; longer if it has not yet seen MIN_SEQS updates (at most 5 s). A
 * copy made without the lock needs the two processes to run at the same
 * moment to tear, which a loaded machine makes rare: hence a span, not a
 * number of reads. */
#define READ_SECONDS 1.5
#define MIN_SEQS 100
static int check_copies(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    /* Attached, not subscribed: with no queue to notify, the publisher
     * spends its time rewriting the record, which gives a copy made
     * without the lock the most chances to tear. */
    if (ps_attach(&h, io->name) == -1)
        return kid_say(io, 1, "ps_attach failed: %s", lab_errno_name(errno));
    static struct ps_snapshot s;
    unsigned long last = 0, seqs = 0;
    long reads = 0;
    double start = kid_now();
    for (double now = start; now < start + 5.0 &&
                             (now < start + READ_SECONDS || seqs < MIN_SEQS);
         now = kid_now()) {
        if (ps_read(&h, &s) == -1)
            return kid_say(io, 1, "ps_read failed: %s", lab_errno_name(errno));
        reads++;
        if (s.seq < last)
            return kid_say(io, 1, "seq went back from %lu to %lu", last,
                           s.seq);
        seqs += s.seq != last;
        last = s.seq;
        if (s.len != PS_DATA_MAX)
            return kid_say(io, 1, "read %ld: len %zu for seq %lu", reads,
                           s.len, s.seq);
        for (size_t i = 0; i < PS_DATA_MAX; i++)
            if (s.data[i] != letter(s.seq))
                return kid_say(io, 1, "read %ld: TORN: seq %lu says every "
                               "byte is '%c', but byte %zu is '%c'", reads,
                               s.seq, letter(s.seq), i, s.data[i]);
    }
    ps_close(&h);
    return kid_say(io, 0, "OK %ld %lu", reads, seqs);
}

#define READERS 2

LAB_TEST_TIMEOUT(pubsub, no_subscriber_ever_sees_a_torn_update, 7, 25.0)
{
    const char *name = lab_name("torn");
    struct ps_handle h;
    must_create(&h, name);
    struct kid pub, r[READERS];
    kid_start(&pub, publish_until_told, name, NULL, 0);
    const char *line = kid_line(&pub, 5.0);
    lab_assert(strcmp(line, "P") == 0, NOTE("publishing-an-update"),
               "a publisher process: ps_attach, then ps_publish of %d bytes "
               "in a loop\n  expected: it starts\n  got:      %s",
               PS_DATA_MAX, kid_said(&pub, line));
    for (int i = 0; i < READERS; i++)
        kid_start(&r[i], check_copies, name, NULL, i + 1);
    for (int i = 0; i < READERS; i++) {
        line = kid_line(&r[i], 12.0);
        long reads = 0;
        unsigned long seqs = 0;
        int ok = sscanf(line, "OK %ld %lu", &reads, &seqs) == 2;
        lab_assert(ok, NOTE("torn-updates"),
                   "a publisher rewrites the %d-byte record in a loop, each "
                   "update one letter throughout; subscriber %d copies it "
                   "with ps_read in a loop\n  expected: every copy "
                   "consistent\n  got:      %s\n  likely:   the record is "
                   "read or written without the lock: a copy then starts "
                   "before an update and ends after it", PS_DATA_MAX, i,
                   kid_said(&r[i], line));
        lab_assert(seqs >= 20, NOTE("torn-updates"),
                   "subscriber %d\n  expected: it saw the record change at "
                   "least 20 times while reading\n  got:      %lu changes in "
                   "%ld reads: the publisher hardly ran", i, seqs, reads);
    }
    kid_send(&pub, 's');
    lab_assert(kid_ok(&pub, 5.0), NOTE("publishing-an-update"),
               "expected: the publisher stops when told and exits 0");
    ps_close(&h);
}
