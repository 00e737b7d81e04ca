/* test_queue.c - lab 02: removing a queue, and a sender's open-send-close. */
#include "helpers.h"

LAB_TEST(queue, destroy_closes_the_descriptor_and_removes_the_name, 5)
{
    const char *name = lab_name("destroy");
    mqd_t q = prio_create(name, 2, 16);
    lab_assert_ok(q, N_SIZES, "prio_create(\"%s\", 2, 16)", name);
    lab_assert_ok(prio_send(q, "left", 4, 1), N_REMOVE, "prio_send");
    lab_assert_ok(prio_destroy(q, name), N_REMOVE,
                  "prio_destroy(q, \"%s\") with one message still queued", name);
    errno = 0;
    int closed = fcntl(q, F_GETFD) == -1 && errno == EBADF;
    lab_assert(closed, N_REMOVE,
               "after prio_destroy(q, name)\n  expected: the descriptor q is "
               "closed\n  got:      it is still open\n  likely:   mq_close "
               "is missing");
    lab_assert(!lab_queue_exists(name), N_REMOVE,
               "after prio_destroy(q, \"%s\")\n  expected: the name is gone\n"
               "  got:      the queue still exists, with its message\n  "
               "likely:   mq_unlink is missing: closing the last descriptor "
               "does not destroy a queue", name);
}

LAB_TEST(queue, send_to_closes_its_descriptor_even_when_the_send_fails, 5)
{
    const char *name = lab_name("sendto");
    mqd_t q = make_queue(name, 2, 16);
    int before = open_descriptors();
    lab_assert_ok(prio_send_to(name, "hello", 5, 3), N_SENDERS,
                  "prio_send_to(\"%s\", \"hello\", 5, 3)", name);
    int after = open_descriptors();
    lab_assert(after == before, N_CLEAN,
               "prio_send_to that succeeded\n  expected: %d descriptors open "
               "afterwards, as before\n  got:      %d\n  likely:   mq_close "
               "is missing", before, after);
    struct prio_msg m = receive_ok(q, "the message prio_send_to sent", N_SENDERS);
    int same = m.len == 5 && memcmp(m.data, "hello", 5) == 0 && m.prio == 3;
    const char *got = lab_fmt("%s with priority %u",
                              lab_quote(m.data, (long)m.len), m.prio);
    prio_msg_free(&m);
    lab_assert(same, N_SENDERS,
               "prio_send_to(\"%s\", \"hello\", 5, 3)\n  expected: \"hello\" "
               "with priority 3 in the queue\n  got:      %s", name, got);

    long prio_max = sysconf(_SC_MQ_PRIO_MAX);
    errno = 0;
    lab_assert_fails_with(prio_send_to(name, "x", 1, (unsigned)prio_max), EINVAL,
                          N_RANGE, "prio_send_to(\"%s\", \"x\", 1, %ld)", name,
                          prio_max);
    after = open_descriptors();
    lab_assert(after == before, N_CLEAN,
               "prio_send_to whose send failed (EINVAL)\n  expected: %d "
               "descriptors open afterwards, as before\n  got:      %d\n  "
               "likely:   an early return on the error path skips mq_close",
               before, after);

    const char *missing = lab_name("nobody");
    errno = 0;
    lab_assert_fails_with(prio_send_to(missing, "x", 1, 0), ENOENT, N_SENDERS,
                          "prio_send_to(\"%s\", ...) where no queue exists",
                          missing);
    lab_assert(!lab_queue_exists(missing), N_SENDERS,
               "expected: prio_send_to never creates a queue\n  got:      %s "
               "exists now\n  likely:   O_CREAT in the open flags", missing);
}
