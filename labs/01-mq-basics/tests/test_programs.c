/* test_programs.c - lab 01: receiver and sender as separate processes. */
#include "lab_test.h"
#include "mq_basics.h"

#include <string.h>
#include <stdio.h>
#include <sys/wait.h>

#define NOTE(anchor) "01-mq-basics.md#" anchor

static const char *exit_summary(lab_proc *p)
{
    return lab_fmt("%s; its stderr: %s", lab_describe_status(p->status),
                   lab_quote(p->err, (long)p->err_len));
}

LAB_TEST_TIMEOUT(programs, sender_and_receiver_exchange_messages, 10, 10.0)
{
    const char *name = lab_name("pair");
    lab_proc receiver, sender;
    char *rargv[] = {"receiver", (char *)name, NULL};
    lab_start_program(&receiver, rargv);
    char ready[200];
    snprintf(ready, sizeof ready, "receiver: ready on %s\n", name);
    /* The sender starts only once the queue exists: no sleeping. */
    int is_ready = lab_wait_for_output(&receiver, ready, 5.0);
    if (!is_ready)
        lab_finish(&receiver, 0.5);
    lab_assert(is_ready, NOTE("a-receiver-and-a-sender"),
               "./receiver %s\n  expected: the line \"receiver: ready on "
               "%s\" once the queue exists\n  got:      stdout %s, and it "
               "%s", name, name, lab_quote(receiver.out, (long)receiver.out_len),
               receiver.reaped ? exit_summary(&receiver) : "was still running");

    char *sargv[] = {"sender", (char *)name, "hello", "second message", "quit",
                     NULL};
    lab_start_program(&sender, sargv);
    int sender_done = lab_finish(&sender, 5.0);
    lab_assert(sender_done && WIFEXITED(sender.status) &&
                   WEXITSTATUS(sender.status) == 0,
               NOTE("a-receiver-and-a-sender"),
               "./sender %s hello \"second message\" quit\n  expected: exit "
               "status 0\n  got:      %s", name,
               sender_done ? exit_summary(&sender) : "still running after 5 s");

    int receiver_done = lab_finish(&receiver, 5.0);
    const char *want = lab_fmt("%sreceived: hello\nreceived: second message\n"
                               "received: quit\n", ready);
    lab_assert(receiver_done, NOTE("a-receiver-and-a-sender"),
               "./receiver %s\n  expected: it stops after receiving \"quit\"\n"
               "  got:      still running 5 s after the sender finished, %s; "
               "it printed %s", name, receiver.blocked,
               lab_quote(receiver.out, (long)receiver.out_len));
    lab_assert(strcmp(receiver.out, want) == 0, NOTE("a-receiver-and-a-sender"),
               "./receiver %s, then ./sender %s hello \"second message\" "
               "quit\n  expected: stdout %s\n  got:      stdout %s", name, name,
               lab_quote(want, (long)strlen(want)),
               lab_quote(receiver.out, (long)receiver.out_len));
    lab_assert(WIFEXITED(receiver.status) && WEXITSTATUS(receiver.status) == 0,
               NOTE("a-receiver-and-a-sender"),
               "./receiver\n  expected: exit status 0\n  got:      %s",
               exit_summary(&receiver));
    lab_assert(!lab_queue_exists(name), NOTE("cleaning-up"),
               "expected: the receiver removes its queue before exiting\n"
               "  got:      %s still exists\n  likely:   mq_close was called "
               "but not mq_unlink (mqb_destroy)", name);
}

LAB_TEST(programs, sender_reports_a_missing_queue, 5)
{
    const char *name = lab_name("nobody");
    lab_proc sender;
    char *argv[] = {"sender", (char *)name, "hello", NULL};
    lab_start_program(&sender, argv);
    int done = lab_finish(&sender, 5.0);
    const char *want = lab_fmt("sender: cannot open %s: %s\n", name,
                               strerror(ENOENT));
    lab_assert(done && WIFEXITED(sender.status) && WEXITSTATUS(sender.status) == 1,
               NOTE("a-receiver-and-a-sender"),
               "./sender %s hello, with no such queue\n  expected: exit "
               "status 1\n  got:      %s", name,
               done ? exit_summary(&sender) : "still running after 5 s");
    lab_assert(strcmp(sender.err, want) == 0, NOTE("errors-and-errno"),
               "./sender %s hello, with no such queue\n  expected: stderr %s\n"
               "  got:      stderr %s", name, lab_quote(want, (long)strlen(want)),
               lab_quote(sender.err, (long)sender.err_len));
    lab_assert(!lab_queue_exists(name), NOTE("opening-an-existing-queue"),
               "expected: the sender does not create the queue\n  got:      "
               "%s exists now\n  likely:   O_CREAT in mqb_open_writer", name);
}
