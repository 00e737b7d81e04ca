/* test_queues.c - lab 08: mux_open, mux_drain and mux_close, called
 * directly, one step at a time. */
#include "lab_test.h"
#include "mq_multiplex.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTE(anchor) "08-mq-multiplex.md#" anchor

/* What the handler was given, message by message. */
struct log {
    int calls;
    int input[16];
    char text[16][64];
    size_t len[16];
};

static void record(void *ctx, int input, const char *msg, size_t len)
{
    struct log *l = ctx;
    if (l->calls < 16) {
        l->input[l->calls] = input;
        l->len[l->calls] = len;
        memcpy(l->text[l->calls], msg, len < 63 ? len : 63);
        l->text[l->calls][len < 63 ? len : 63] = '\0';
    }
    l->calls++;
}

static void must_open(struct mux_server *s, const char *const names[],
                      int count, long maxmsg, long msgsize)
{
    lab_assert_ok(mux_open(s, names, count, maxmsg, msgsize),
                  NOTE("creating-the-inputs"),
                  "mux_open(s, {\"%s\", ...}, %d, %ld, %ld) on names that "
                  "do not exist yet", names[0], count, maxmsg, msgsize);
}

static mqd_t must_open_writer(const char *name)
{
    mqd_t w = mq_open(name, O_WRONLY);
    lab_assert_ok(w, NOTE("creating-the-inputs"),
                  "a producer's mq_open(\"%s\", O_WRONLY) after mux_open",
                  name);
    return w;
}

static void must_send(mqd_t w, const char *text)
{
    lab_assert_ok(mq_send(w, text, strlen(text), 0), NOTE("the-end-marker"),
                  "grader: mq_send(%s)", lab_quote(text, (long)strlen(text)));
}

static int is_closed(mqd_t q)
{
    return fcntl(q, F_GETFD) == -1 && errno == EBADF;
}

LAB_TEST(open, creates_every_queue_non_blocking_with_the_given_sizes, 5)
{
    const char *names[3] = {lab_name("in0"), lab_name("in1"), lab_name("in2")};
    struct mux_server s;
    mode_t old = umask(0);  /* the umask would hide the mode asked for */
    must_open(&s, names, 3, 5, 128);
    umask(old);
    lab_assert(s.count == 3 && s.live == 3, NOTE("creating-the-inputs"),
               "mux_open with 3 names\n  expected: count 3, live 3\n  got:"
               "      count %d, live %d", s.count, s.live);
    lab_assert(s.buf != NULL && s.bufsize == 128, NOTE("creating-the-inputs"),
               "mux_open(..., 5, 128)\n  expected: a buffer of mq_msgsize "
               "(128) bytes\n  got:      buf %p, bufsize %zu",
               (void *)s.buf, s.bufsize);
    for (int i = 0; i < 3; i++) {
        lab_assert(strcmp(s.in[i].name, names[i]) == 0,
                   NOTE("creating-the-inputs"),
                   "expected: in[%d].name %s\n  got:      %s", i,
                   lab_quote(names[i], (long)strlen(names[i])),
                   lab_quote(s.in[i].name, (long)strnlen(s.in[i].name, 80)));
        struct mq_attr attr;
        lab_assert_ok(mq_getattr(s.in[i].q, &attr), NOTE("creating-the-inputs"),
                      "mq_getattr(in[%d].q) after mux_open", i);
        lab_assert(attr.mq_maxmsg == 5 && attr.mq_msgsize == 128,
                   NOTE("creating-the-inputs"),
                   "queue %s\n  expected: mq_maxmsg 5, mq_msgsize 128\n  "
                   "got:      mq_maxmsg %ld, mq_msgsize %ld\n  likely:   the "
                   "struct mq_attr was not passed to mq_open", names[i],
                   attr.mq_maxmsg, attr.mq_msgsize);
        lab_assert(attr.mq_flags & O_NONBLOCK,
                   NOTE("readiness-then-a-non-blocking-drain"),
                   "queue %s\n  expected: the descriptor is non-blocking "
                   "(O_NONBLOCK in mq_flags)\n  got:      a blocking "
                   "descriptor\n  likely:   O_NONBLOCK was put in "
                   "attr.mq_flags, which mq_open ignores; it belongs in the "
                   "oflag argument", names[i]);
        int mode = fcntl(s.in[i].q, F_GETFL) & O_ACCMODE;
        lab_assert(mode == O_RDONLY, NOTE("creating-the-inputs"),
                   "queue %s\n  expected: open for receiving only (O_RDONLY)"
                   "\n  got:      access mode %d", names[i], mode);
        struct stat st;
        lab_assert_ok(fstat(s.in[i].q, &st), NOTE("creating-the-inputs"),
                      "fstat on in[%d].q", i);
        lab_assert((st.st_mode & 0777) == MUX_MODE, NOTE("creating-the-inputs"),
                   "queue %s\n  expected: permissions 0600 (MUX_MODE)\n  "
                   "got:      %04o", names[i], (unsigned)(st.st_mode & 0777));
    }
    mux_close(&s);
}

LAB_TEST(open, a_failed_open_removes_the_queues_it_created, 4)
{
    int fds_before = lab_open_fd_count();
    const char *bad[3] = {lab_name("first"), lab_name("second"),
                          "ipclab-no-slash"};
    struct mux_server s;
    errno = 0;
    lab_assert_fails_with(mux_open(&s, bad, 3, 4, 32), EINVAL,
                          NOTE("creating-the-inputs"),
                          "mux_open with a third name without its leading "
                          "'/'");
    for (int i = 0; i < 2; i++)
        lab_assert(!lab_queue_exists(bad[i]), NOTE("creating-the-inputs"),
                   "mux_open failed on the third name\n  expected: the "
                   "queues it created before are removed again\n  got:  "
                   "    %s still exists\n  likely:   the error path returns "
                   "at once, without mq_close and mq_unlink", bad[i]);
    lab_assert(lab_open_fd_count() == fds_before, NOTE("creating-the-inputs"),
               "mux_open failed on the third name\n  expected: no "
               "descriptor left open (%d before)\n  got:      %d open\n  "
               "likely:   the queues created before the failure were not "
               "closed", fds_before, lab_open_fd_count());

    /* EEXIST: the queue that is in the way is someone else's. */
    const char *taken[2] = {lab_name("mine"), lab_name("theirs")};
    struct mq_attr attr = {.mq_maxmsg = 2, .mq_msgsize = 16};
    mqd_t theirs = mq_open(taken[1], O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    lab_assert_ok(theirs, NOTE("creating-the-inputs"), "grader: mq_open");
    errno = 0;
    lab_assert_fails_with(mux_open(&s, taken, 2, 4, 32), EEXIST,
                          NOTE("creating-the-inputs"),
                          "mux_open where the second name already exists");
    lab_assert(!lab_queue_exists(taken[0]), NOTE("creating-the-inputs"),
               "mux_open failed with EEXIST on the second name\n  expected:"
               " the first queue, which it created, removed again\n  got:"
               "      %s still exists", taken[0]);
    lab_assert(lab_queue_exists(taken[1]), NOTE("creating-the-inputs"),
               "mux_open failed with EEXIST on the second name\n  expected:"
               " that queue, which is not the server's, left alone\n  got:"
               "      %s was removed\n  likely:   the cleanup removes every "
               "name, not only the ones it created", taken[1]);
    mq_close(theirs);
}

LAB_TEST(drain, an_empty_queue_returns_zero_at_once, 3)
{
    const char *names[1] = {lab_name("empty")};
    struct mux_server s;
    must_open(&s, names, 1, 4, 32);
    struct log log = {0};
    int n = mux_drain(&s, 0, MUX_BUDGET, record, &log);
    lab_assert(n == 0 && log.calls == 0,
               NOTE("readiness-then-a-non-blocking-drain"),
               "mux_drain on an empty queue\n  expected: 0 at once, no "
               "handler call\n  got:      %d (errno %s), %d handler call%s\n"
               "  likely:   EAGAIN treated as an error; an empty queue just "
               "ends the drain", n, lab_errno_name(errno), log.calls,
               log.calls == 1 ? "" : "s");
    mux_close(&s);
}

LAB_TEST(drain, takes_at_most_the_budget_in_order, 3)
{
    const char *names[2] = {lab_name("other"), lab_name("busy")};
    struct mux_server s;
    must_open(&s, names, 2, 8, 32);
    mqd_t w = must_open_writer(names[1]);
    const char *sent[6] = {"m0", "m1", "m2", "m3", "m4", "m5"};
    for (int i = 0; i < 6; i++)
        must_send(w, sent[i]);

    struct log log = {0};
    int first = mux_drain(&s, 1, 4, record, &log);
    lab_assert(first == 4 && log.calls == 4,
               NOTE("fairness-a-budget-per-input"),
               "6 messages waiting, mux_drain(s, 1, 4, ...)\n  expected: 4 "
               "(the budget), 4 handler calls\n  got:      %d, %d handler "
               "calls", first, log.calls);
    int second = mux_drain(&s, 1, 4, record, &log);
    lab_assert(second == 2 && log.calls == 6,
               NOTE("readiness-then-a-non-blocking-drain"),
               "2 messages left, mux_drain(s, 1, 4, ...)\n  expected: 2, "
               "then the drain stops at the empty queue\n  got:      %d "
               "(errno %s), %d handler calls in all",
               second, lab_errno_name(errno), log.calls);
    for (int i = 0; i < 6; i++) {
        lab_assert(log.input[i] == 1, NOTE("readiness-then-a-non-blocking-drain"),
                   "handler call %d\n  expected: input 1\n  got:      input "
                   "%d", i + 1, log.input[i]);
        lab_assert(log.len[i] == 2 && strcmp(log.text[i], sent[i]) == 0,
                   NOTE("readiness-then-a-non-blocking-drain"),
                   "handler call %d\n  expected: %s (2 bytes)\n  got:      "
                   "%s (%zu bytes)", i + 1, lab_quote(sent[i], 2),
                   lab_quote(log.text[i], (long)strlen(log.text[i])),
                   log.len[i]);
    }
    int third = mux_drain(&s, 1, 4, record, &log);
    lab_assert(third == 0, NOTE("readiness-then-a-non-blocking-drain"),
               "mux_drain on the now empty queue\n  expected: 0\n  got:    "
               "  %d (errno %s)", third, lab_errno_name(errno));
    mq_close(w);
    mux_close(&s);
}

LAB_TEST(drain, an_empty_message_ends_the_input, 4)
{
    const char *names[2] = {lab_name("stays"), lab_name("ends")};
    struct mux_server s;
    must_open(&s, names, 2, 8, 32);
    mqd_t w = must_open_writer(names[1]);
    must_send(w, "x");
    must_send(w, "");
    must_send(w, "after the end");
    mqd_t old = s.in[1].q;

    struct log log = {0};
    int n = mux_drain(&s, 1, MUX_BUDGET, record, &log);
    lab_assert(n == 2 && log.calls == 1 && strcmp(log.text[0], "x") == 0,
               NOTE("the-end-marker"),
               "\"x\", then a zero-length message, then \"after the end\";"
               " mux_drain(s, 1, %d, ...)\n  expected: 2 (\"x\" and the end "
               "marker), the handler called for \"x\" only\n  got:      %d,"
               " %d handler call%s", MUX_BUDGET, n, log.calls,
               log.calls == 1 ? "" : "s");
    lab_assert(s.in[1].q == (mqd_t)-1 && s.live == 1, NOTE("the-end-marker"),
               "after the end marker of input 1\n  expected: in[1].q == -1, "
               "live 1\n  got:      in[1].q %d, live %d", (int)s.in[1].q,
               s.live);
    lab_assert(is_closed(old), NOTE("closed-and-unlinked-inputs"),
               "after the end marker of input 1\n  expected: its descriptor"
               " %d closed\n  got:      still open\n  likely:   in[1].q was "
               "set to -1 without mq_close: the descriptor leaks",
               (int)old);
    lab_assert(s.in[0].q != (mqd_t)-1, NOTE("the-end-marker"),
               "expected: input 0 untouched by input 1's end\n  got:      "
               "in[0].q == -1");
    int again = mux_drain(&s, 1, MUX_BUDGET, record, &log);
    lab_assert(again == 0 && log.calls == 1, NOTE("the-end-marker"),
               "mux_drain on an input that has ended\n  expected: 0, no "
               "handler call\n  got:      %d (errno %s), %d handler calls",
               again, lab_errno_name(errno), log.calls);
    mq_close(w);
    mux_close(&s);
}

LAB_TEST(close, removes_every_name_even_one_already_removed, 3)
{
    int fds_before = lab_open_fd_count();
    const char *names[3] = {lab_name("c0"), lab_name("c1"), lab_name("c2")};
    struct mux_server s;
    must_open(&s, names, 3, 4, 32);
    mqd_t q[3] = {s.in[0].q, s.in[1].q, s.in[2].q};
    /* Input 2 ends first; a producer removes the name of input 1. */
    mqd_t w = must_open_writer(names[2]);
    must_send(w, "");
    mq_close(w);
    struct log log = {0};
    lab_assert(mux_drain(&s, 2, MUX_BUDGET, record, &log) == 1,
               NOTE("the-end-marker"),
               "mux_drain on input 2 holding only the end marker\n  "
               "expected: 1");
    lab_assert_ok(mq_unlink(names[1]), NOTE("closed-and-unlinked-inputs"),
                  "grader: mq_unlink(\"%s\")", names[1]);

    errno = 0;
    int rc = mux_close(&s);
    lab_assert(rc == 0, NOTE("closed-and-unlinked-inputs"),
               "mux_close after a producer removed the name of input 1\n  "
               "expected: 0 (ENOENT from mq_unlink is what we wanted "
               "anyway)\n  got:      %d, errno %s", rc, lab_errno_name(errno));
    for (int i = 0; i < 3; i++) {
        lab_assert(!lab_queue_exists(names[i]), NOTE("cleaning-up"),
                   "after mux_close\n  expected: %s removed\n  got:      it "
                   "still exists\n  likely:   mux_close stopped at the first"
                   " failure", names[i]);
        lab_assert(is_closed(q[i]), NOTE("cleaning-up"),
                   "after mux_close\n  expected: the descriptor of input %d "
                   "closed\n  got:      still open", i);
    }
    lab_assert(s.buf == NULL, NOTE("cleaning-up"),
               "after mux_close\n  expected: buf freed and set to NULL\n  "
               "got:      %p", (void *)s.buf);
    lab_assert(lab_open_fd_count() == fds_before, NOTE("cleaning-up"),
               "after mux_close\n  expected: %d descriptors open, as before "
               "mux_open\n  got:      %d", fds_before, lab_open_fd_count());
}
