/* test_programs.c - lab 01: receiver and sender as separate processes. */
/* syscall(), for pidfd_open and pidfd_getfd, which libc may not wrap. */
#define _DEFAULT_SOURCE
#include "lab_test.h"
#include "mq_basics.h"

#include <string.h>
#include <stdio.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOTE(anchor) "01-mq-basics.md#" anchor

static const char *exit_summary(lab_proc *p)
{
    return lab_fmt("%s; its stderr: %s", lab_describe_status(p->status),
                   lab_quote(p->err, (long)p->err_len));
}

/* Waits up to SECONDS for the program to exit, then collects what it
 * wrote. Unlike lab_finish alone, a process it left behind holding its
 * stdout does not cost the whole wait. 1 if it exited, 0 if it was
 * still running (it is then killed). */
static int finish_program(lab_proc *p, double seconds)
{
    int status;
    if (!lab_wait_pid(p->pid, seconds, &status))
        return lab_finish(p, 0.0);
    p->status = status;
    p->reaped = 1;
    lab_finish(p, 0.2);
    return 1;
}

/* Why a receiver's queue was left behind, from evidence rather than a
 * guess: the student's mqb_destroy, tried on a queue of the grader's,
 * either removes it (so the receiver does not call it after the loop) or
 * does not (so the receiver may well call it: the fault is mqb_destroy's).
 * Whether the receiver closed its descriptor cannot be seen once it has
 * exited, so neither message says it did. */
static const char *why_queue_left(void)
{
    const char *probe = lab_name("probe");
    struct mq_attr attr = {.mq_maxmsg = 2, .mq_msgsize = 16};
    mqd_t q = mq_open(probe, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    if (q == (mqd_t)-1)
        return "mqb_destroy (mq_unlink) is not called after the loop: "
               "closing a queue, or exiting, never removes it";
    mq_close(q);
    mqb_destroy(probe);
    if (lab_queue_exists(probe))
        return LAB_BLAME("destroy-does-not-unlink", "mqb_destroy",
                         "does not remove the name: it left a queue of the "
                         "grader's in place too; it must return "
                         "mq_unlink(name)");
    return LAB_BLAME("receiver-never-removes", "receiver.c",
                     "does not remove its queue after the loop (mqb_destroy "
                     "works: the grader tried it): neither mq_close nor "
                     "exiting removes a queue, only mq_unlink does");
}

/* 1 if the receiver removes its queue after "quit" in a run where nothing
 * goes wrong, 0 if the queue stays, -1 if that run went wrong otherwise. */
static int receiver_removes_its_queue(void)
{
    const char *probe = lab_name("rprobe");
    lab_proc p;
    char *argv[] = {"receiver", (char *)probe, NULL};
    lab_start_program(&p, argv);
    char ready[200];
    snprintf(ready, sizeof ready, "receiver: ready on %s\n", probe);
    mqd_t w = (mqd_t)-1;
    if (!lab_wait_for_output(&p, ready, 5.0) ||
        (w = mq_open(probe, O_WRONLY)) == (mqd_t)-1 ||
        mq_send(w, "quit", 5, 0) == -1) {
        if (w != (mqd_t)-1)
            mq_close(w);
        lab_finish(&p, 0.5);
        return -1;
    }
    mq_close(w);
    if (!finish_program(&p, 5.0))
        return -1;
    return !lab_queue_exists(probe);
}

LAB_TEST_TIMEOUT(programs, sender_and_receiver_exchange_messages, 4, 10.0)
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

    /* Two senders: the receiver must print (and flush) each message as
     * it comes, while it still waits for more, not only when it exits. */
    char *sargv[] = {"sender", (char *)name, "hello", "second message", NULL};
    lab_start_program(&sender, sargv);
    int sender_done = finish_program(&sender, 5.0);
    lab_assert(sender_done && WIFEXITED(sender.status) &&
                   WEXITSTATUS(sender.status) == 0,
               NOTE("a-receiver-and-a-sender"),
               "./sender %s hello \"second message\"\n  expected: exit "
               "status 0\n  got:      %s", name,
               sender_done ? exit_summary(&sender) : "still running after 5 s");
    int printed = lab_wait_for_output(&receiver, "received: second message\n",
                                      5.0);
    lab_assert(printed, NOTE("a-receiver-and-a-sender"),
               "./receiver %s, then ./sender %s hello \"second message\"\n"
               "  expected: \"received: hello\" and \"received: second "
               "message\" on stdout while the receiver waits for more\n"
               "  got:      stdout %s, and it %s\n  likely:   stdout is "
               "not flushed after each message (a pipe is fully buffered)",
               name, name, lab_quote(receiver.out, (long)receiver.out_len),
               receiver.reaped ? exit_summary(&receiver) : "was still running");

    /* A message of the queue's full size (256 bytes) with no '\0': the
     * receiver prints it whole, so its buffer needs room for 257. */
    char full[256];
    memset(full, 'x', sizeof full);
    mqd_t w = mq_open(name, O_WRONLY);
    lab_assert_ok(w, NOTE("a-receiver-and-a-sender"),
                  "grader: mq_open(\"%s\", O_WRONLY)", name);
    lab_assert_ok(mq_send(w, full, sizeof full, 0), NOTE("the-receive-buffer"),
                  "grader: mq_send of 256 bytes without '\\0'");
    mq_close(w);
    char full_line[300];
    snprintf(full_line, sizeof full_line, "received: %.256s\n", full);
    printed = lab_wait_for_output(&receiver, full_line, 5.0);
    lab_assert(printed, NOTE("the-receive-buffer"),
               "./receiver %s, sent a 256-byte message of 'x' without "
               "'\\0' (its queue's mq_msgsize is 256)\n  expected: "
               "\"received: \" and all 256 x\n  got:      stdout %s\n  "
               "likely:   the receiver's buffer has 256 bytes, one short "
               "for the message and its '\\0'", name,
               lab_quote(receiver.out, (long)receiver.out_len));

    lab_proc quitter;
    char *qargv[] = {"sender", (char *)name, "quit", NULL};
    lab_start_program(&quitter, qargv);
    int quitter_done = finish_program(&quitter, 5.0);
    lab_assert(quitter_done && WIFEXITED(quitter.status) &&
                   WEXITSTATUS(quitter.status) == 0,
               NOTE("a-receiver-and-a-sender"),
               "./sender %s quit\n  expected: exit status 0\n  got:      %s",
               name, quitter_done ? exit_summary(&quitter)
                                  : "still running after 5 s");

    int receiver_done = finish_program(&receiver, 5.0);
    const char *want = lab_fmt("%sreceived: hello\nreceived: second message\n"
                               "%sreceived: quit\n", ready, full_line);
    lab_assert(receiver_done, NOTE("a-receiver-and-a-sender"),
               "./receiver %s\n  expected: it stops after receiving \"quit\"\n"
               "  got:      still running 5 s after the sender finished, %s; "
               "it printed %s", name, receiver.blocked,
               lab_quote(receiver.out, (long)receiver.out_len));
    lab_assert(strcmp(receiver.out, want) == 0, NOTE("a-receiver-and-a-sender"),
               "./receiver %s, then ./sender %s hello \"second message\", "
               "then ./sender %s quit\n  expected: stdout %s\n  got:      "
               "stdout %s", name, name, name,
               lab_quote(want, (long)strlen(want)),
               lab_quote(receiver.out, (long)receiver.out_len));
    lab_assert(WIFEXITED(receiver.status) && WEXITSTATUS(receiver.status) == 0,
               NOTE("a-receiver-and-a-sender"),
               "./receiver\n  expected: exit status 0\n  got:      %s",
               exit_summary(&receiver));
    lab_assert(!lab_queue_exists(name), NOTE("cleaning-up"),
               "expected: the receiver removes its queue before exiting\n"
               "  got:      %s still exists\n  likely:   %s", name,
               lab_queue_exists(name) ? why_queue_left() : "");
}

LAB_TEST(programs, sender_reports_a_missing_queue, 4)
{
    const char *name = lab_name("nobody");
    lab_proc sender;
    char *argv[] = {"sender", (char *)name, "hello", NULL};
    lab_start_program(&sender, argv);
    int done = finish_program(&sender, 5.0);
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

/* A queue made by the grader itself, so that a test of the programs does
 * not depend on the student's mqb_create. */
static mqd_t grader_queue(const char *name, long maxmsg, long msgsize)
{
    struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
    /* Non-blocking: a message that never came fails the test at once. */
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600,
                      &attr);
    lab_assert_ok(q, NOTE("creating-a-queue"),
                  "grader: mq_open(\"%s\", O_CREAT | O_EXCL)", name);
    return q;
}

/* Runs one of the programs to its end (5 s at most); 1 if it ended. */
static int run_program(lab_proc *p, char *const argv[])
{
    lab_start_program(p, argv);
    return finish_program(p, 5.0);
}

/* 1 if one of the lines in TEXT starts with PREFIX. */
static int has_line_starting(const char *text, const char *prefix)
{
    size_t n = strlen(prefix);
    for (const char *line = text; line != NULL && *line != '\0';) {
        if (strncmp(line, prefix, n) == 0)
            return 1;
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return 0;
}

static int exited_with(const lab_proc *p, int code)
{
    return WIFEXITED(p->status) && WEXITSTATUS(p->status) == code;
}

/* Checks one wrong call: usage line on stderr, nothing on stdout, 2. */
static void check_usage(char *const argv[], const char *shown,
                        const char *usage)
{
    lab_proc p;
    int done = run_program(&p, argv);
    lab_assert(done && exited_with(&p, 2), NOTE("a-receiver-and-a-sender"),
               "%s\n  expected: exit status 2 (wrong arguments)\n  got:"
               "      %s\n  likely:   the argument count is not checked, "
               "or a wrong count exits with another status", shown,
               done ? exit_summary(&p) : "still running after 5 s");
    lab_assert(strcmp(p.err, usage) == 0, NOTE("a-receiver-and-a-sender"),
               "%s\n  expected: stderr %s\n  got:      stderr %s", shown,
               lab_quote(usage, (long)strlen(usage)),
               lab_quote(p.err, (long)p.err_len));
    lab_assert(p.out_len == 0, NOTE("a-receiver-and-a-sender"),
               "%s\n  expected: nothing on stdout (the usage line goes to "
               "stderr)\n  got:      stdout %s", shown,
               lab_quote(p.out, (long)p.out_len));
}

LAB_TEST(programs, wrong_arguments_print_the_usage_and_exit_2, 4)
{
    const char *name = lab_name("usage");
    const char *rusage = "usage: receiver NAME\n";
    const char *susage = "usage: sender NAME MESSAGE...\n";
    char *r0[] = {"receiver", NULL};
    check_usage(r0, "./receiver (no NAME)", rusage);
    char *r2[] = {"receiver", (char *)name, "extra", NULL};
    check_usage(r2, lab_fmt("./receiver %s extra (two arguments)", name),
                rusage);
    lab_assert(!lab_queue_exists(name), NOTE("a-receiver-and-a-sender"),
               "./receiver %s extra\n  expected: no queue is created when "
               "the arguments are wrong\n  got:      %s exists now", name,
               name);
    char *s0[] = {"sender", NULL};
    check_usage(s0, "./sender (no arguments)", susage);
    /* The queue exists, so only the missing MESSAGE can make it refuse. */
    grader_queue(name, 2, 16);
    char *s1[] = {"sender", (char *)name, NULL};
    check_usage(s1, lab_fmt("./sender %s (a queue but no MESSAGE)", name),
                susage);
}

/* Makes the queue NAME non-blocking in process PID: takes a copy of each
 * of its descriptors of that queue (pidfd_getfd) and sets O_NONBLOCK on
 * it, which the copy shares with the original. Its next mq_receive on an
 * empty queue then fails with EAGAIN: the only way to make a receive in
 * another program fail. Returns how many descriptors, or -1 where the
 * kernel or the process's rights do not allow it. */
static int make_their_queue_nonblocking(pid_t pid, const char *name)
{
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd == -1)
        return -1;
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%ld/fd", (long)pid);
    DIR *d = opendir(dir);
    if (d == NULL) {
        close(pidfd);
        return -1;
    }
    int count = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char link[400], target[300];
        if (e->d_name[0] == '.')
            continue;
        snprintf(link, sizeof link, "%s/%s", dir, e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        /* A queue's descriptor links to its name in the mqueue fs. */
        if (strcmp(target, name) != 0)
            continue;
        int fd = (int)syscall(SYS_pidfd_getfd, pidfd, atoi(e->d_name), 0);
        if (fd == -1)
            continue;
        struct mq_attr nb = {.mq_flags = O_NONBLOCK};
        if (mq_setattr(fd, &nb, NULL) == 0)
            count++;
        close(fd);
    }
    closedir(d);
    close(pidfd);
    return count > 0 ? count : -1;
#else
    (void)pid;
    (void)name;
    return -1;
#endif
}

LAB_TEST_TIMEOUT(programs, receiver_reports_failures_and_exits_1, 4, 10.0)
{
    /* 1. The name is taken: mqb_create fails, and the queue that was
     * there is someone else's: the receiver must leave it alone. */
    const char *taken = lab_name("taken");
    grader_queue(taken, 2, 16);
    lab_proc r;
    char *argv1[] = {"receiver", (char *)taken, NULL};
    int done = run_program(&r, argv1);
    lab_assert(done && exited_with(&r, 1), NOTE("a-receiver-and-a-sender"),
               "./receiver %s where a queue of that name exists already\n"
               "  expected: exit status 1 (mqb_create fails with EEXIST)\n"
               "  got:      %s", taken,
               done ? exit_summary(&r) : "still running after 5 s");
    lab_assert(has_line_starting(r.err, "receiver: "),
               NOTE("a-receiver-and-a-sender"),
               "./receiver %s where the name is taken\n  expected: stderr "
               "\"receiver: ...\" and the reason\n  got:      stderr %s",
               taken, lab_quote(r.err, (long)r.err_len));
    lab_assert(lab_queue_exists(taken), NOTE("closing-and-removing"),
               "./receiver %s where the name was taken\n  expected: the "
               "queue that was there (not the receiver's) still exists\n"
               "  got:      it was removed\n  likely:   mqb_destroy runs "
               "although mqb_create failed", taken);

    /* 2. Someone else removes the name while it runs: receiving still
     * works (the queue lives while open), but its own removal fails. */
    const char *name = lab_name("gone");
    char *argv2[] = {"receiver", (char *)name, NULL};
    lab_start_program(&r, argv2);
    char ready[200];
    snprintf(ready, sizeof ready, "receiver: ready on %s\n", name);
    int is_ready = lab_wait_for_output(&r, ready, 5.0);
    if (!is_ready)
        lab_finish(&r, 0.5);
    lab_assert(is_ready, NOTE("a-receiver-and-a-sender"),
               "./receiver %s\n  expected: the line \"receiver: ready on "
               "%s\"\n  got:      stdout %s, and it %s", name, name,
               lab_quote(r.out, (long)r.out_len),
               r.reaped ? exit_summary(&r) : "was still running");
    mqd_t w = mq_open(name, O_WRONLY);
    lab_assert_ok(w, NOTE("opening-an-existing-queue"),
                  "grader: mq_open(\"%s\", O_WRONLY)", name);
    lab_assert_ok(mq_unlink(name), NOTE("closing-and-removing"),
                  "grader: mq_unlink(\"%s\")", name);
    lab_assert_ok(mq_send(w, "quit", 5, 0), NOTE("sending-and-receiving"),
                  "grader: mq_send of \"quit\"");
    mq_close(w);
    done = finish_program(&r, 5.0);
    /* Exit 0 has two causes: a removal that failed unnoticed, or none
     * tried. A second, untroubled run tells them apart. */
    int removes = done && exited_with(&r, 0) ? receiver_removes_its_queue() : -1;
    lab_assert(done && exited_with(&r, 1), NOTE("errors-and-errno"),
               "./receiver %s, whose name another process removed before "
               "sending \"quit\"\n  expected: exit status 1 (its own "
               "mqb_destroy fails with ENOENT)\n  got:      %s\n  likely:"
               "   %s", name, done ? exit_summary(&r) : "still running after 5 s",
               removes == 0 ? lab_fmt("no removal was there to fail: in a run "
                                      "where nothing went wrong its queue "
                                      "stayed too. %s", why_queue_left())
               : removes == 1
                   ? LAB_CAUSE("receiver-ignores-failed-removal",
                               "the result of mqb_destroy (or mqb_close) is "
                               "not checked: it removes its queue when it can,"
                               " but says nothing when that fails")
                   : "the result of mqb_destroy (or mqb_close) is not checked");
    lab_assert(has_line_starting(r.err, "receiver: "), NOTE("errors-and-errno"),
               "./receiver %s whose mqb_destroy failed\n  expected: stderr "
               "\"receiver: ...\" and the reason\n  got:      stderr %s",
               name, lab_quote(r.err, (long)r.err_len));
    lab_assert(strstr(r.out, "received: quit\n") != NULL,
               NOTE("a-receiver-and-a-sender"),
               "./receiver %s\n  expected: \"received: quit\" on stdout\n"
               "  got:      stdout %s", name, lab_quote(r.out, (long)r.out_len));

    /* 3. Receiving fails: its queue is made non-blocking behind its back,
     * so that a receive on the empty queue fails with EAGAIN. It must say
     * so and still remove the queue it created. */
    const char *name3 = lab_name("eagain");
    char *argv3[] = {"receiver", (char *)name3, NULL};
    lab_start_program(&r, argv3);
    snprintf(ready, sizeof ready, "receiver: ready on %s\n", name3);
    is_ready = lab_wait_for_output(&r, ready, 5.0);
    if (!is_ready)
        lab_finish(&r, 0.5);
    lab_assert(is_ready, NOTE("a-receiver-and-a-sender"),
               "./receiver %s\n  expected: the line \"receiver: ready on "
               "%s\"\n  got:      stdout %s, and it %s", name3, name3,
               lab_quote(r.out, (long)r.out_len),
               r.reaped ? exit_summary(&r) : "was still running");
    w = mq_open(name3, O_WRONLY);
    lab_assert_ok(w, NOTE("opening-an-existing-queue"),
                  "grader: mq_open(\"%s\", O_WRONLY)", name3);
    if (make_their_queue_nonblocking(r.pid, name3) < 0) {
        mq_close(w);
        return;  /* not possible here: this part is not judged */
    }
    lab_assert_ok(mq_send(w, "one", 4, 0), NOTE("sending-and-receiving"),
                  "grader: mq_send of \"one\"");
    mq_close(w);
    done = finish_program(&r, 5.0);
    /* A receiver that waits in poll or select before each receive never
     * meets the failure: it is not judged here. */
    if (!done && (strstr(r.blocked, "poll") || strstr(r.blocked, "select")))
        return;
    lab_assert(done && exited_with(&r, 1), NOTE("errors-and-errno"),
               "./receiver %s whose mqb_receive_text fails (EAGAIN: the "
               "grader made its queue non-blocking)\n  expected: exit status "
               "1\n  got:      %s\n  likely:   a failed receive is not "
               "checked, or ends the loop as if \"quit\" had come",
               name3, done ? exit_summary(&r) : "still running after 5 s");
    lab_assert(has_line_starting(r.err, "receiver: "), NOTE("errors-and-errno"),
               "./receiver %s whose receive failed\n  expected: stderr "
               "\"receiver: ...\" and the reason\n  got:      stderr %s",
               name3, lab_quote(r.err, (long)r.err_len));
    lab_assert(!lab_queue_exists(name3), NOTE("cleaning-up"),
               "./receiver %s whose receive failed\n  expected: it still "
               "removes the queue it created\n  got:      %s still exists\n"
               "  likely:   the error path returns before mqb_destroy",
               name3, name3);
}

LAB_TEST(programs, sender_reports_a_failed_send_and_exits_1, 4)
{
    const char *name = lab_name("toolong");
    mqd_t q = grader_queue(name, 4, 8);
    lab_proc s;
    char *argv[] = {"sender", (char *)name, "ok", "far more than eight bytes",
                    NULL};
    int done = run_program(&s, argv);
    lab_assert(done && exited_with(&s, 1), NOTE("errors-and-errno"),
               "./sender %s ok \"far more than eight bytes\" to a queue whose "
               "mq_msgsize is 8\n  expected: exit status 1 (the second send "
               "fails with EMSGSIZE)\n  got:      %s\n  likely:   the result "
               "of mqb_send_text is not checked", name,
               done ? exit_summary(&s) : "still running after 5 s");
    lab_assert(s.err_len > 0, NOTE("errors-and-errno"),
               "./sender whose send failed\n  expected: a message on stderr\n"
               "  got:      nothing");
    char buf[8];
    ssize_t n = mq_receive(q, buf, sizeof buf, NULL);
    lab_assert(n == 3 && memcmp(buf, "ok", 3) == 0, NOTE("errors-and-errno"),
               "./sender %s ok ...\n  expected: \"ok\" in the queue, sent "
               "before the send that failed\n  got:      %s", name,
               n == -1 ? "no message" : lab_quote(buf, n));
}
