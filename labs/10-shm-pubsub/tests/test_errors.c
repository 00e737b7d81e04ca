/* test_errors.c - lab 10: the errors the spec names, and what each one
 * leaves as it was. */
#include "kid.h"
#include "probe.h"
#include "pubsub.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define NOTE(anchor) "10-shm-pubsub.md#" anchor

static void must_create(struct ps_handle *h, const char *name)
{
    lab_assert_ok(ps_create(h, name), NOTE("creating-the-shared-object"),
                  "ps_create(h, \"%s\") on a new name", name);
}

static void must_attach(struct ps_handle *h, const char *name)
{
    lab_assert_ok(ps_attach(h, name), NOTE("attaching"),
                  "ps_attach(h, \"%s\") on an object ps_create made", name);
}

static void must_subscribe(struct ps_handle *h, const char *qname)
{
    lab_assert_ok(ps_subscribe(h, qname), NOTE("subscribing"),
                  "ps_subscribe(h, \"%s\") on an attached handle, the table "
                  "not full", qname);
}

static const char *slot_text(struct ps_shared *shm, int i)
{
    return lab_quote(shm->subscribers[i],
                     (long)strnlen(shm->subscribers[i], PS_NAME_MAX));
}

LAB_TEST(errors, names_of_ps_name_max_characters_are_refused, 3)
{
    int fds = lab_open_fd_count();
    const char *too_long = probe_name_of_length(PS_NAME_MAX);
    struct ps_handle h;
    lab_assert_fails_with(ps_create(&h, too_long), ENAMETOOLONG,
                          NOTE("creating-the-shared-object"),
                          "ps_create with a name of PS_NAME_MAX (%d) "
                          "characters: with its '\\0' it does not fit in "
                          "h->name", PS_NAME_MAX);
    lab_assert(!lab_shm_exists(too_long) && lab_open_fd_count() == fds,
               NOTE("creating-the-shared-object"),
               "after ps_create refused a name of %d characters\n  expected:"
               " no object of that name, no descriptor open\n  got:      %s",
               PS_NAME_MAX, lab_shm_exists(too_long)
                   ? "the object was created: check the length before "
                     "shm_open" : "a descriptor left open");

    /* One character less fits, '\0' included. */
    const char *longest = probe_name_of_length(PS_NAME_MAX - 1);
    lab_assert_ok(ps_create(&h, longest), NOTE("creating-the-shared-object"),
                  "ps_create with a name of PS_NAME_MAX - 1 (%d) characters, "
                  "which fits with its '\\0'", PS_NAME_MAX - 1);
    lab_assert(strcmp(h.name, longest) == 0, NOTE("creating-the-shared-object"),
               "after ps_create with a name of %d characters\n  expected: "
               "h->name holds it\n  got:      %s", PS_NAME_MAX - 1,
               lab_quote(h.name, (long)strnlen(h.name, PS_NAME_MAX)));

    const char *qlong = probe_name_of_length(PS_NAME_MAX);
    lab_assert_fails_with(ps_subscribe(&h, qlong), ENAMETOOLONG,
                          NOTE("subscribing"),
                          "ps_subscribe with a queue name of PS_NAME_MAX (%d)"
                          " characters", PS_NAME_MAX);
    lab_assert(!lab_queue_exists(qlong) && h.slot == -1 &&
                   h.shm->subscribers[0][0] == '\0',
               NOTE("subscribing"),
               "after ps_subscribe refused a name of %d characters\n  "
               "expected: no queue of that name, slot -1, the table empty\n"
               "  got:      queue %s, slot %d, slot 0 holds %s", PS_NAME_MAX,
               lab_queue_exists(qlong) ? "created" : "not created", h.slot,
               slot_text(h.shm, 0));
    const char *qlongest = probe_name_of_length(PS_NAME_MAX - 1);
    must_subscribe(&h, qlongest);
    lab_assert(strcmp(h.shm->subscribers[h.slot], qlongest) == 0 &&
                   strcmp(h.qname, qlongest) == 0,
               NOTE("subscribing"),
               "ps_subscribe with a queue name of %d characters\n  expected:"
               " the name whole in its slot and in h->qname\n  got:      "
               "slot %s, qname %s", PS_NAME_MAX - 1, slot_text(h.shm, h.slot),
               lab_quote(h.qname, (long)strnlen(h.qname, PS_NAME_MAX)));
    lab_assert_ok(ps_close(&h), NOTE("teardown-by-each-owner"),
                  "ps_close of the owner, subscribed");
    lab_assert(lab_open_fd_count() == fds, NOTE("cleaning-up"),
               "expected: %d descriptors open at the end\n  got:      %d",
               fds, lab_open_fd_count());
}

LAB_TEST(errors, attach_refuses_a_missing_or_too_small_object, 3)
{
    const char *missing = lab_name("missing");
    int fds = lab_open_fd_count();
    struct ps_handle h;
    lab_assert_fails_with(ps_attach(&h, missing), ENOENT, NOTE("attaching"),
                          "ps_attach on a name no object has");
    lab_assert(!lab_shm_exists(missing) && lab_open_fd_count() == fds,
               NOTE("attaching"),
               "after ps_attach failed with ENOENT\n  expected: still no "
               "object, no descriptor open\n  got:      %s",
               lab_shm_exists(missing) ? "the object was created: ps_attach "
                                         "must not use O_CREAT"
                                       : "a descriptor left open");

    /* An object somebody else made, smaller than a struct ps_shared. */
    const char *small = lab_name("small");
    const off_t size = sizeof(struct ps_shared) / 2;
    int fd = shm_open(small, O_RDWR | O_CREAT | O_EXCL, 0600);
    lab_assert_ok(fd, NOTE("attaching"), "grader: shm_open");
    lab_assert_ok(ftruncate(fd, size), NOTE("attaching"), "grader: ftruncate");
    fds = lab_open_fd_count();
    lab_assert_fails_with(ps_attach(&h, small), EINVAL, NOTE("attaching"),
                          "ps_attach on an object of %lld bytes, smaller than"
                          " a struct ps_shared (%zu)", (long long)size,
                          sizeof(struct ps_shared));
    struct stat st;
    lab_assert_ok(fstat(fd, &st), NOTE("attaching"), "grader: fstat");
    close(fd);
    lab_assert(st.st_size == size && lab_shm_exists(small),
               NOTE("attaching"),
               "after ps_attach refused a small object\n  expected: the "
               "object still there, still %lld bytes\n  got:      %s, %lld "
               "bytes\n  likely:   ps_attach never creates, resizes or "
               "removes the object: it is its creator's", (long long)size,
               lab_shm_exists(small) ? "there" : "removed",
               (long long)st.st_size);
    /* The grader's own descriptor is closed now: one less. */
    lab_assert(lab_open_fd_count() == fds - 1 && probe_mappings(small) == 0,
               NOTE("attaching"),
               "after ps_attach refused a small object\n  expected: no "
               "descriptor and no mapping of it left\n  got:      %d "
               "descriptors more, %d mappings",
               lab_open_fd_count() - fds + 1, probe_mappings(small));
    shm_unlink(small);

    /* An object larger than a struct ps_shared is fine ("at least"): the
     * record is its first sizeof(struct ps_shared) bytes, and the table
     * ends there. Bytes after it that read like a queue's name are not a
     * subscriber: a publisher notifies the PS_MAX_SUBSCRIBERS slots only. */
    const char *big = lab_name("big");
    const char *stray = lab_name("stray");
    struct ps_handle owner;
    must_create(&owner, big);
    const size_t end = offsetof(struct ps_shared, subscribers) +
                       sizeof owner.shm->subscribers;
    const size_t bigger = sizeof(struct ps_shared) + PS_NAME_MAX;
    fd = shm_open(big, O_RDWR, 0);
    lab_assert_ok(fd, NOTE("attaching"), "grader: shm_open");
    lab_assert_ok(ftruncate(fd, (off_t)bigger), NOTE("attaching"),
                  "grader: ftruncate");
    char *all = mmap(NULL, bigger, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    lab_assert(all != MAP_FAILED && end <= sizeof(struct ps_shared),
               NOTE("attaching"), "grader: mmap");
    snprintf(all + end, PS_NAME_MAX, "%s", stray);
    struct mq_attr qa = {.mq_maxmsg = 2, .mq_msgsize = 16};
    mqd_t q = mq_open(stray, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600, &qa);
    lab_assert(q != (mqd_t)-1, NOTE("attaching"), "grader: mq_open");
    must_attach(&h, big);
    lab_assert_ok(ps_publish(&h, "past the table", 15),
                  NOTE("publishing-an-update"),
                  "ps_publish through a handle attached to an object of %zu "
                  "bytes (%zu more than a struct ps_shared)", bigger,
                  bigger - sizeof(struct ps_shared));
    struct mq_attr now;
    lab_assert(mq_getattr(q, &now) == 0 && now.mq_curmsgs == 0,
               NOTE("publishing-an-update"),
               "ps_publish, every slot of the table free, and the bytes just"
               " after the table (past the end of the struct ps_shared) "
               "holding the name of an existing queue\n  expected: nobody "
               "notified\n  got:      %ld notifications in that queue\n  "
               "likely:   the loop over the table reads one slot too many: "
               "i < PS_MAX_SUBSCRIBERS, not <=", (long)now.mq_curmsgs);
    mq_close(q);
    mq_unlink(stray);
    munmap(all, bigger);
    lab_assert_ok(ps_close(&h), NOTE("teardown-by-each-owner"),
                  "ps_close of an attached handle");
    lab_assert_ok(ps_close(&owner), NOTE("teardown-by-each-owner"),
                  "ps_close of the owner");
}

LAB_TEST(errors, publish_refuses_more_than_ps_data_max, 3)
{
    const char *name = lab_name("big");
    struct ps_handle h, s;
    must_create(&h, name);
    must_attach(&s, name);
    must_subscribe(&s, lab_name("bigq"));
    lab_assert_ok(ps_publish(&h, "one", 4), NOTE("publishing-an-update"),
                  "ps_publish(h, \"one\", 4)");
    static struct ps_snapshot snap;
    const struct timespec tenth = {0, 100 * 1000 * 1000};
    lab_assert(ps_wait(&s, &snap, &tenth) == 1, NOTE("waiting-for-a-notification"),
               "one update published, then ps_wait\n  expected: 1");

    static char big[PS_DATA_MAX + 1];
    memset(big, 'B', sizeof big);
    lab_assert_fails_with(ps_publish(&h, big, PS_DATA_MAX + 1), EINVAL,
                          NOTE("publishing-an-update"),
                          "ps_publish of PS_DATA_MAX + 1 (%d) bytes",
                          PS_DATA_MAX + 1);
    lab_assert(h.shm->seq == 1 && h.shm->len == 4 &&
                   memcmp(h.shm->data, "one", 4) == 0,
               NOTE("publishing-an-update"),
               "after a ps_publish refused with EINVAL\n  expected: the record"
               " as it was: seq 1, len 4, \"one\"\n  got:      seq %lu, len "
               "%zu\n  likely:   check len before touching the record",
               h.shm->seq, h.shm->len);
    int rc = ps_wait(&s, &snap, &tenth);
    lab_assert(rc == 0, NOTE("publishing-an-update"),
               "after a ps_publish refused with EINVAL, a subscriber waits "
               "0.1 s\n  expected: 0, nothing was published\n  got:      %d",
               rc);
    lab_assert_ok(ps_publish(&h, big, PS_DATA_MAX), NOTE("publishing-an-update"),
                  "ps_publish of exactly PS_DATA_MAX (%d) bytes, the most "
                  "the record holds", PS_DATA_MAX);
    lab_assert(h.shm->seq == 2 && h.shm->len == PS_DATA_MAX,
               NOTE("publishing-an-update"),
               "after ps_publish of %d bytes\n  expected: seq 2, len %d\n  "
               "got:      seq %lu, len %zu", PS_DATA_MAX, PS_DATA_MAX,
               h.shm->seq, h.shm->len);
    lab_assert_ok(ps_close(&s), NOTE("teardown-by-each-owner"),
                  "ps_close of the subscriber");
    lab_assert_ok(ps_close(&h), NOTE("teardown-by-each-owner"),
                  "ps_close of the owner");
}

LAB_TEST(errors, subscribe_refuses_a_second_subscription_and_a_full_table, 4)
{
    const char *name = lab_name("full");
    struct ps_handle h, sub[PS_MAX_SUBSCRIBERS], late;
    must_create(&h, name);
    /* The queue must be new: O_EXCL, and another's queue left alone. */
    const char *taken = lab_name("taken");
    struct mq_attr qa = {.mq_maxmsg = 2, .mq_msgsize = 16};
    mqd_t mine = mq_open(taken, O_RDWR | O_CREAT | O_EXCL, 0600, &qa);
    lab_assert(mine != (mqd_t)-1, NOTE("subscribing"), "grader: mq_open");
    lab_assert_ok(mq_send(mine, "hello", 6, 0), NOTE("subscribing"),
                  "grader: mq_send");
    struct ps_handle dup;
    must_attach(&dup, name);
    lab_assert_fails_with(ps_subscribe(&dup, taken), EEXIST, NOTE("subscribing"),
                          "ps_subscribe with the name of a queue that exists "
                          "already");
    struct mq_attr now;
    lab_assert(mq_getattr(mine, &now) == 0 && now.mq_curmsgs == 1 &&
                   now.mq_msgsize == 16 && lab_queue_exists(taken),
               NOTE("subscribing"),
               "after ps_subscribe failed with EEXIST\n  expected: the queue "
               "that was there left alone, its message still in it\n  got: "
               "     %s\n  likely:   create with O_CREAT | O_EXCL, and remove"
               " only a queue you created", lab_queue_exists(taken)
                   ? "it changed" : "it was removed");
    mq_close(mine);
    lab_assert_ok(ps_close(&dup), NOTE("teardown-by-each-owner"),
                  "ps_close of a handle whose ps_subscribe failed");

    const char *qname[PS_MAX_SUBSCRIBERS];
    for (int i = 0; i < PS_MAX_SUBSCRIBERS; i++) {
        qname[i] = lab_name(lab_fmt("q%d", i));
        must_attach(&sub[i], name);
        must_subscribe(&sub[i], qname[i]);
        struct mq_attr qa;
        mqd_t q = mq_open(qname[i], O_RDONLY);
        lab_assert(q != (mqd_t)-1 && mq_getattr(q, &qa) == 0 &&
                       qa.mq_maxmsg == PS_QUEUE_DEPTH &&
                       qa.mq_msgsize == (long)sizeof(unsigned long),
                   NOTE("subscribing"),
                   "the queue ps_subscribe created\n  expected: mq_maxmsg "
                   "%d (PS_QUEUE_DEPTH), mq_msgsize %zu\n  got:      %ld, %ld",
                   PS_QUEUE_DEPTH, sizeof(unsigned long),
                   q == (mqd_t)-1 ? -1L : (long)qa.mq_maxmsg,
                   q == (mqd_t)-1 ? -1L : (long)qa.mq_msgsize);
        mq_close(q);
        lab_assert(sub[i].slot == i && strcmp(h.shm->subscribers[i],
                                              qname[i]) == 0,
                   NOTE("subscribing"),
                   "subscriber %d of %d, the first slots taken\n  expected: "
                   "the first free slot, %d, holds its name\n  got:      "
                   "slot %d, slot %d holds %s", i + 1, PS_MAX_SUBSCRIBERS, i,
                   sub[i].slot, i, slot_text(h.shm, i));
    }

    /* Already subscribed. */
    const char *other = lab_name("other");
    mqd_t q0 = sub[0].q;
    lab_assert_fails_with(ps_subscribe(&sub[0], other), EBUSY,
                          NOTE("subscribing"),
                          "ps_subscribe on a handle already subscribed");
    lab_assert(!lab_queue_exists(other) && sub[0].slot == 0 &&
                   sub[0].q == q0 && strcmp(sub[0].qname, qname[0]) == 0 &&
                   lab_queue_exists(qname[0]),
               NOTE("subscribing"),
               "after ps_subscribe failed with EBUSY\n  expected: no new "
               "queue, the handle's subscription as it was\n  got:      %s",
               lab_queue_exists(other) ? "the new queue was created"
                                       : "the handle or its queue changed");

    /* The table is full. */
    must_attach(&late, name);
    const char *lateq = lab_name("late");
    int fds = lab_open_fd_count();
    lab_assert_fails_with(ps_subscribe(&late, lateq), ENOSPC,
                          NOTE("subscribing"),
                          "ps_subscribe while all %d slots are taken",
                          PS_MAX_SUBSCRIBERS);
    lab_assert(!lab_queue_exists(lateq) && lab_open_fd_count() == fds &&
                   late.slot == -1,
               NOTE("subscribing"),
               "after ps_subscribe failed with ENOSPC\n  expected: its queue"
               " removed again, its descriptor closed, slot -1\n  got:      "
               "queue %s, %d descriptors more, slot %d",
               lab_queue_exists(lateq) ? "still there" : "removed",
               lab_open_fd_count() - fds, late.slot);
    for (int i = 0; i < PS_MAX_SUBSCRIBERS; i++)
        lab_assert(strcmp(h.shm->subscribers[i], qname[i]) == 0,
                   NOTE("subscribing"),
                   "after ps_subscribe failed with ENOSPC\n  expected: slot "
                   "%d still holds %s\n  got:      %s", i, qname[i],
                   slot_text(h.shm, i));

    /* A slot that is free again goes to the next subscriber. */
    lab_assert_ok(ps_unsubscribe(&sub[3]), NOTE("subscribing"),
                  "ps_unsubscribe of the subscriber in slot 3");
    lab_assert(h.shm->subscribers[3][0] == '\0' && !lab_queue_exists(qname[3]),
               NOTE("subscribing"),
               "after ps_unsubscribe\n  expected: slot 3 free, its queue "
               "removed\n  got:      slot 3 holds %s, queue %s",
               slot_text(h.shm, 3),
               lab_queue_exists(qname[3]) ? "still there" : "removed");
    must_subscribe(&late, lateq);
    lab_assert(late.slot == 3 && strcmp(h.shm->subscribers[3], lateq) == 0,
               NOTE("subscribing"),
               "ps_subscribe once slot 3 was freed\n  expected: slot 3\n  "
               "got:      slot %d", late.slot);

    /* A slot that holds another name is not ours to free. */
    snprintf(h.shm->subscribers[5], PS_NAME_MAX, "%s", other);
    lab_assert_ok(ps_unsubscribe(&sub[5]), NOTE("subscribing"),
                  "ps_unsubscribe of a subscriber whose slot now holds "
                  "another name");
    lab_assert(strcmp(h.shm->subscribers[5], other) == 0 &&
                   !lab_queue_exists(qname[5]),
               NOTE("subscribing"),
               "ps_unsubscribe when its slot holds another queue's name\n  "
               "expected: the slot left alone (free it only if it still "
               "holds your qname), your queue removed\n  got:      slot %s,"
               " queue %s", slot_text(h.shm, 5),
               lab_queue_exists(qname[5]) ? "still there" : "removed");
    h.shm->subscribers[5][0] = '\0';

    for (int i = 0; i < PS_MAX_SUBSCRIBERS; i++)
        lab_assert_ok(ps_close(&sub[i]), NOTE("teardown-by-each-owner"),
                      "ps_close of subscriber %d", i);
    lab_assert_ok(ps_close(&late), NOTE("teardown-by-each-owner"),
                  "ps_close of the late subscriber");
    for (int i = 0; i < PS_MAX_SUBSCRIBERS; i++)
        lab_assert(h.shm->subscribers[i][0] == '\0' &&
                       !lab_queue_exists(qname[i]),
                   NOTE("teardown-by-each-owner"),
                   "every subscriber closed\n  expected: slot %d free, queue "
                   "%s removed\n  got:      slot %s, queue %s", i, qname[i],
                   slot_text(h.shm, i),
                   lab_queue_exists(qname[i]) ? "still there" : "removed");
    ps_close(&h);
}

LAB_TEST(errors, wait_and_unsubscribe_need_a_subscription, 2)
{
    const char *name = lab_name("nosub");
    struct ps_handle h;
    must_create(&h, name);
    static struct ps_snapshot snap;
    const struct timespec second = {1, 0};
    lab_assert_fails_with(ps_wait(&h, &snap, &second), EINVAL,
                          NOTE("waiting-for-a-notification"),
                          "ps_wait on a handle that has not subscribed");
    lab_assert_fails_with(ps_unsubscribe(&h), EINVAL, NOTE("subscribing"),
                          "ps_unsubscribe on a handle that has not "
                          "subscribed");
    const char *qname = lab_name("once");
    must_subscribe(&h, qname);
    lab_assert_ok(ps_unsubscribe(&h), NOTE("subscribing"),
                  "ps_unsubscribe of a subscribed handle");
    lab_assert(h.slot == -1 && h.q == (mqd_t)-1 && h.qname[0] == '\0' &&
                   !lab_queue_exists(qname),
               NOTE("subscribing"),
               "after ps_unsubscribe\n  expected: slot -1, q -1, qname \"\", "
               "the queue removed\n  got:      slot %d, q %d, qname %s, "
               "queue %s", h.slot, (int)h.q,
               lab_quote(h.qname, (long)strnlen(h.qname, PS_NAME_MAX)),
               lab_queue_exists(qname) ? "still there" : "removed");
    lab_assert_fails_with(ps_unsubscribe(&h), EINVAL, NOTE("subscribing"),
                          "ps_unsubscribe a second time");
    lab_assert_fails_with(ps_wait(&h, &snap, &second), EINVAL,
                          NOTE("waiting-for-a-notification"),
                          "ps_wait after ps_unsubscribe");
    lab_assert_ok(ps_close(&h), NOTE("teardown-by-each-owner"),
                  "ps_close of the owner, no longer subscribed");
}
