/* test_mailbox.c - lab 04: probing a name, and messages that outlive
 * every process that had the queue open. */
#include "helpers.h"

LAB_TEST(mailbox, queue_exists_reports_without_creating_or_keeping_anything_open, 2)
{
    const char *missing = lab_name("missing");
    const char *present = lab_name("present");
    const char *locked = lab_name("locked");
    struct owner o;
    start_owner(&o, present, 2, 16);
    /* A queue nobody may open (mode 0): it exists all the same. */
    struct mq_attr a = {.mq_maxmsg = 2, .mq_msgsize = 16};
    mqd_t l = mq_open(locked, O_RDWR | O_CREAT | O_EXCL, 0, &a);
    lab_assert_ok(l, N_EXISTS, "grader: mq_open(mode 0)");

    int before = open_descriptors();
    int r = queue_exists(missing);
    lab_assert(!lab_queue_exists(missing), N_EXISTS,
               "queue_exists(\"%s\") where no queue exists\n  expected: 0, "
               "and still no queue\n  got:      %d, and the probe created the "
               "queue\n  likely:   O_CREAT in the probe's open", missing, r);
    lab_assert(r == 0, N_EXISTS,
               "queue_exists(\"%s\") where no queue exists\n  expected: 0\n"
               "  got:      %d", missing, r);
    r = queue_exists(present);
    lab_assert(r == 1, N_EXISTS,
               "queue_exists(\"%s\") on an existing queue\n  expected: 1\n"
               "  got:      %d", present, r);
    r = queue_exists(locked);
    lab_assert(r == 1, N_EXISTS,
               "queue_exists(\"%s\") on a queue with mode 0\n  expected: 1 "
               "(EACCES proves it exists)\n  got:      %d", locked, r);
    int after = open_descriptors();
    lab_assert(after == before, N_EXISTS,
               "three calls of queue_exists\n  expected: %d descriptors open "
               "afterwards, as before\n  got:      %d\n  likely:   the probe "
               "does not close what it opened", before, after);
}

/* mq_open gives EACCES for a queue this process may not open, and also for
 * a name no queue can ever have: a '/' after the first character
 * (mq_open(3)), "/." or "/.." (the kernel's lookup refuses them). */
LAB_TEST(mailbox, queue_exists_tells_a_locked_queue_from_a_name_no_queue_can_have, 2)
{
    const char *locked = lab_name("locked2");
    struct mq_attr a = {.mq_maxmsg = 2, .mq_msgsize = 16};
    mqd_t l = mq_open(locked, O_RDWR | O_CREAT | O_EXCL, 0, &a);
    lab_assert_ok(l, N_EXISTS, "grader: mq_open(mode 0)");
    char inner[128], trailing[128];
    snprintf(inner, sizeof inner, "%s/inner", lab_name("slash"));
    snprintf(trailing, sizeof trailing, "%s/", lab_name("trailing"));
    const char *impossible[] = {inner, trailing, "/.", "/.."};

    int before = open_descriptors();
    int r = queue_exists(locked);
    lab_assert(r == 1, N_EXISTS,
               "queue_exists(\"%s\") on a queue with mode 0\n  expected: 1 "
               "(a queue this process may not open exists)\n  got:      %d",
               locked, r);
    for (size_t i = 0; i < sizeof impossible / sizeof impossible[0]; i++) {
        errno = 0;
        r = queue_exists(impossible[i]);
        int err = errno;
        lab_assert(r == 0 || (r == -1 && err == EINVAL), N_EXISTS,
                   "queue_exists(\"%s\"): no queue can have that name\n  "
                   "expected: 0, or -1 with errno EINVAL\n  got:      %d%s\n"
                   "  likely:   mq_open gives EACCES for a name with a '/' "
                   "after the first one, or \"/.\" or \"/..\", too: EACCES "
                   "proves a queue exists only for a name a queue can have",
                   impossible[i], r,
                   r == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
    }
    int after = open_descriptors();
    lab_assert(after == before, N_EXISTS,
               "five calls of queue_exists\n  expected: %d descriptors open "
               "afterwards, as before\n  got:      %d", before, after);
    mq_close(l);
}

struct seen {
    int count;
    char text[4][16];
};

static void collect(const void *data, size_t len, unsigned prio, void *arg)
{
    (void)prio;
    struct seen *s = arg;
    if (s->count < 4) {
        size_t n = len < 15 ? len : 15;
        memcpy(s->text[s->count], data, n);
        s->text[s->count][n] = '\0';
    }
    s->count++;
}

struct post {
    const char *name;
    const char *text;
};

/* A poster process: leaves one message and exits. */
static int poster_main(void *arg)
{
    const struct post *p = arg;
    if (mailbox_post(p->name, p->text, strlen(p->text)) == -1)
        return errno ? errno : 255;
    return 0;
}

static void run_poster(const struct post *p)
{
    pid_t pid = lab_spawn(poster_main, (void *)p);
    int status = 0;
    int ended = lab_wait_pid(pid, 5.0, &status);
    lab_assert(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0, N_MAILBOX,
               "a process calls mailbox_post(\"%s\", \"%s\", %zu) and exits\n"
               "  expected: success\n  got:      %s", p->name, p->text,
               strlen(p->text), ended ? child_said(status) : "still running");
}

LAB_TEST_TIMEOUT(mailbox, messages_survive_every_close_until_the_name_is_removed, 6, 10.0)
{
    const char *name = lab_name("mailbox");
    struct post first = {name, "first"}, second = {name, "second"};
    run_poster(&first);
    lab_assert(lab_queue_exists(name), N_PERSIST,
               "a process posted \"first\" to the mailbox %s and exited\n  "
               "expected: the queue still exists: nobody has it open, but "
               "queues persist until unlinked\n  got:      it is gone\n  "
               "likely:   mailbox_post removed the name after sending", name);
    run_poster(&second);

    struct seen s = {.count = 0};
    errno = 0;
    long n = mailbox_collect(name, collect, &s);
    lab_assert(n == 2 && s.count == 2 && strcmp(s.text[0], "first") == 0 &&
                   strcmp(s.text[1], "second") == 0, N_PERSIST,
               "two processes each posted one message and exited; then "
               "mailbox_collect(\"%s\", ...)\n  expected: 2, visiting "
               "\"first\" and \"second\"\n  got:      %ld%s, visiting %d: "
               "%s %s", name, n,
               n == -1 ? lab_fmt(" (errno %s)", lab_errno_name(errno)) : "",
               s.count, s.count > 0 ? s.text[0] : "",
               s.count > 1 ? s.text[1] : "");
    lab_assert(!lab_queue_exists(name), N_MAILBOX,
               "after mailbox_collect(\"%s\", ...)\n  expected: the mailbox "
               "is removed\n  got:      it still exists\n  likely:   closing "
               "alone does not destroy a queue: the collector must "
               "mq_unlink it (an early return can skip that)", name);
    errno = 0;
    lab_assert_fails_with(mailbox_collect(name, collect, &s), ENOENT, N_MAILBOX,
                          "mailbox_collect(\"%s\", ...) once it was collected",
                          name);
    lab_assert(!lab_queue_exists(name), N_MAILBOX,
               "expected: collecting a missing mailbox creates nothing");
}
