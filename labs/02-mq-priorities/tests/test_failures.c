/* test_failures.c - lab 02: creating, the error paths of every function,
 * and what prio_receive leaves behind when it fails. Failures a healthy
 * machine never gives (malloc, mq_getattr, mq_close) are injected by the
 * grader (lab_fault.h), only into the student's own calls. */
#include "helpers.h"
#include "lab_fault.h"

#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* A queue made by the grader itself. */
static mqd_t grader_queue(const char *name, long maxmsg, long msgsize)
{
    struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600,
                      &attr);
    lab_assert_ok(q, N_SIZES, "grader: mq_open(\"%s\", O_CREAT | O_EXCL)",
                  name);
    return q;
}

static int is_closed(mqd_t q)
{
    errno = 0;
    return fcntl(q, F_GETFD) == -1 && errno == EBADF;
}

LAB_TEST(queue, create_makes_a_new_queue_0660_and_refuses_an_existing_name, 4)
{
    const char *name = lab_name("create");
    mode_t old = umask(0);  /* the umask would hide the mode asked for */
    mqd_t q = prio_create(name, 3, 48);
    umask(old);
    lab_assert_ok(q, N_SIZES, "prio_create(\"%s\", 3, 48)", name);
    struct mq_attr a;
    lab_assert_ok(mq_getattr(q, &a), N_SIZES, "grader: mq_getattr");
    lab_assert(a.mq_maxmsg == 3 && a.mq_msgsize == 48, N_SIZES,
               "prio_create(\"%s\", 3, 48)\n  expected: mq_maxmsg 3, "
               "mq_msgsize 48\n  got:      %ld and %ld\n  likely:   the "
               "struct mq_attr is not passed to mq_open", name, a.mq_maxmsg,
               a.mq_msgsize);
    lab_assert((fcntl(q, F_GETFL) & O_ACCMODE) == O_RDWR, N_SIZES,
               "expected: the new queue open for sending and receiving "
               "(O_RDWR)\n  got:      another access mode");
    struct stat st;
    lab_assert_ok(fstat(q, &st), N_SIZES, "grader: fstat on the queue");
    lab_assert((st.st_mode & 0777) == 0660, N_SIZES,
               "expected: permissions 0660 (PRIO_MODE)\n  got:      %04o",
               (unsigned)(st.st_mode & 0777));
    lab_assert_ok(mq_send(q, "old", 3, 1), N_SIZES, "grader: mq_send");
    errno = 0;
    lab_assert_fails_with(prio_create(name, 3, 48), EEXIST, N_SIZES,
                          "prio_create(\"%s\", 3, 48) on a name that exists, "
                          "holding a message\n  (a stale queue must not be "
                          "reused: O_CREAT | O_EXCL)", name);
    errno = 0;
    lab_assert_fails_with(prio_create("ipclab-no-slash", 2, 16), EINVAL,
                          N_SIZES, "prio_create(\"ipclab-no-slash\", 2, 16)");
}

LAB_TEST(queue, destroy_tries_both_steps_and_reports_the_first_failure, 4)
{
    /* The name is missing: the close still happens, the result is -1. */
    const char *name = lab_name("d1");
    const char *missing = lab_name("d1missing");
    mqd_t q = grader_queue(name, 2, 16);
    errno = 0;
    lab_assert_fails_with(prio_destroy(q, missing), ENOENT, N_REMOVE,
                          "prio_destroy(q, \"%s\") where no queue has that "
                          "name", missing);
    lab_assert(is_closed(q), N_REMOVE,
               "prio_destroy(q, a missing name)\n  expected: q closed all "
               "the same\n  got:      q is still open");

    /* The descriptor is bad: the name is still removed. */
    const char *name2 = lab_name("d2");
    grader_queue(name2, 2, 16);
    errno = 0;
    lab_assert_fails_with(prio_destroy((mqd_t)-1, name2), EBADF, N_REMOVE,
                          "prio_destroy((mqd_t)-1, \"%s\")", name2);
    lab_assert(!lab_queue_exists(name2), N_REMOVE,
               "prio_destroy((mqd_t)-1, \"%s\")\n  expected: the name "
               "removed although the close failed (both steps are "
               "attempted)\n  got:      it still exists", name2);

    /* Both fail: the errno is the first failure's. */
    errno = 0;
    lab_assert_fails_with(prio_destroy((mqd_t)-1, missing), EBADF, N_REMOVE,
                          "prio_destroy((mqd_t)-1, \"%s\"): both steps fail; "
                          "the errno is the first failure's", missing);

    /* A close that fails (injected) on a real queue. */
    const char *name3 = lab_name("d3");
    mqd_t q3 = grader_queue(name3, 2, 16);
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_MQ_CLOSE, 1, EIO, LAB_FAULT_FROM_ON);
    lab_fault_fail(LAB_FAULT_CLOSE, 1, EIO, LAB_FAULT_FROM_ON);
    errno = 0;
    int r = prio_destroy(q3, name3);
    int saved = errno;
    const char *what = lab_fault_describe();
    lab_fault_reset();
    errno = saved;
    lab_assert_fails_with(r, EIO, N_REMOVE, "prio_destroy(q, \"%s\"), when %s",
                          name3, what);
    lab_assert(!lab_queue_exists(name3), N_REMOVE,
               "prio_destroy(q, \"%s\"), when %s\n  expected: the name "
               "removed all the same\n  got:      it still exists", name3,
               what);
}

/* Fills *M with values no receive would give, to see it is left alone. */
static void poison(struct prio_msg *m, char *marker)
{
    m->prio = 4242;
    m->len = 4343;
    m->data = marker;
}

static int untouched(const struct prio_msg *m, const char *marker)
{
    return m->prio == 4242 && m->len == 4343 && m->data == marker;
}

static const char *shown(const struct prio_msg *m)
{
    return lab_fmt("{prio %u, len %zu, data %p}", m->prio, m->len,
                   (void *)m->data);
}

/* The calls prio_receive may make that can fail, with their errno. */
static const struct {
    enum lab_fault_call call;
    int err;
} receive_calls[] = {
    {LAB_FAULT_MQ_GETATTR, EBADF},   {LAB_FAULT_MALLOC, ENOMEM},
    {LAB_FAULT_CALLOC, ENOMEM},      {LAB_FAULT_REALLOC, ENOMEM},
    {LAB_FAULT_MQ_RECEIVE, EINTR},   {LAB_FAULT_MQ_TIMEDRECEIVE, EINTR},
};
#define RECEIVE_CALLS (sizeof receive_calls / sizeof receive_calls[0])

LAB_TEST(receive, a_failed_receive_allocates_nothing_and_leaves_msg_as_it_was, 4)
{
    const char *name = lab_name("rfail");
    mqd_t q = make_queue(name, 2, 64);
    char marker[] = "marker";
    struct prio_msg m;

    /* Real failures: a bad descriptor, one open for sending only, and an
     * empty queue whose descriptor is non-blocking. */
    mqd_t w = mq_open(name, O_WRONLY);
    lab_assert_ok(w, N_BUFFER, "grader: mq_open(O_WRONLY)");
    const struct {
        mqd_t q;
        int err;
        const char *what;
    } real[] = {
        {(mqd_t)-1, EBADF, "prio_receive((mqd_t)-1, &msg)"},
        {w, EBADF, "prio_receive on a descriptor open O_WRONLY"},
        {q, EAGAIN, "prio_receive on an empty queue, non-blocking"},
    };
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        unsigned blocks = lab_fault_live_blocks();
        poison(&m, marker);
        errno = 0;
        lab_assert_fails_with(prio_receive(real[i].q, &m), real[i].err,
                              N_BUFFER, "%s", real[i].what);
        lab_assert(untouched(&m, marker), N_BUFFER,
                   "%s\n  expected: *msg left as it was, {prio 4242, len "
                   "4343, data %p}\n  got:      %s\n  likely:   msg is "
                   "filled (or cleared) before the calls that can fail have "
                   "succeeded", real[i].what, (void *)marker, shown(&m));
        lab_assert(lab_fault_live_blocks() == blocks, N_CLEAN,
                   "%s\n  expected: nothing left allocated\n  got:      %u "
                   "block(s)\n  likely:   the receive buffer is not freed on "
                   "the error path", real[i].what,
                   lab_fault_live_blocks() - blocks);
    }
    mq_close(w);

    /* A clean run, to learn which calls this solution makes and how many;
     * prio_msg_free must give back all it took and clear data. */
    send_ok(q, "one", 3, 6, N_BUFFER);
    unsigned blocks = lab_fault_live_blocks();
    unsigned counts[RECEIVE_CALLS];
    lab_fault_reset();
    m = receive_ok(q, "\"one\"", N_BUFFER);
    for (size_t k = 0; k < RECEIVE_CALLS; k++)
        counts[k] = lab_fault_calls(receive_calls[k].call);
    prio_msg_free(&m);
    prio_msg_free(NULL);  /* does nothing: must not crash */
    lab_assert(m.data == NULL, N_CLEAN,
               "prio_msg_free(&msg)\n  expected: msg.data set to NULL\n  got:"
               "      %p", (void *)m.data);
    lab_assert(lab_fault_live_blocks() == blocks, N_CLEAN,
               "prio_receive, then prio_msg_free\n  expected: nothing left "
               "allocated\n  got:      %u block(s)\n  likely:   the receive "
               "buffer is not freed once the message is copied",
               lab_fault_live_blocks() - blocks);

    for (size_t k = 0; k < RECEIVE_CALLS; k++) {
        for (unsigned nth = 1; nth <= counts[k]; nth++) {
            if (pending(q) == 0)
                send_ok(q, "one", 3, 6, N_BUFFER);
            blocks = lab_fault_live_blocks();
            int fds = lab_open_fd_count();
            poison(&m, marker);
            lab_fault_reset();
            lab_fault_fail(receive_calls[k].call, nth, receive_calls[k].err,
                           LAB_FAULT_ONCE);
            errno = 0;
            int r = prio_receive(q, &m);
            int saved = errno;
            const char *what = lab_fault_describe();
            lab_fault_reset();
            if (r == 0 && m.data != marker && m.len == 3 &&
                memcmp(m.data, "one", 3) == 0 && m.prio == 6) {
                /* It recovered and received all the same: correct too. */
                prio_msg_free(&m);
                continue;
            }
            lab_assert(r == -1 && saved == receive_calls[k].err, N_BUFFER,
                       "prio_receive(q, &msg), when %s\n  expected: -1 with "
                       "errno %s, as the failing call left it\n  got:      "
                       "%d, errno %s\n  likely:   %s", what,
                       lab_errno_name(receive_calls[k].err), r,
                       lab_errno_name(saved),
                       r == -1 ? "errno was changed after the call failed "
                                 "(free, a later call, or an assignment)"
                               : "the failed call's result is not checked, "
                                 "or the error return gives success");
            lab_assert(untouched(&m, marker), N_BUFFER,
                       "prio_receive(q, &msg), when %s\n  expected: *msg "
                       "left as it was\n  got:      %s", what, shown(&m));
            lab_assert(lab_fault_live_blocks() == blocks, N_CLEAN,
                       "prio_receive(q, &msg), when %s\n  expected: nothing "
                       "left allocated\n  got:      %u block(s)\n  likely:"
                       "   an early return on the error path skips free",
                       what, lab_fault_live_blocks() - blocks);
            lab_assert(lab_open_fd_count() == fds, N_CLEAN,
                       "prio_receive, when %s\n  expected: %d descriptors "
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

/* Checks the call FAILING made against -1 and WANT; ends the plan. */
static void check_failed(int want, const char *call)
{
    int injected = lab_fault_injected() > 0;
    const char *what = lab_fault_describe();
    lab_fault_reset();
    /* A solution that got there without the failing call is not judged. */
    if (!injected)
        return;
    lab_assert(fault_r == -1 && fault_errno == want, N_SENDERS,
               "%s, when %s\n  expected: -1 with errno %s\n  got:      %ld, "
               "errno %s\n  likely:   %s", call, what, lab_errno_name(want),
               fault_r, lab_errno_name(fault_errno),
               fault_r == -1 ? "errno is overwritten on the way out (save it "
                               "before the next call, restore it after)"
                             : "the failure is not reported (or is replaced "
                               "by success)");
}

LAB_TEST(queue, failing_calls_pass_on_their_errno_and_print_nothing, 4)
{
    const char *name = lab_name("errno");
    FAILING(LAB_FAULT_MQ_OPEN, LAB_FAULT_MQ_OPEN, EMFILE,
            prio_create(name, 2, 16));
    check_failed(EMFILE, lab_fmt("prio_create(\"%s\", 2, 16)", name));
    mqd_t q = make_queue(name, 2, 16);
    /* EBADF, not EINTR: a correct solution may retry on EINTR. */
    FAILING(LAB_FAULT_MQ_SEND, LAB_FAULT_MQ_TIMEDSEND, EBADF,
            prio_send(q, "x", 1, 0));
    check_failed(EBADF, "prio_send(q, \"x\", 1, 0)");

    int fds = lab_open_fd_count();
    FAILING(LAB_FAULT_MQ_OPEN, LAB_FAULT_MQ_OPEN, EMFILE,
            prio_send_to(name, "x", 1, 0));
    check_failed(EMFILE, lab_fmt("prio_send_to(\"%s\", \"x\", 1, 0)", name));
    FAILING(LAB_FAULT_MQ_SEND, LAB_FAULT_MQ_TIMEDSEND, EBADF,
            prio_send_to(name, "x", 1, 0));
    check_failed(EBADF, lab_fmt("prio_send_to(\"%s\", \"x\", 1, 0)", name));
    lab_assert(lab_open_fd_count() == fds, N_CLEAN,
               "prio_send_to whose send failed (EBADF, injected)\n  expected: "
               "%d descriptors open, as before\n  got:      %d", fds,
               lab_open_fd_count());

    /* The send fails and so does the close: the errno is the send's. */
    long prio_max = sysconf(_SC_MQ_PRIO_MAX);
    FAILING(LAB_FAULT_MQ_CLOSE, LAB_FAULT_CLOSE, EIO,
            prio_send_to(name, "x", 1, (unsigned)prio_max));
    check_failed(EINVAL, lab_fmt("prio_send_to(\"%s\", \"x\", 1, %ld), a "
                                 "priority too high (EINVAL)", name, prio_max));
    /* Only the close fails: that is a failure too, with its errno. */
    FAILING(LAB_FAULT_MQ_CLOSE, LAB_FAULT_CLOSE, EIO,
            prio_send_to(name, "y", 1, 2));
    check_failed(EIO, lab_fmt("prio_send_to(\"%s\", \"y\", 1, 2), a send "
                              "that worked", name));
    lab_assert(lab_open_fd_count() == fds, N_CLEAN,
               "prio_send_to whose close failed (injected)\n  expected: %d "
               "descriptors open, as before\n  got:      %d", fds,
               lab_open_fd_count());

    /* Real failures, and successes, with stdout and stderr watched: the
     * library reports through its result and errno, and prints nothing. */
    const char *missing = lab_name("quiet");
    struct prio_msg m = {.data = NULL};
    lab_capture_output_begin();
    prio_create(name, 2, 16);
    prio_send((mqd_t)-1, "x", 1, 0);
    prio_send_to(missing, "x", 1, 0);
    prio_receive((mqd_t)-1, &m);
    prio_destroy((mqd_t)-1, missing);
    prio_send(q, "x", 1, 0);
    int got = prio_receive(q, &m);
    const char *printed = lab_capture_output_end();
    if (got == 0)
        prio_msg_free(&m);
    lab_assert(printed == NULL, N_SENDERS,
               "the library's functions, failing (EEXIST, ENOENT, EBADF) and "
               "succeeding\n  expected: nothing printed: the caller decides "
               "what to say\n  got:      %s on stdout or stderr\n  likely:"
               "   perror or printf inside mq_priorities.c", printed);
}

/* The part of a test run as a user who may write the queue but not read
 * it: prio_send_to must open it O_WRONLY. Returns 0, 77 where no such
 * user can be had, or the errno of prio_send_to. */
static int write_only_sender(void *arg)
{
    const char *name = arg;
    lab_fault_reset();
    if (geteuid() == 0 && (setgid(65534) == -1 || setuid(65534) == -1))
        return 77;  /* root without the right to change ids: no test */
    umask(0);
    struct mq_attr attr = {.mq_maxmsg = 2, .mq_msgsize = 16};
    /* Mode 0200: only the owner may send, nobody may receive. */
    mqd_t q = mq_open(name, O_WRONLY | O_CREAT | O_EXCL, 0200, &attr);
    if (q == (mqd_t)-1)
        return 78;
    errno = 0;
    int r = prio_send_to(name, "w", 1, 1);
    int err = errno ? errno : 255;
    mq_close(q);
    mq_unlink(name);
    return r == 0 ? 0 : err;
}

LAB_TEST(queue, send_to_opens_the_queue_for_sending_only, 4)
{
    const char *name = lab_name("wronly");
    pid_t pid = lab_spawn(write_only_sender, (void *)name);
    int status = 0;
    int ended = lab_wait_pid(pid, 5.0, &status);
    lab_assert(ended && WIFEXITED(status), N_SENDERS,
               "prio_send_to on a queue its caller may write but not read\n"
               "  expected: it ends\n  got:      %s",
               ended ? lab_describe_status(status) : "still running after 5 s");
    int code = WEXITSTATUS(status);
    cr_assert(code != 78, "grader: could not create a write-only queue");
    /* 77: no user without the right to read could be had here. */
    lab_assert(code == 0 || code == 77, N_SENDERS,
               "prio_send_to(\"%s\", \"w\", 1, 1) on a queue of mode 0200 "
               "(its caller may send, not receive)\n  expected: 0\n  got:"
               "      -1, errno %s\n  likely:   %s", name,
               lab_errno_name(code),
               code == EACCES ? "the queue is opened O_RDWR (or O_RDONLY); "
                                "a sender needs O_WRONLY only"
                              : lab_errno_hint(code));
}
