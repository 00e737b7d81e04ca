/* test_modes.c - lab 03: non-blocking at open, EAGAIN, switching modes. */
#include "helpers.h"

LAB_TEST(modes, o_nonblock_at_open_makes_the_descriptor_nonblocking, 6)
{
    const char *name = lab_name("nbopen");
    mqd_t q = make_queue(name, 2, 16, 1);
    long flags = flags_of(q);
    lab_assert(flags & O_NONBLOCK, N_OPEN,
               "nb_create(\"%s\", 2, 16, 1), then mq_getattr\n  expected: "
               "mq_flags with O_NONBLOCK\n  got:      mq_flags %ld (blocking)\n"
               "  likely:   O_NONBLOCK was put in attr.mq_flags, which mq_open "
               "ignores; it belongs in mq_open's oflag", name, flags);
    char buf[16];
    errno = 0;
    double t0 = mono_now();
    lab_assert_fails_with(mq_receive(q, buf, sizeof buf, NULL), EAGAIN, N_EAGAIN,
                          "mq_receive on the empty queue nb_create made "
                          "non-blocking");
    lab_assert(mono_now() - t0 < 0.5, N_EAGAIN,
               "expected: EAGAIN at once\n  got:      it took %.2f s",
               mono_now() - t0);

    const char *other = lab_name("bopen");
    mqd_t b = make_queue(other, 2, 16, 0);
    flags = flags_of(b);
    lab_assert(!(flags & O_NONBLOCK), N_OPEN,
               "nb_create(\"%s\", 2, 16, 0), then mq_getattr\n  expected: "
               "mq_flags 0 (blocking)\n  got:      mq_flags %ld", other, flags);
}

LAB_TEST(modes, nonblocking_calls_give_eagain_on_a_full_or_empty_queue, 4)
{
    const char *name = lab_name("eagain");
    mqd_t q = make_queue(name, 2, 16, 1);
    lab_assert(flags_of(q) & O_NONBLOCK, N_OPEN,
               "nb_create(\"%s\", 2, 16, 1)\n  expected: a non-blocking "
               "descriptor\n  got:      a blocking one (O_NONBLOCK in "
               "attr.mq_flags is ignored by mq_open)", name);
    lab_assert_ok(mq_send(q, "1", 1, 0), N_EAGAIN, "mq_send 1 of 2");
    lab_assert_ok(mq_send(q, "2", 1, 0), N_EAGAIN, "mq_send 2 of 2");
    double t0 = mono_now();
    errno = 0;
    lab_assert_fails_with(nb_send_within(q, "3", 1, 0, 2000), EAGAIN, N_EAGAIN,
                          "nb_send_within(q, \"3\", 1, 0, 2000) on a full "
                          "non-blocking queue: no waiting at all, whatever "
                          "the timeout");
    lab_assert(mono_now() - t0 < 1.0, N_EAGAIN,
               "expected: EAGAIN at once on a non-blocking descriptor\n  "
               "got:      it took %.2f s", mono_now() - t0);
    lab_assert(pending(q) == 2, N_EAGAIN, "expected: still 2 messages queued");

    char buf[16];
    lab_assert(mq_receive(q, buf, sizeof buf, NULL) == 1 &&
                   mq_receive(q, buf, sizeof buf, NULL) == 1, N_EAGAIN,
               "grader: could not empty the queue: %s", lab_errno_name(errno));
    t0 = mono_now();
    errno = 0;
    lab_assert_fails_with(nb_receive_within(q, buf, sizeof buf, NULL, 2000),
                          EAGAIN, N_EAGAIN,
                          "nb_receive_within(q, buf, 16, NULL, 2000) on an "
                          "empty non-blocking queue");
    lab_assert(mono_now() - t0 < 1.0, N_EAGAIN,
               "expected: EAGAIN at once on a non-blocking descriptor\n  "
               "got:      it took %.2f s", mono_now() - t0);
}

LAB_TEST(modes, set_nonblocking_switches_both_ways_and_returns_the_old_state, 4)
{
    const char *name = lab_name("switch");
    mqd_t q = make_queue(name, 2, 16, 0);
    force_mode(q, 0);
    int r = nb_set_nonblocking(q, 1);
    lab_assert(r == 0, N_SETATTR,
               "nb_set_nonblocking(q, 1) on a blocking descriptor\n  expected:"
               " 0 (it was blocking)\n  got:      %d%s", r,
               r == -1 ? lab_fmt(", errno %s", lab_errno_name(errno)) : "");
    lab_assert(flags_of(q) & O_NONBLOCK, N_SETATTR,
               "after nb_set_nonblocking(q, 1)\n  expected: mq_flags with "
               "O_NONBLOCK\n  got:      mq_flags %ld", flags_of(q));
    char buf[16];
    errno = 0;
    lab_assert_fails_with(mq_receive(q, buf, sizeof buf, NULL), EAGAIN, N_EAGAIN,
                          "mq_receive on an empty queue after "
                          "nb_set_nonblocking(q, 1)");
    r = nb_set_nonblocking(q, 1);
    lab_assert(r == 1, N_SETATTR,
               "nb_set_nonblocking(q, 1) a second time\n  expected: 1 (it "
               "was non-blocking already)\n  got:      %d", r);
    r = nb_set_nonblocking(q, 0);
    lab_assert(r == 1, N_SETATTR,
               "nb_set_nonblocking(q, 0) on a non-blocking descriptor\n  "
               "expected: 1 (it was non-blocking)\n  got:      %d", r);
    long flags = flags_of(q);
    lab_assert(!(flags & O_NONBLOCK), N_SETATTR,
               "after nb_set_nonblocking(q, 0)\n  expected: mq_flags 0 "
               "(blocking again)\n  got:      mq_flags %ld (O_NONBLOCK still "
               "set)\n  likely:   clearing a bit needs flags &= ~O_NONBLOCK; "
               "flags &= O_NONBLOCK keeps it", flags);
    r = nb_set_nonblocking(q, 0);
    lab_assert(r == 0, N_SETATTR,
               "nb_set_nonblocking(q, 0) a second time\n  expected: 0\n  "
               "got:      %d", r);
    errno = 0;
    lab_assert_fails_with(nb_set_nonblocking((mqd_t)-1, 1), EBADF, N_SETATTR,
                          "nb_set_nonblocking((mqd_t)-1, 1)");
}
