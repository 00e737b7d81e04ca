/* test_shm.c - lab 10: the shared object itself: creating, attaching
 * late, several writers, teardown by each owner, and (bonus) a writer
 * that dies holding the lock. */
#include "kid.h"
#include "probe.h"
#include "pubsub.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define NOTE(anchor) "10-shm-pubsub.md#" anchor

static void must_create(struct ps_handle *h, const char *name)
{
    lab_assert_ok(ps_create(h, name), NOTE("creating-the-shared-object"),
                  "ps_create(h, \"%s\") on a new name", name);
}

static void must_publish(struct ps_handle *h, const char *text)
{
    lab_assert_ok(ps_publish(h, text, strlen(text) + 1),
                  NOTE("publishing-an-update"), "ps_publish(h, \"%s\", %zu)",
                  text, strlen(text) + 1);
}

LAB_TEST(shm, create_sizes_maps_and_initialises_the_record, 5)
{
    const char *name = lab_name("create");
    int fds = lab_open_fd_count();
    struct ps_handle h;
    mode_t old = umask(0);  /* the umask would hide the mode asked for */
    must_create(&h, name);
    umask(old);
    lab_assert(lab_open_fd_count() == fds, NOTE("creating-the-shared-object"),
               "after ps_create\n  expected: no descriptor left open (%d "
               "before)\n  got:      %d\n  likely:   the shm descriptor was "
               "not closed after mmap; the mapping alone keeps the object",
               fds, lab_open_fd_count());
    lab_assert(lab_shm_exists(name), NOTE("creating-the-shared-object"),
               "after ps_create\n  expected: the shm object %s exists\n  "
               "got:      it does not", name);
    int fd = shm_open(name, O_RDONLY, 0);
    lab_assert_ok(fd, NOTE("creating-the-shared-object"), "grader: shm_open");
    struct stat st;
    lab_assert_ok(fstat(fd, &st), NOTE("creating-the-shared-object"),
                  "grader: fstat");
    close(fd);
    lab_assert((size_t)st.st_size == sizeof(struct ps_shared),
               NOTE("creating-the-shared-object"),
               "after ps_create\n  expected: the object's size is "
               "sizeof(struct ps_shared), %zu bytes\n  got:      %lld\n  "
               "likely:   ftruncate missing or given the wrong size",
               sizeof(struct ps_shared), (long long)st.st_size);
    lab_assert((st.st_mode & 0777) == PS_MODE, NOTE("creating-the-shared-object"),
               "expected: permissions 0600 (PS_MODE)\n  got:      %04o",
               (unsigned)(st.st_mode & 0777));
    lab_assert(h.shm != NULL && h.owner == 1 && h.slot == -1 &&
                   h.q == (mqd_t)-1 && strcmp(h.name, name) == 0,
               NOTE("creating-the-shared-object"),
               "after ps_create\n  expected: shm mapped, owner 1, slot -1, q "
               "-1, the name copied\n  got:      shm %p, owner %d, slot %d, "
               "q %d, name %s", (void *)h.shm, h.owner, h.slot, (int)h.q,
               lab_quote(h.name, (long)strnlen(h.name, PS_NAME_MAX)));
    /* Read and write, shared: in /proc/self/maps "rw-s". PROT_WRITE alone
     * shows "-w-s" (x86 may let the reads through, but the mapping is not
     * what the spec asks for). */
    char perms[5];
    int bad = probe_mappings_not(name, "rw-s", perms);
    lab_assert(probe_mappings(name) == 1 && bad == 0,
               NOTE("creating-the-shared-object"),
               "after ps_create\n  expected: one mapping of the object, "
               "rw-s in /proc/self/maps (PROT_READ | PROT_WRITE, "
               "MAP_SHARED)\n  got:      %d mappings, %s\n  likely:   "
               "mmap with PROT_READ | PROT_WRITE and MAP_SHARED",
               probe_mappings(name), bad ? perms : "rw-s");
    struct ps_handle other;
    lab_assert_ok(ps_attach(&other, name), NOTE("attaching"),
                  "ps_attach(h, \"%s\") on the object ps_create made", name);
    bad = probe_mappings_not(name, "rw-s", perms);
    lab_assert(probe_mappings(name) == 2 && bad == 0, NOTE("attaching"),
               "after ps_attach in the creator's process\n  expected: two "
               "mappings of the object, both rw-s in /proc/self/maps "
               "(PROT_READ | PROT_WRITE, MAP_SHARED)\n  got:      %d "
               "mappings, one %s\n  likely:   ps_attach maps the object as "
               "ps_create does: PROT_READ | PROT_WRITE, MAP_SHARED",
               probe_mappings(name), bad ? perms : "rw-s");
    lab_assert_ok(ps_close(&other), NOTE("teardown-by-each-owner"),
                  "ps_close of an attached handle");
    int empty = 1;
    for (int i = 0; i < PS_MAX_SUBSCRIBERS; i++)
        empty = empty && h.shm->subscribers[i][0] == '\0';
    lab_assert(h.shm->seq == 0 && h.shm->counter == 0 && h.shm->len == 0 &&
                   empty, NOTE("creating-the-shared-object"),
               "a new record\n  expected: seq 0, counter 0, len 0, every slot "
               "free\n  got:      seq %lu, counter %lu, len %zu, slots %s",
               h.shm->seq, h.shm->counter, h.shm->len,
               empty ? "free" : "not all free");
    lab_assert_ok(ps_increment(&h), NOTE("one-lock-for-every-access"),
                  "ps_increment on a new record");
    lab_assert(h.shm->counter == 1, NOTE("one-lock-for-every-access"),
               "expected: counter 1 after one ps_increment\n  got:      %lu",
               h.shm->counter);

    struct ps_handle again;
    errno = 0;
    lab_assert_fails_with(ps_create(&again, name), EEXIST,
                          NOTE("creating-the-shared-object"),
                          "ps_create on a name that exists");
    lab_assert(lab_shm_exists(name) && h.shm->counter == 1,
               NOTE("creating-the-shared-object"),
               "a failed second ps_create\n  expected: the first object left "
               "as it was\n  got:      %s", lab_shm_exists(name)
                   ? "its contents changed" : "it was removed");
    ps_close(&h);
}

/* ---- a process that attaches after the updates ------------------------- */

static int late_reader(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    if (ps_attach(&h, io->name) == -1)
        return kid_say(io, 1, "ps_attach failed: %s", lab_errno_name(errno));
    static struct ps_snapshot s;
    if (ps_read(&h, &s) == -1)
        return kid_say(io, 1, "ps_read failed: %s", lab_errno_name(errno));
    kid_say(io, 0, "seq %lu len %zu data %s", s.seq, s.len,
            s.len > 0 && s.len <= PS_DATA_MAX && s.data[s.len - 1] == '\0'
                ? s.data : "(not a string)");
    if (ps_close(&h) == -1)
        return kid_say(io, 1, "ps_close failed: %s", lab_errno_name(errno));
    return 0;
}

LAB_TEST(shm, a_late_subscriber_reads_the_current_state, 5)
{
    const char *name = lab_name("late");
    struct ps_handle h;
    must_create(&h, name);
    must_publish(&h, "update 1");
    must_publish(&h, "update 2");
    must_publish(&h, "update 3");
    struct kid k;
    kid_start(&k, late_reader, name, NULL, 0);
    const char *line = kid_line(&k, 5.0);
    lab_assert(strcmp(line, "seq 3 len 9 data update 3") == 0,
               NOTE("a-late-subscriber"),
               "three updates published, then another process attaches and "
               "reads\n  expected: \"seq 3 len 9 data update 3\"\n  got:      "
               "%s\n  likely:   %s", kid_said(&k, line),
               strncmp(line, "seq 0", 5) == 0
                   ? "ps_attach truncated or re-sized the object: that "
                     "wipes the state everyone shares"
                   : !line[0] ? "a process that only reads still takes the "
                                "lock, which writes to the mapping: it needs "
                                "O_RDWR and PROT_WRITE"
                              : "see the message");
    lab_assert(kid_ok(&k, 5.0), NOTE("teardown-by-each-owner"),
               "the late reader\n  expected: ps_close and exit 0\n  got:      "
               "%s", kid_line(&k, 0.5));
    lab_assert(lab_shm_exists(name), NOTE("teardown-by-each-owner"),
               "after the late reader's ps_close\n  expected: the object "
               "still exists (that process does not own it)\n  got:      it "
               "was removed");
    ps_close(&h);
}

/* ---- several writers --------------------------------------------------- */

#define WRITERS 4
/* How long the writers run, all at once. Not a synchronisation: the span
 * over which they compete. A loop that lasts this long is preempted and
 * runs beside the others, so unguarded increments get lost. */
#define WRITE_SECONDS 0.5

/* Increments until told to stop; says how many calls succeeded. */
static int writer(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    if (ps_attach(&h, io->name) == -1)
        return kid_say(io, 1, "ps_attach failed: %s", lab_errno_name(errno));
    kid_say(io, 0, "A");
    if (kid_command(io) != 'g')
        return 2;
    struct pollfd stop = {.fd = io->cmd, .events = POLLIN};
    long done = 0;
    for (;;) {
        if (ps_increment(&h) == -1)
            return kid_say(io, 1, "ps_increment failed: %s",
                           lab_errno_name(errno));
        done++;
        if (done % 1024 == 0 && poll(&stop, 1, 0) == 1)
            break;
    }
    ps_close(&h);
    return kid_say(io, 0, "D %ld", done);
}

LAB_TEST_TIMEOUT(writers, several_writers_lose_no_increment, 7, 20.0)
{
    const char *name = lab_name("count");
    struct ps_handle h;
    must_create(&h, name);
    struct kid k[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        kid_start(&k[i], writer, name, NULL, i);
        const char *line = kid_line(&k[i], 5.0);
        lab_assert(strcmp(line, "A") == 0, NOTE("attaching"),
                   "writer %d: ps_attach\n  expected: success\n  got:      "
                   "%s", i, kid_said(&k[i], line));
    }
    for (int i = 0; i < WRITERS; i++)
        kid_send(&k[i], 'g');
    struct timespec span = {0, (long)(WRITE_SECONDS * 1e9)};
    while (nanosleep(&span, &span) == -1 && errno == EINTR)
        ;
    for (int i = 0; i < WRITERS; i++)
        kid_send(&k[i], 's');
    unsigned long want = 0;
    for (int i = 0; i < WRITERS; i++) {
        const char *line = kid_line(&k[i], 10.0);
        long done = 0;
        lab_assert(sscanf(line, "D %ld", &done) == 1,
                   NOTE("one-lock-for-every-access"),
                   "writer %d of %d, calling ps_increment in a loop\n  "
                   "expected: it stops when told and says how many calls it "
                   "made\n  got:      %s\n  likely:   a mutex that is not "
                   "PTHREAD_PROCESS_SHARED: a waiter in one process is never "
                   "woken by an unlock in another", i, WRITERS,
                   kid_said(&k[i], line));
        want += (unsigned long)done;
    }
    unsigned long got = h.shm->counter;
    lab_assert(got == want, NOTE("one-lock-for-every-access"),
               "%d writer processes calling ps_increment for %.1f s, all at "
               "once\n  expected: counter %lu, the calls they made\n  got:  "
               "    %lu (%ld increments lost)\n  likely:   counter++ without "
               "the lock: two processes load the same value and both store "
               "value + 1", WRITERS, WRITE_SECONDS, want, got,
               (long)(want - got));
    ps_close(&h);
}

/* ---- a waiter in another process ------------------------------------- */

/* Attaches, then calls ps_increment once, which must wait while the test
 * holds the lock; says when it got through. */
static int blocked_writer(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    if (ps_attach(&h, io->name) == -1)
        return kid_say(io, 1, "ps_attach failed: %s", lab_errno_name(errno));
    kid_say(io, 0, "A");
    if (kid_command(io) != 'g')
        return 2;
    if (ps_increment(&h) == -1)
        return kid_say(io, 1, "ps_increment failed: %s",
                       lab_errno_name(errno));
    kid_say(io, 0, "I");
    ps_close(&h);
    return 0;
}

/* The lock only guards anything if a process that waits for it is woken
 * when another process gives it back. A mutex that is not process-shared
 * still excludes (the lock word is in shared memory), but its waiter
 * sleeps on a futex private to its own process, which an unlock in
 * another process never wakes. */
LAB_TEST_TIMEOUT(writers, a_waiter_in_another_process_is_woken_by_the_unlock, 5, 20.0)
{
    const char *name = lab_name("woken");
    struct ps_handle h;
    must_create(&h, name);
    struct kid k;
    kid_start(&k, blocked_writer, name, NULL, 0);
    const char *line = kid_line(&k, 5.0);
    lab_assert(strcmp(line, "A") == 0, NOTE("attaching"),
               "a writer process: ps_attach\n  expected: success\n  got:    "
               "  %s", kid_said(&k, line));
    /* The test holds the lock itself, as a writer in the middle of an
     * update would. */
    cr_assert(pthread_mutex_lock(&h.shm->lock) == 0,
              "grader: could not take the object's lock");
    kid_send(&k, 'g');
    /* Asleep in the kernel on the lock: /proc shows a blocked futex call
     * only once the waiter has gone to sleep on it. */
    const long futex[] = {SYS_futex};
    int asleep = lab_wait_in_syscall(k.pid, futex, 1, 5.0);
    if (!asleep)
        line = kid_line(&k, 0.5);
    if (!asleep)
        pthread_mutex_unlock(&h.shm->lock);
    lab_assert(asleep, NOTE("one-lock-for-every-access"),
               "the test holds the lock; a writer process calls "
               "ps_increment\n  expected: it waits for the lock (asleep in "
               "futex)\n  got:      %s\n  likely:   ps_increment must take "
               "the lock, and wait while another process holds it",
               line[0] ? lab_fmt("it did not wait: %s",
                                 lab_quote(line, (long)strlen(line)))
                       : "it was never seen waiting");
    cr_assert(pthread_mutex_unlock(&h.shm->lock) == 0,
              "grader: could not give the lock back");
    line = kid_line(&k, 5.0);
    lab_assert(strcmp(line, "I") == 0, NOTE("one-lock-for-every-access"),
               "a writer process waits in ps_increment while the test holds "
               "the lock; the test unlocks\n  expected: its ps_increment "
               "returns at once\n  got:      %s\n  likely:   the mutex is not"
               " PTHREAD_PROCESS_SHARED: its waiter sleeps on a futex private"
               " to its process, which an unlock in another process never "
               "wakes. Initialise it with a pthread_mutexattr_t set to "
               "PTHREAD_PROCESS_SHARED", kid_said(&k, line));
    lab_assert(kid_ok(&k, 5.0) && h.shm->counter == 1,
               NOTE("one-lock-for-every-access"),
               "expected: the writer closes and exits 0, counter 1\n  got:"
               "      counter %lu", h.shm->counter);
    ps_close(&h);
}

/* ---- teardown ------------------------------------------------------------ */

static int leaving_subscriber(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    if (ps_attach(&h, io->name) == -1)
        return kid_say(io, 1, "ps_attach failed: %s", lab_errno_name(errno));
    if (ps_subscribe(&h, io->qname) == -1)
        return kid_say(io, 1, "ps_subscribe failed: %s",
                       lab_errno_name(errno));
    kid_say(io, 0, "R %d", h.slot);
    if (kid_command(io) != 'q')
        return 2;
    if (ps_close(&h) == -1)
        return kid_say(io, 1, "ps_close failed: %s", lab_errno_name(errno));
    kid_say(io, 0, "Q");
    kid_command(io);
    return 0;
}

LAB_TEST(teardown, each_process_removes_what_it_owns, 5)
{
    const char *name = lab_name("owner");
    const char *qname = lab_name("subq");
    struct ps_handle h;
    must_create(&h, name);
    struct kid k;
    kid_start(&k, leaving_subscriber, name, qname, 0);
    const char *line = kid_line(&k, 5.0);
    int slot = -1;
    lab_assert(sscanf(line, "R %d", &slot) == 1 && slot >= 0 &&
                   slot < PS_MAX_SUBSCRIBERS, NOTE("subscribing"),
               "a subscriber process: ps_attach, ps_subscribe\n  expected: "
               "both succeed, and a slot 0..%d\n  got:      %s",
               PS_MAX_SUBSCRIBERS - 1, kid_said(&k, line));
    lab_assert(lab_queue_exists(qname) &&
                   strcmp(h.shm->subscribers[slot], qname) == 0,
               NOTE("subscribing"),
               "after ps_subscribe\n  expected: the queue %s exists, and slot"
               " %d holds its name\n  got:      queue %s, slot holds %s",
               qname, slot, lab_queue_exists(qname) ? "exists" : "missing",
               lab_quote(h.shm->subscribers[slot],
                         (long)strnlen(h.shm->subscribers[slot], PS_NAME_MAX)));
    kid_send(&k, 'q');
    line = kid_line(&k, 5.0);
    lab_assert(strcmp(line, "Q") == 0, NOTE("teardown-by-each-owner"),
               "the subscriber's ps_close\n  expected: 0\n  got:      %s",
               kid_said(&k, line));
    lab_assert(!lab_queue_exists(qname), NOTE("teardown-by-each-owner"),
               "after the subscriber's ps_close\n  expected: its queue %s "
               "removed (the subscriber owns it)\n  got:      it still exists",
               qname);
    lab_assert(h.shm->subscribers[slot][0] == '\0', NOTE("teardown-by-each-owner"),
               "after the subscriber's ps_close\n  expected: its slot free "
               "again\n  got:      slot %d holds %s", slot,
               lab_quote(h.shm->subscribers[slot],
                         (long)strnlen(h.shm->subscribers[slot], PS_NAME_MAX)));
    lab_assert(lab_shm_exists(name), NOTE("teardown-by-each-owner"),
               "after the subscriber's ps_close\n  expected: the object still "
               "exists (the subscriber does not own it)\n  got:      it was "
               "removed");
    kid_send(&k, 'x');
    lab_assert(kid_ok(&k, 5.0), NOTE("teardown-by-each-owner"),
               "expected: the subscriber exits 0");

    /* A handle of this process too, attached and closed again: its
     * mapping must go (only munmap removes one). */
    struct ps_handle a;
    lab_assert_ok(ps_attach(&a, name), NOTE("attaching"),
                  "ps_attach in the owner's process");
    lab_assert(probe_mappings(name) == 2, NOTE("attaching"),
               "the owner's handle and an attached one\n  expected: 2 "
               "mappings of the object in this process\n  got:      %d",
               probe_mappings(name));
    lab_assert_ok(ps_close(&a), NOTE("teardown-by-each-owner"),
                  "ps_close of a handle that is not the owner");
    lab_assert(probe_mappings(name) == 1 && a.shm == NULL &&
                   lab_shm_exists(name), NOTE("teardown-by-each-owner"),
               "after ps_close of an attached handle\n  expected: its "
               "mapping gone (1 left, the owner's), shm NULL, the object "
               "still there\n  got:      %d mappings, shm %p, object %s\n  "
               "likely:   ps_close must munmap: the mapping outlives every "
               "descriptor and keeps the memory", probe_mappings(name),
               (void *)a.shm, lab_shm_exists(name) ? "there" : "removed");

    errno = 0;
    int rc = ps_close(&h);
    lab_assert(rc == 0, NOTE("teardown-by-each-owner"),
               "the owner's ps_close\n  expected: 0\n  got:      %d, errno %s",
               rc, lab_errno_name(errno));
    lab_assert(!lab_shm_exists(name) && h.shm == NULL,
               NOTE("teardown-by-each-owner"),
               "after the owner's ps_close\n  expected: the object's name "
               "removed, shm NULL\n  got:      the name %s, shm %p\n  likely:"
               "   munmap and close never remove a shm object: only "
               "shm_unlink does", lab_shm_exists(name) ? "still there"
                                                       : "removed",
               (void *)h.shm);
    lab_assert(probe_mappings(name) == 0, NOTE("teardown-by-each-owner"),
               "after the owner's ps_close\n  expected: no mapping of the "
               "object left in this process\n  got:      %d\n  likely:   "
               "ps_close must munmap: without it the memory stays, name or "
               "not", probe_mappings(name));
}

/* ---- bonus: a writer dies holding the lock ----------------------------- */

static int dies_holding_the_lock(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    if (ps_attach(&h, io->name) == -1)
        return kid_say(io, 1, "ps_attach failed");
    /* The test's own lock call: a writer in the middle of an update. */
    if (pthread_mutex_lock(&h.shm->lock) != 0)
        return kid_say(io, 1, "pthread_mutex_lock failed");
    kid_say(io, 0, "L");
    _exit(0);   /* dies holding it */
}

static int increments_twice(void *arg)
{
    const struct kid_io *io = arg;
    struct ps_handle h;
    if (ps_attach(&h, io->name) == -1)
        return kid_say(io, 1, "ps_attach failed: %s", lab_errno_name(errno));
    for (int i = 0; i < 2; i++)
        if (ps_increment(&h) == -1)
            return kid_say(io, 1, "ps_increment %d failed: %s", i + 1,
                           lab_errno_name(errno));
    ps_close(&h);
    return kid_say(io, 0, "OK");
}

LAB_TEST_TIMEOUT(bonus, writers_recover_when_one_dies_holding_the_lock, 10, 15.0)
{
    const char *name = lab_name("dead");
    struct ps_handle h;
    must_create(&h, name);
    struct kid dead, next;
    kid_start(&dead, dies_holding_the_lock, name, NULL, 0);
    const char *line = kid_line(&dead, 5.0);
    cr_assert(strcmp(line, "L") == 0, "grader: the dying writer did not "
              "lock: %s", line);
    cr_assert(kid_ok(&dead, 5.0), "grader: the dying writer did not exit");

    kid_start(&next, increments_twice, name, NULL, 1);
    line = kid_line(&next, 5.0);
    lab_assert(strcmp(line, "OK") == 0, NOTE("when-a-writer-dies-holding-the-lock"),
               "a writer process died holding the lock; another then calls "
               "ps_increment twice\n  expected: both succeed\n  got:      %s"
               "\n  likely:   %s", kid_said(&next, line),
               !line[0] ? "the mutex is not robust: the lock is held forever"
               : strstr(line, "ENOTRECOVERABLE")
                   ? "EOWNERDEAD was taken as success without "
                     "pthread_mutex_consistent: the unlock made the mutex "
                     "unusable"
                   : "a lock returning EOWNERDEAD is locked: make it "
                     "consistent and go on");
    lab_assert_ok(ps_increment(&h), NOTE("when-a-writer-dies-holding-the-lock"),
                  "ps_increment in the test process afterwards");
    lab_assert(h.shm->counter == 3, NOTE("when-a-writer-dies-holding-the-lock"),
               "expected: counter 3\n  got:      %lu", h.shm->counter);
    ps_close(&h);
}
