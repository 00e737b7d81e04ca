/* test_order.c - lab 02: the order in which messages come out, and the
 * priority each one reports, with one sender and with several processes. */
#include "helpers.h"

#include <stdio.h>
#include <sys/wait.h>

struct sent {
    const char *text;
    unsigned prio;
};

/* Sends MSGS in order, then receives COUNT messages and checks that they
 * come out as WANT (indexes into MSGS), each with its own priority. */
static void check_order(mqd_t q, const struct sent *msgs, int count,
                        const int *want, const char *story, const char *note)
{
    for (int i = 0; i < count; i++)
        send_ok(q, msgs[i].text, strlen(msgs[i].text), msgs[i].prio, note);

    char expected[512] = "", got[512] = "";
    size_t e = 0, g = 0;
    for (int i = 0; i < count; i++)
        e += (size_t)snprintf(expected + e, sizeof expected - e, "%s\"%s\"(%u)",
                              i ? " " : "", msgs[want[i]].text,
                              msgs[want[i]].prio);
    for (int i = 0; i < count; i++) {
        struct prio_msg m = receive_ok(q, lab_fmt("message %d of %d (%s)",
                                                   i + 1, count, story), note);
        g += (size_t)snprintf(got + g, sizeof got - g, "%s%s(%u)", i ? " " : "",
                              lab_quote(m.data, (long)m.len), m.prio);
        const struct sent *w = &msgs[want[i]];
        int same = m.len == strlen(w->text) &&
                   memcmp(m.data, w->text, m.len) == 0;
        int prio_right = m.prio == w->prio;
        prio_msg_free(&m);
        if (same && !prio_right)
            lab_assert(0, N_LEARN,
                       "%s\n  expected: %s\n  got:      %s ...\n  likely:   "
                       "the priority mq_receive reports (its last argument) "
                       "is not stored in msg->prio", story, expected, got);
        lab_assert(same, note,
                   "%s\n  expected: %s\n  got:      %s ...\n  likely:   the "
                   "receive order is the kernel's: highest priority first, "
                   "oldest first within one priority; check that each "
                   "message is sent with its own priority", story, expected,
                   got);
    }
}

LAB_TEST(order, course_notes_example_is_received_as_m4_m1_m2_m3, 5)
{
    mqd_t q = make_queue(lab_name("course"), 4, 32);
    const struct sent msgs[] = {{"m1", 2}, {"m2", 1}, {"m3", 1}, {"m4", 5}};
    const int want[] = {3, 0, 1, 2};
    check_order(q, msgs, 4, want,
                "the course notes' example: m1 sent with priority 2, m2 and "
                "m3 with 1, then m4 with 5", N_EXAMPLE);
}

LAB_TEST(order, senders_may_use_priorities_in_any_order, 5)
{
    mqd_t q = make_queue(lab_name("anyorder"), 10, 32);
    /* Rising, falling and repeated priorities, some above 31. */
    const struct sent msgs[] = {{"a", 3},   {"b", 0}, {"c", 100}, {"d", 3},
                                {"e", 0},   {"f", 100}, {"g", 7}, {"h", 40},
                                {"i", 7},   {"j", 0}};
    const int want[] = {2, 5, 7, 6, 8, 0, 3, 1, 4, 9};
    check_order(q, msgs, 10, want,
                "sent a(3) b(0) c(100) d(3) e(0) f(100) g(7) h(40) i(7) j(0)",
                N_ANYORDER);
}

LAB_TEST(order, messages_of_one_priority_come_out_oldest_first, 5)
{
    mqd_t q = make_queue(lab_name("fifo"), 10, 16);
    struct sent msgs[10];
    static const char *texts[] = {"0", "1", "2", "3", "4",
                                  "5", "6", "7", "8", "9"};
    int want[10];
    for (int i = 0; i < 10; i++) {
        msgs[i] = (struct sent){texts[i], 4};
        want[i] = i;
    }
    check_order(q, msgs, 10, want, "ten messages \"0\" to \"9\", all with "
                "priority 4", N_ORDER);
}

LAB_TEST(order, each_message_reports_the_priority_it_was_sent_with, 5)
{
    mqd_t q = make_queue(lab_name("report"), 2, 16);
    const unsigned prios[] = {0, 1, 31, 32, 4242};
    for (int i = 0; i < 5; i++) {
        send_ok(q, "x", 1, prios[i], N_LEARN);
        struct prio_msg m = receive_ok(q, lab_fmt("a message sent with "
                                                  "priority %u", prios[i]),
                                       N_LEARN);
        unsigned got = m.prio;
        prio_msg_free(&m);
        lab_assert(got == prios[i], N_LEARN,
                   "prio_send(q, \"x\", 1, %u), then prio_receive\n  "
                   "expected: msg.prio %u\n  got:      msg.prio %u\n  likely:"
                   "   the priority mq_receive reports through its last "
                   "argument is not stored in msg->prio", prios[i], prios[i],
                   got);
    }
}

/* ---- several sender processes ------------------------------------------ */

struct sender {
    const char *name;
    unsigned prio;
};

/* A sender process: three messages "p<prio>-<i>" with its own priority.
 * Exits 0, or with the errno of the call that failed. */
static int sender_main(void *arg)
{
    const struct sender *s = arg;
    for (int i = 0; i < 3; i++) {
        char text[32];
        int n = snprintf(text, sizeof text, "p%u-%d", s->prio, i);
        if (prio_send_to(s->name, text, (size_t)n, s->prio) == -1)
            return errno ? errno : 255;
    }
    return 0;
}

LAB_TEST_TIMEOUT(processes, senders_in_several_processes_are_ordered_by_priority, 5, 10.0)
{
    const char *name = lab_name("procs");
    mqd_t q = make_queue(name, 10, 32);
    /* Lowest priority first: if the order came from the time of sending,
     * it would show. */
    struct sender senders[3] = {{name, 1}, {name, 5}, {name, 9}};
    pid_t pids[3];
    for (int i = 0; i < 3; i++)
        pids[i] = lab_spawn(sender_main, &senders[i]);
    for (int i = 0; i < 3; i++) {
        int status = 0;
        int ended = lab_wait_pid(pids[i], 5.0, &status);
        lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0,
                   N_SENDERS,
                   "a sender process calling prio_send_to(\"%s\", \"p%u-N\", "
                   "4, %u) three times\n  expected: exit status 0\n  got:"
                   "      %s%s", name, senders[i].prio, senders[i].prio,
                   ended ? lab_describe_status(status) : "still running after 5 s",
                   ended && WIFEXITED(status) && WEXITSTATUS(status) != 0
                       ? lab_fmt(" (errno %s: %s)",
                                 lab_errno_name(WEXITSTATUS(status)),
                                 lab_errno_hint(WEXITSTATUS(status)))
                       : "");
    }
    long n = pending(q);
    lab_assert(n == 9, N_SENDERS,
               "three processes sent three messages each\n  expected: 9 "
               "messages in the queue\n  got:      %ld", n);

    char want[9][16];
    const unsigned order[3] = {9, 5, 1};
    for (int i = 0; i < 9; i++)
        snprintf(want[i], sizeof want[i], "p%u-%d", order[i / 3], i % 3);
    for (int i = 0; i < 9; i++) {
        struct prio_msg m = receive_ok(q, lab_fmt("message %d of 9", i + 1),
                                       N_SENDERS);
        int same = m.len == strlen(want[i]) &&
                   memcmp(m.data, want[i], m.len) == 0 &&
                   m.prio == order[i / 3];
        const char *got = lab_fmt("%s with priority %u",
                                  lab_quote(m.data, (long)m.len), m.prio);
        prio_msg_free(&m);
        lab_assert(same, N_SENDERS,
                   "processes sent p1-0..p1-2 with priority 1, p5-0..p5-2 "
                   "with 5 and p9-0..p9-2 with 9, in no particular order\n  "
                   "expected: message %d is \"%s\" with priority %u (all 9s, "
                   "then 5s, then 1s, each sender's in its own order)\n  got:"
                   "      %s", i + 1, want[i], order[i / 3], got);
    }
}
