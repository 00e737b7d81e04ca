/* scenario.c - lab 04: what a correct program does with the library,
 * start to end, run once under valgrind for the cleanliness tests.
 * An owner that releases its name early while a peer holds the queue,
 * an owner that stops normally, a refused start, a late peer, and a
 * mailbox posted to and collected. Exits 0 only if the calls a working
 * program needs succeed. */
#include "lab_scenario.h"
#include "mq_owner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

/* Touches every byte it is given, so that valgrind checks them all. */
static void count_bytes(const void *data, size_t len, unsigned prio, void *arg)
{
    const unsigned char *b = data;
    long *total = arg;
    for (size_t i = 0; i < len; i++)
        *total += b[i] != 0;
    *total += prio != 0;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char early[200], plain[200], late[200], mailbox[200], none[200];
    snprintf(early, sizeof early, "%s.0", argv[1]);
    snprintf(plain, sizeof plain, "%s.1", argv[1]);
    snprintf(late, sizeof late, "%s.2", argv[1]);
    snprintf(mailbox, sizeof mailbox, "%s.3", argv[1]);
    snprintf(none, sizeof none, "%s.4", argv[1]);

    /* Early release: the peer opens, the name goes, both go on. */
    struct owner o;
    if (owner_start(&o, early, 4, 64) == -1)
        return lab_scenario_failed("owner_start failed");
    mqd_t p = peer_open(early, O_WRONLY);
    if (p == (mqd_t)-1)
        return lab_scenario_failed("peer_open of an existing queue failed");
    if (owner_release_name(&o) == -1)
        return lab_scenario_failed("owner_release_name failed");
    if (queue_exists(early) != 0)
        return lab_scenario_failed("queue_exists saw a released name");
    char buf[64];
    if (mq_send(p, "after", 5, 0) == -1 ||
        mq_receive(o.q, buf, sizeof buf, NULL) != 5)
        return lab_scenario_failed("the queue did not work after its name was released");
    if (mq_close(p) == -1)
        return lab_scenario_failed("mq_close failed");
    if (owner_stop(&o) == -1)
        return lab_scenario_failed("owner_stop after an early release failed");

    /* A plain owner, and a second start on its name (an error path). */
    struct owner a, b;
    if (owner_start(&a, plain, 2, 32) == -1)
        return lab_scenario_failed("owner_start failed");
    if (owner_start(&b, plain, 2, 32) != -1) {
        errno = 0;
        return lab_scenario_failed("owner_start took a name that exists");
    }
    if (queue_exists(plain) != 1)
        return lab_scenario_failed("queue_exists missed an existing queue");
    if (owner_stop(&a) == -1)
        return lab_scenario_failed("owner_stop failed");

    /* A late peer gives up, creating nothing. */
    if (peer_open(late, O_RDONLY) != (mqd_t)-1 ||
        peer_open_wait(late, O_RDONLY, 20) != (mqd_t)-1) {
        errno = 0;
        return lab_scenario_failed("a peer opened a queue that does not exist");
    }

    /* A mailbox: two posts, then the collector takes all and removes it. */
    if (mailbox_post(mailbox, "one", 3) == -1 ||
        mailbox_post(mailbox, "two!", 4) == -1)
        return lab_scenario_failed("mailbox_post failed");
    long total = 0;
    if (mailbox_collect(mailbox, count_bytes, &total) != 2)
        return lab_scenario_failed("mailbox_collect did not take the 2 messages");
    if (mailbox_collect(none, NULL, NULL) != -1) {
        errno = 0;
        return lab_scenario_failed("mailbox_collect of a missing mailbox succeeded");
    }
    return lab_scenario_complete();
}
