/* test_owner.c - lab 04: the owner of a name, unlinking while the queue
 * is open, and what the name and the descriptors do afterwards. */
#include "helpers.h"
#include "lab_handshake.h"

LAB_TEST(owner, owner_start_refuses_an_existing_name_with_eexist, 3)
{
    const char *name = lab_name("taken");
    /* Another owner's queue, in use, with a message in it. */
    struct mq_attr a = {.mq_maxmsg = 2, .mq_msgsize = 16};
    mqd_t other = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
    lab_assert_ok(other, N_OWNER, "grader: mq_open(O_CREAT | O_EXCL)");
    lab_assert_ok(mq_send(other, "mine", 4, 0), N_OWNER, "grader: mq_send");

    struct owner o;
    errno = 0;
    lab_assert_fails_with(owner_start(&o, name, 2, 16), EEXIST, N_OWNER,
                          "owner_start(&o, \"%s\", 2, 16) where another owner's "
                          "queue has that name", name);
    mqd_t check = mq_open(name, O_RDONLY | O_NONBLOCK);
    long left = check == (mqd_t)-1 ? -1 : attr_of(check, "the queue").mq_curmsgs;
    lab_assert(left == 1, N_OWNER,
               "after the refused owner_start on \"%s\"\n  expected: the name "
               "still leads to the other owner's queue, with its message\n"
               "  got:      %s\n  likely:   owner_start removed the existing "
               "queue (mq_unlink \"to make room\"), stealing the name from an "
               "owner that is using it", name,
               left == -1 ? "no queue of that name"
                          : "a new, empty queue of that name");
}

LAB_TEST(owner, released_name_is_gone_at_once_but_the_owner_can_still_use_the_queue, 6)
{
    const char *name = lab_name("release");
    struct owner o;
    start_owner(&o, name, 4, 32);
    lab_assert_ok(owner_release_name(&o), N_UNLINK, "owner_release_name(&o)");
    lab_assert(o.name_released == 1, N_UNLINK,
               "after owner_release_name(&o)\n  expected: o.name_released 1\n"
               "  got:      %d", o.name_released);
    lab_assert(!lab_queue_exists(name), N_UNLINK,
               "after owner_release_name(&o)\n  expected: the name %s is gone "
               "at once\n  got:      it still opens\n  likely:   mq_unlink "
               "was not called", name);
    errno = 0;
    lab_assert_fails_with(mq_open(name, O_RDONLY), ENOENT, N_UNLINK,
                          "mq_open(\"%s\", O_RDONLY) after the name was released",
                          name);

    errno = 0;
    int sent = mq_send(o.q, "still", 5, 0);
    lab_assert_ok(sent, N_OUTLIVE,
                  "mq_send on o.q after owner_release_name: the queue lives "
                  "on while a descriptor is open%s",
                  errno == EBADF ? "\n  note:     EBADF: o.q was closed; "
                  "unlinking does not need (or want) a close first" : "");
    char buf[32];
    ssize_t n = mq_receive(o.q, buf, sizeof buf, NULL);
    lab_assert(n == 5 && memcmp(buf, "still", 5) == 0, N_OUTLIVE,
               "mq_receive on o.q after owner_release_name\n  expected: "
               "\"still\"\n  got:      %s",
               n == -1 ? lab_errno_name(errno) : lab_quote(buf, n));
    lab_assert_ok(owner_release_name(&o), N_UNLINK,
                  "owner_release_name(&o) a second time (must do nothing)");
}

LAB_TEST(owner, o_creat_after_release_makes_a_new_separate_queue, 3)
{
    const char *name = lab_name("again");
    struct owner first, second;
    start_owner(&first, name, 4, 32);
    lab_assert_ok(mq_send(first.q, "old", 3, 0), N_SAMENAME, "mq_send on first.q");
    lab_assert_ok(owner_release_name(&first), N_UNLINK,
                  "owner_release_name(&first)");
    memset(&second, 0, sizeof second);
    lab_assert_ok(owner_start(&second, name, 2, 16), N_SAMENAME,
                  "owner_start(&second, \"%s\", 2, 16) after the first owner "
                  "released that name", name);
    struct mq_attr a1 = attr_of(first.q, "first.q");
    struct mq_attr a2 = attr_of(second.q, "second.q");
    lab_assert(a2.mq_maxmsg == 2 && a2.mq_curmsgs == 0, N_SAMENAME,
               "the second queue named %s\n  expected: a new queue: mq_maxmsg"
               " 2, no message\n  got:      mq_maxmsg %ld, %ld messages",
               name, a2.mq_maxmsg, a2.mq_curmsgs);
    lab_assert(a1.mq_maxmsg == 4 && a1.mq_curmsgs == 1, N_SAMENAME,
               "the first queue, after a second one took its name\n  "
               "expected: still mq_maxmsg 4 with its message \"old\"\n  got:"
               "      mq_maxmsg %ld, %ld messages", a1.mq_maxmsg,
               a1.mq_curmsgs);
    lab_assert_ok(mq_send(second.q, "new", 3, 0), N_SAMENAME, "mq_send on second.q");
    char buf[32];
    ssize_t n = mq_receive(first.q, buf, sizeof buf, NULL);
    lab_assert(n == 3 && memcmp(buf, "old", 3) == 0 &&
                   attr_of(first.q, "first.q").mq_curmsgs == 0, N_SAMENAME,
               "expected: first.q holds only \"old\", nothing sent to the "
               "second queue\n  got:      %s",
               n == -1 ? lab_errno_name(errno) : lab_quote(buf, n));
}

/* The peer: opens the queue, says so, waits for "go", sends three
 * messages through the descriptor it opened before the release. */
struct early_peer {
    struct handshake h;
    const char *name;
};

static int early_peer_main(void *arg)
{
    struct early_peer *p = arg;
    struct handshake *h = &p->h;
    hs_child_side(h);
    char line[64];
    mqd_t q = peer_open(p->name, O_WRONLY);
    if (q == (mqd_t)-1) {
        hs_say(h->up[1], "fail: peer_open: %s", lab_errno_name(errno));
        return 1;
    }
    hs_say(h->up[1], "opened");
    if (!hs_expect(h->down[0], "go", line, sizeof line, 5.0))
        return 1;
    const char *texts[] = {"a", "bb", "ccc"};
    for (int i = 0; i < 3; i++) {
        if (mq_send(q, texts[i], strlen(texts[i]), 0) == -1) {
            hs_say(h->up[1], "fail: mq_send after the release: %s",
                   lab_errno_name(errno));
            return 1;
        }
    }
    mq_close(q);
    hs_say(h->up[1], "sent");
    return 0;
}

LAB_TEST_TIMEOUT(owner, peer_opened_before_release_keeps_working_in_another_process, 6, 10.0)
{
    const char *name = lab_name("early");
    struct owner o;
    start_owner(&o, name, 4, 32);
    struct early_peer peer = {.name = name};
    struct handshake *hp = &peer.h;
    cr_assert(hs_open(hp) == 0, "grader: pipe failed");
    pid_t pid = lab_spawn(early_peer_main, &peer);
    hs_parent_side(hp);
    struct handshake h = *hp;
    char line[256];
    lab_assert(hs_expect(h.up[0], "opened", line, sizeof line, 5.0), N_EARLY,
               "a peer process calls peer_open(\"%s\", O_WRONLY) while the "
               "queue exists\n  expected: it opens\n  got:      %s", name,
               line[0] ? line : "no answer");
    lab_assert_ok(owner_release_name(&o), N_EARLY,
                  "owner_release_name(&o) once the peer has opened");
    lab_assert(!lab_queue_exists(name), N_UNLINK,
               "expected: the name is gone after owner_release_name");
    hs_say(h.down[1], "go");
    lab_assert(hs_expect(h.up[0], "sent", line, sizeof line, 5.0), N_OUTLIVE,
               "the peer sends three messages through the descriptor it "
               "opened before the name was released\n  expected: the sends "
               "work\n  got:      %s", line[0] ? line : "no answer");
    int status = 0;
    lab_assert(lab_wait_pid(pid, 5.0, &status) && WIFEXITED(status) &&
                   WEXITSTATUS(status) == 0, N_OUTLIVE,
               "the peer process\n  expected: exit status 0\n  got:      %s",
               lab_describe_status(status));

    struct mq_attr a;
    errno = 0;
    int got_attr = mq_getattr(o.q, &a);
    lab_assert(got_attr == 0 && a.mq_curmsgs == 3, N_OUTLIVE,
               "after the peer sent 3 messages and exited\n  expected: the "
               "owner's o.q shows 3 messages\n  got:      %s",
               got_attr == -1 ? lab_fmt("mq_getattr(o.q) failed: %s (o.q "
                                        "closed by the release?)",
                                        lab_errno_name(errno))
                              : lab_fmt("%ld messages", a.mq_curmsgs));
    const char *texts[] = {"a", "bb", "ccc"};
    for (int i = 0; i < 3; i++) {
        char buf[32];
        ssize_t n = mq_receive(o.q, buf, sizeof buf, NULL);
        lab_assert(n == (ssize_t)strlen(texts[i]) && memcmp(buf, texts[i], (size_t)n) == 0,
                   N_OUTLIVE, "message %d on o.q\n  expected: \"%s\"\n  got:"
                   "      %s", i + 1, texts[i],
                   n == -1 ? lab_errno_name(errno) : lab_quote(buf, n));
    }
}

LAB_TEST(owner, owner_stop_closes_the_queue_and_removes_the_name, 3)
{
    const char *name = lab_name("stop");
    struct owner o;
    start_owner(&o, name, 2, 16);
    mqd_t q = o.q;
    lab_assert_ok(owner_stop(&o), N_OWNER, "owner_stop(&o)");
    errno = 0;
    lab_assert(fcntl(q, F_GETFD) == -1 && errno == EBADF, N_OWNER,
               "after owner_stop(&o)\n  expected: the descriptor is closed\n"
               "  got:      it is still open");
    lab_assert(!lab_queue_exists(name), N_PERSIST,
               "after owner_stop(&o)\n  expected: the name %s is removed\n  "
               "got:      the queue still exists\n  likely:   mq_close alone:"
               " the kernel does not destroy a queue when its last "
               "descriptor closes; only mq_unlink removes it", name);

    const char *other = lab_name("stop2");
    start_owner(&o, other, 2, 16);
    lab_assert_ok(owner_release_name(&o), N_EARLY, "owner_release_name(&o)");
    errno = 0;
    int r = owner_stop(&o);
    int err = errno;
    lab_assert(r == 0, N_EARLY,
               "owner_stop(&o) after owner_release_name(&o)\n  expected: 0\n"
               "  got:      %d%s\n  likely:   %s", r,
               r == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "",
               err == EBADF ? "o.q was closed already: owner_release_name must "
                              "keep the descriptor open"
                            : "the name was released already; owner_stop must "
                              "not unlink it again");
}

LAB_TEST(owner, stop_after_an_early_release_leaves_a_newer_queue_of_that_name_alone, 3)
{
    const char *name = lab_name("newer");
    struct owner old, newer;
    start_owner(&old, name, 2, 16);
    lab_assert_ok(owner_release_name(&old), N_EARLY, "owner_release_name(&old)");
    start_owner(&newer, name, 2, 16);
    lab_assert_ok(mq_send(newer.q, "newer", 5, 0), N_EARLY, "mq_send on newer.q");
    owner_stop(&old);
    mqd_t check = mq_open(name, O_RDONLY | O_NONBLOCK);
    lab_assert(check != (mqd_t)-1 && attr_of(check, "the queue").mq_curmsgs == 1,
               N_EARLY,
               "old owner released \"%s\" early, a newer owner created a queue "
               "of that name, then the old owner called owner_stop\n  "
               "expected: the newer queue keeps its name\n  got:      %s\n  "
               "likely:   owner_stop unlinked a name it had released already:"
               " by then the name belonged to someone else", name,
               check == (mqd_t)-1 ? "the name is gone" : "another queue");
}
