/* test_failures.c - lab 01: closing, and what each function does when a
 * call it makes fails. Failures a healthy machine never gives (malloc,
 * mq_getattr, mq_close) are injected by the grader (lab_fault.h), only
 * into the student's own calls. */
#include "lab_test.h"
#include "lab_fault.h"
#include "mq_basics.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NOTE(anchor) "01-mq-basics.md#" anchor

static mqd_t must_create(const char *name, long maxmsg, long msgsize)
{
    mqd_t q = mqb_create(name, maxmsg, msgsize);
    lab_assert_ok(q, NOTE("creating-a-queue"),
                  "mqb_create(\"%s\", %ld, %ld)", name, maxmsg, msgsize);
    return q;
}

/* Messages waiting in Q, asked by the grader itself (not counted). */
static long waiting(mqd_t q)
{
    struct mq_attr a;
    lab_assert_ok(mq_getattr(q, &a), NOTE("inspecting-a-queue"),
                  "grader: mq_getattr");
    return a.mq_curmsgs;
}

LAB_TEST(queue, close_closes_the_descriptor_but_keeps_the_queue, 4)
{
    const char *name = lab_name("close");
    mqd_t q = must_create(name, 2, 16);
    lab_assert_ok(mq_send(q, "kept", 5, 0), NOTE("closing-and-removing"),
                  "grader: mq_send");
    unsigned blocks = lab_fault_live_blocks();
    int r = mqb_close(q);
    lab_assert(lab_fault_live_blocks() == blocks, NOTE("cleaning-up"),
               "mqb_close(q)\n  expected: nothing left allocated when it "
               "returns\n  got:      %u block(s) allocated and not freed",
               lab_fault_live_blocks() - blocks);
    lab_assert(r == 0, NOTE("closing-and-removing"),
               "mqb_close(q) on an open queue\n  expected: 0\n  got:      %d",
               r);
    errno = 0;
    lab_assert(fcntl(q, F_GETFD) == -1 && errno == EBADF,
               NOTE("closing-and-removing"),
               "after mqb_close(q)\n  expected: the descriptor q is closed\n"
               "  got:      it is still open\n  likely:   mq_close is not "
               "called");
    mqd_t again = mq_open(name, O_RDONLY);
    lab_assert_ok(again, NOTE("closing-and-removing"),
                  "after mqb_close(q), mq_open(\"%s\") (closing must not "
                  "remove the queue)", name);
    long n = waiting(again);
    mq_close(again);
    lab_assert(n == 1, NOTE("closing-and-removing"),
               "after mqb_close(q)\n  expected: the queue keeps its message\n"
               "  got:      %ld messages", n);
    errno = 0;
    lab_assert_fails_with(mqb_close(q), EBADF, NOTE("errors-and-errno"),
                          "mqb_close(q) a second time");
}

/* The calls mqb_receive_text may make that can fail before or while it
 * receives, with the errno each is made to fail with. */
static const struct {
    enum lab_fault_call call;
    int err;
} receive_calls[] = {
    {LAB_FAULT_MQ_GETATTR, EBADF},      {LAB_FAULT_MALLOC, ENOMEM},
    {LAB_FAULT_CALLOC, ENOMEM},         {LAB_FAULT_REALLOC, ENOMEM},
    {LAB_FAULT_MQ_RECEIVE, EINTR},      {LAB_FAULT_MQ_TIMEDRECEIVE, EINTR},
};
#define RECEIVE_CALLS (sizeof receive_calls / sizeof receive_calls[0])

LAB_TEST(queue, receive_text_fails_cleanly_when_a_call_fails, 4)
{
    const char *name = lab_name("faults");
    mqd_t q = must_create(name, 2, 64);
    char out[32];
    errno = 0;
    lab_assert_fails_with(mqb_receive_text((mqd_t)-1, out, sizeof out), EBADF,
                          NOTE("errors-and-errno"),
                          "mqb_receive_text((mqd_t)-1, out, 32)");

    /* A clean run first, to learn which calls this solution makes and how
     * many: any number, in any order, is the solution's own business. */
    lab_assert_ok(mq_send(q, "one", 4, 0), NOTE("sending-and-receiving"),
                  "grader: mq_send");
    unsigned counts[RECEIVE_CALLS];
    lab_fault_reset();
    ssize_t n = mqb_receive_text(q, out, sizeof out);
    for (size_t k = 0; k < RECEIVE_CALLS; k++)
        counts[k] = lab_fault_calls(receive_calls[k].call);
    lab_assert(n == 4 && strcmp(out, "one") == 0, NOTE("sending-and-receiving"),
               "mqb_receive_text of \"one\"\n  expected: 4 and \"one\"\n  got:"
               "      %zd", n);

    for (size_t k = 0; k < RECEIVE_CALLS; k++) {
        for (unsigned nth = 1; nth <= counts[k]; nth++) {
            if (waiting(q) == 0)
                lab_assert_ok(mq_send(q, "one", 4, 0),
                              NOTE("sending-and-receiving"), "grader: mq_send");
            unsigned blocks = lab_fault_live_blocks();
            int fds = lab_open_fd_count();
            memset(out, 'X', sizeof out);
            lab_fault_reset();
            lab_fault_fail(receive_calls[k].call, nth, receive_calls[k].err,
                           LAB_FAULT_ONCE);
            errno = 0;
            n = mqb_receive_text(q, out, sizeof out);
            int saved = errno;
            const char *what = lab_fault_describe();
            lab_fault_reset();
            /* Recovering from the failure and receiving all the same is
             * correct too. */
            int recovered = n == 4 && strcmp(out, "one") == 0;
            lab_assert(recovered || (n == -1 && saved == receive_calls[k].err),
                       NOTE("errors-and-errno"),
                       "mqb_receive_text(q, out, 32), when %s\n  expected: -1 "
                       "with errno %s, as the failing call left it\n  got:"
                       "      %zd, errno %s\n  likely:   %s", what,
                       lab_errno_name(receive_calls[k].err), n,
                       lab_errno_name(saved),
                       n == -1 ? "errno was changed after the call failed "
                                 "(free, a later call, or an assignment)"
                               : "the failed call's result is not checked, "
                                 "or the error return gives success");
            lab_assert(lab_fault_live_blocks() == blocks, NOTE("the-receive-buffer"),
                       "mqb_receive_text(q, out, 32), when %s\n  expected: "
                       "everything it allocated freed again\n  got:      %u "
                       "block(s) still allocated\n  likely:   an early return "
                       "on the error path skips free", what,
                       lab_fault_live_blocks() - blocks);
            lab_assert(lab_open_fd_count() == fds, NOTE("errors-and-errno"),
                       "mqb_receive_text, when %s\n  expected: %d descriptors "
                       "open, as before\n  got:      %d", what, fds,
                       lab_open_fd_count());
        }
    }
}

/* The result and errno of the last call made under FAILING. */
static long fault_r;
static int fault_errno;

/* One call of EXPR with every call of C1 and C2 failing with ERR. */
#define FAILING(c1, c2, err, expr)                                           \
    do {                                                                     \
        lab_fault_reset();                                                   \
        lab_fault_fail((c1), 1, (err), LAB_FAULT_FROM_ON);                   \
        lab_fault_fail((c2), 1, (err), LAB_FAULT_FROM_ON);                   \
        errno = 0;                                                           \
        fault_r = (long)(expr);                                              \
        fault_errno = errno;                                                 \
    } while (0)

/* Checks the call FAILING made and ends the plan. */
static void check_passed_on(int err, const char *call)
{
    int injected = lab_fault_injected() > 0;
    const char *what = lab_fault_describe();
    lab_fault_reset();
    /* A solution that got there without the failing call (none is known
     * for these) is not judged here. */
    if (!injected)
        return;
    lab_assert(fault_r == -1 && fault_errno == err, NOTE("errors-and-errno"),
               "%s, when %s\n  expected: -1 with errno %s, as the failing call "
               "left it\n  got:      %ld, errno %s\n  likely:   %s", call,
               what, lab_errno_name(err), fault_r, lab_errno_name(fault_errno),
               fault_r == -1 ? "errno is set by your code instead of passed on"
                             : "the failure is not reported (or is replaced "
                               "by success)");
}

LAB_TEST(queue, failing_calls_pass_on_their_errno_and_print_nothing, 4)
{
    const char *name = lab_name("errno");
    FAILING(LAB_FAULT_MQ_OPEN, LAB_FAULT_MQ_OPEN, EMFILE,
            mqb_create(name, 2, 16));
    check_passed_on(EMFILE, lab_fmt("mqb_create(\"%s\", 2, 16)", name));
    lab_assert(!lab_queue_exists(name), NOTE("errors-and-errno"),
               "mqb_create whose mq_open failed\n  expected: no queue %s\n"
               "  got:      it exists", name);

    mqd_t q = must_create(name, 2, 16);
    FAILING(LAB_FAULT_MQ_OPEN, LAB_FAULT_MQ_OPEN, EACCES,
                mqb_open_reader(name));
    check_passed_on(EACCES, "mqb_open_reader on an existing queue");
    FAILING(LAB_FAULT_MQ_OPEN, LAB_FAULT_MQ_OPEN, EACCES,
                mqb_open_writer(name));
    check_passed_on(EACCES, "mqb_open_writer on an existing queue");
    /* EBADF, not EINTR: a correct solution may retry on EINTR. */
    FAILING(LAB_FAULT_MQ_SEND, LAB_FAULT_MQ_TIMEDSEND, EBADF,
                mqb_send_text(q, "hi"));
    check_passed_on(EBADF, "mqb_send_text(q, \"hi\")");
    FAILING(LAB_FAULT_MQ_GETATTR, LAB_FAULT_MQ_SETATTR, EBADF,
                mqb_pending(q));
    check_passed_on(EBADF, "mqb_pending(q)");
    FAILING(LAB_FAULT_MQ_UNLINK, LAB_FAULT_MQ_UNLINK, EACCES,
                mqb_destroy(name));
    check_passed_on(EACCES, lab_fmt("mqb_destroy(\"%s\")", name));
    /* A failed mq_close has closed the descriptor all the same (Linux). */
    FAILING(LAB_FAULT_MQ_CLOSE, LAB_FAULT_CLOSE, EIO, mqb_close(q));
    check_passed_on(EIO, "mqb_close(q)");

    /* Real failures, and a success, with stdout and stderr watched: the
     * library reports through its result and errno, and prints nothing. */
    const char *missing = lab_name("quiet");
    mqd_t q2 = must_create(lab_name("quiet2"), 2, 16);
    char out[16];
    lab_capture_output_begin();
    mqb_create(name, 2, 16);
    mqb_open_reader(missing);
    mqb_open_writer(missing);
    mqb_send_text((mqd_t)-1, "x");
    mqb_receive_text((mqd_t)-1, out, sizeof out);
    mqb_pending((mqd_t)-1);
    mqb_close((mqd_t)-1);
    mqb_destroy(missing);
    mqb_send_text(q2, "x");
    mqb_receive_text(q2, out, sizeof out);
    const char *printed = lab_capture_output_end();
    lab_assert(printed == NULL, NOTE("errors-and-errno"),
               "the library's functions, failing (EEXIST, ENOENT, EBADF) and "
               "succeeding\n  expected: nothing printed: the caller decides "
               "what to say\n  got:      %s on stdout or stderr\n  likely:"
               "   perror or printf inside mq_basics.c", printed);
}
