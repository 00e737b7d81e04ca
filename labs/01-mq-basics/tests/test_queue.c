/* test_queue.c - lab 01: the library functions of mq_basics.h. */
#include "lab_test.h"
#include "lab_fault.h"
#include "mq_basics.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTE(anchor) "01-mq-basics.md#" anchor

static mqd_t must_create(const char *name, long maxmsg, long msgsize)
{
    mqd_t q = mqb_create(name, maxmsg, msgsize);
    lab_assert_ok(q, NOTE("creating-a-queue"),
                  "mqb_create(\"%s\", %ld, %ld)", name, maxmsg, msgsize);
    return q;
}

static int access_mode(mqd_t q)
{
    return fcntl(q, F_GETFL) & O_ACCMODE;
}

static const char *mode_name(int mode)
{
    return mode == O_RDONLY ? "O_RDONLY" : mode == O_WRONLY ? "O_WRONLY"
         : mode == O_RDWR   ? "O_RDWR"   : "not a descriptor";
}

LAB_TEST(queue, create_makes_a_queue_with_the_requested_sizes, 4)
{
    const char *name = lab_name("sizes");
    mqd_t q = must_create(name, 5, 128);
    struct mq_attr attr;
    lab_assert_ok(mq_getattr(q, &attr), NOTE("creating-a-queue"),
                  "mq_getattr on the descriptor mqb_create returned");
    lab_assert(attr.mq_maxmsg == 5 && attr.mq_msgsize == 128,
               NOTE("sizes-and-their-limits"),
               "mqb_create(\"%s\", 5, 128)\n  expected: mq_maxmsg 5, "
               "mq_msgsize 128\n  got:      mq_maxmsg %ld, mq_msgsize %ld\n"
               "  likely:   the struct mq_attr was not passed to mq_open "
               "(NULL gives the defaults 10 and 8192)",
               name, attr.mq_maxmsg, attr.mq_msgsize);
    lab_assert(access_mode(q) == O_RDWR, NOTE("creating-a-queue"),
               "expected: the new queue open for sending and receiving "
               "(O_RDWR)\n  got:      %s", mode_name(access_mode(q)));
}

LAB_TEST(queue, create_gives_the_queue_permissions_0660, 4)
{
    const char *name = lab_name("mode");
    mode_t old = umask(0);  /* the umask would hide the mode asked for */
    mqd_t q = must_create(name, 2, 16);
    umask(old);
    struct stat st;
    /* On Linux an mqd_t is a descriptor of a file in the mqueue fs. */
    lab_assert_ok(fstat(q, &st), NOTE("creating-a-queue"), "fstat on the queue");
    lab_assert((st.st_mode & 0777) == 0660, NOTE("creating-a-queue"),
               "expected: permissions 0660 (MQB_MODE)\n  got:      %04o\n"
               "  likely:   the mode argument of mq_open is wrong or missing",
               (unsigned)(st.st_mode & 0777));
}

LAB_TEST(queue, create_refuses_a_name_that_exists, 4)
{
    const char *name = lab_name("excl");
    must_create(name, 2, 16);
    errno = 0;
    lab_assert_fails_with(mqb_create(name, 2, 16), EEXIST, NOTE("creating-a-queue"),
                          "mqb_create on a name that already exists");
}

LAB_TEST(queue, create_reports_bad_names_and_sizes_through_errno, 4)
{
    errno = 0;
    lab_assert_fails_with(mqb_create("ipclab-no-slash", 2, 16), EINVAL,
                          NOTE("names"), "mqb_create(\"ipclab-no-slash\", 2, 16)");
    const char *name = lab_name("zero");
    errno = 0;
    lab_assert_fails_with(mqb_create(name, 0, 16), EINVAL,
                          NOTE("sizes-and-their-limits"),
                          "mqb_create(\"%s\", 0, 16): a queue needs room for "
                          "at least one message", name);
    errno = 0;
    lab_assert_fails_with(mqb_create(name, 2, 0), EINVAL,
                          NOTE("sizes-and-their-limits"),
                          "mqb_create(\"%s\", 2, 0)", name);
}

LAB_TEST(queue, reader_and_writer_open_an_existing_queue_one_way, 4)
{
    const char *name = lab_name("oneway");
    must_create(name, 2, 32);
    mqd_t r = mqb_open_reader(name);
    lab_assert_ok(r, NOTE("opening-an-existing-queue"),
                  "mqb_open_reader(\"%s\") on an existing queue", name);
    mqd_t w = mqb_open_writer(name);
    lab_assert_ok(w, NOTE("opening-an-existing-queue"),
                  "mqb_open_writer(\"%s\") on an existing queue", name);
    lab_assert(access_mode(r) == O_RDONLY, NOTE("opening-an-existing-queue"),
               "expected: mqb_open_reader opens O_RDONLY\n  got:      %s",
               mode_name(access_mode(r)));
    lab_assert(access_mode(w) == O_WRONLY, NOTE("opening-an-existing-queue"),
               "expected: mqb_open_writer opens O_WRONLY\n  got:      %s",
               mode_name(access_mode(w)));
    lab_assert_ok(mq_send(w, "x", 2, 0), NOTE("opening-an-existing-queue"),
                  "mq_send on the writer's descriptor");
    char buf[32];
    lab_assert(mq_receive(r, buf, sizeof buf, NULL) == 2,
               NOTE("opening-an-existing-queue"),
               "expected: the reader receives what the writer sent\n  got:"
               "      nothing (are they the same queue?)");
}

LAB_TEST(queue, opening_a_missing_queue_fails_with_enoent, 4)
{
    const char *name = lab_name("missing");
    errno = 0;
    lab_assert_fails_with(mqb_open_reader(name), ENOENT,
                          NOTE("opening-an-existing-queue"),
                          "mqb_open_reader(\"%s\") where no queue exists", name);
    errno = 0;
    lab_assert_fails_with(mqb_open_writer(name), ENOENT,
                          NOTE("opening-an-existing-queue"),
                          "mqb_open_writer(\"%s\") where no queue exists", name);
    lab_assert(!lab_queue_exists(name), NOTE("opening-an-existing-queue"),
               "expected: opening must not create the queue\n  got:      "
               "%s exists now\n  likely:   O_CREAT in the open flags", name);
}

LAB_TEST(queue, a_text_message_round_trips_with_its_nul, 4)
{
    const char *name = lab_name("text");
    mqd_t q = must_create(name, 4, 64);
    lab_assert_ok(mqb_send_text(q, "hello"), NOTE("sending-and-receiving"),
                  "mqb_send_text(q, \"hello\")");
    char raw[64];
    memset(raw, 'X', sizeof raw);
    ssize_t n = mq_receive(q, raw, sizeof raw, NULL);
    lab_assert(n == 6 && memcmp(raw, "hello", 6) == 0, NOTE("sending-and-receiving"),
               "mqb_send_text(q, \"hello\")\n  expected: a 6-byte message "
               "\"hello\\0\"\n  got:      %zd bytes %s\n  likely:   sent "
               "strlen(text) bytes, without the '\\0'", n, lab_quote(raw, n));

    lab_assert_ok(mqb_send_text(q, "world"), NOTE("sending-and-receiving"),
                  "mqb_send_text(q, \"world\")");
    char out[64];
    memset(out, 'X', sizeof out);
    unsigned blocks = lab_fault_live_blocks();
    n = mqb_receive_text(q, out, sizeof out);
    lab_assert_ok(n, NOTE("the-receive-buffer"), "mqb_receive_text(q, out, 64)");
    lab_assert(lab_fault_live_blocks() == blocks, NOTE("the-receive-buffer"),
               "mqb_receive_text(q, out, 64) that succeeded\n  expected: "
               "everything it allocated freed before it returns\n  got:"
               "      %u block(s) still allocated\n  likely:   the receive "
               "buffer is not freed once the message is copied into out",
               lab_fault_live_blocks() - blocks);
    lab_assert(n == 6 && strcmp(out, "world") == 0, NOTE("sending-and-receiving"),
               "mqb_receive_text after sending \"world\"\n  expected: 6 and "
               "\"world\"\n  got:      %zd and %s", n,
               lab_quote(out, (long)strnlen(out, sizeof out)));
}

LAB_TEST(queue, receive_text_works_with_a_buffer_smaller_than_msgsize, 4)
{
    const char *name = lab_name("small");
    mqd_t q = must_create(name, 4, 256);
    lab_assert_ok(mq_send(q, "short", 5, 0), NOTE("the-receive-buffer"),
                  "mq_send");
    char out[16];
    memset(out, 'X', sizeof out);
    ssize_t n = mqb_receive_text(q, out, sizeof out);
    lab_assert_ok(n, NOTE("the-receive-buffer"),
                  "mqb_receive_text(q, out, 16) on a queue whose mq_msgsize "
                  "is 256, holding the 5-byte message \"short\" (no '\\0')");
    lab_assert(n == 5 && strcmp(out, "short") == 0, NOTE("the-receive-buffer"),
               "mqb_receive_text of a 5-byte message without '\\0'\n  "
               "expected: 5 and \"short\" (ended with '\\0' by your code)\n"
               "  got:      %zd and %s", n,
               lab_quote(out, (long)strnlen(out, sizeof out)));

    const char *longer = "a message much longer than sixteen bytes";
    lab_assert_ok(mqb_send_text(q, longer), NOTE("sending-and-receiving"),
                  "mqb_send_text of %zu bytes", strlen(longer) + 1);
    memset(out, 'X', sizeof out);
    n = mqb_receive_text(q, out, sizeof out);
    lab_assert((size_t)n == strlen(longer) + 1 &&
                   strncmp(out, longer, 15) == 0 && out[15] == '\0',
               NOTE("the-receive-buffer"),
               "mqb_receive_text(q, out, 16) of a %zu-byte message\n  "
               "expected: %zu, and out holding its first 15 bytes and '\\0'\n"
               "  got:      %zd and %s", strlen(longer) + 1,
               strlen(longer) + 1, n, lab_quote(out, 16));
}

LAB_TEST(queue, the_wrong_direction_fails_with_ebadf, 4)
{
    const char *name = lab_name("ebadf");
    must_create(name, 2, 32);
    mqd_t w = mqb_open_writer(name);
    lab_assert_ok(w, NOTE("opening-an-existing-queue"), "mqb_open_writer");
    mqd_t r = mqb_open_reader(name);
    lab_assert_ok(r, NOTE("opening-an-existing-queue"), "mqb_open_reader");
    char out[32];
    errno = 0;
    lab_assert_fails_with(mqb_receive_text(w, out, sizeof out), EBADF,
                          NOTE("errors-and-errno"),
                          "mqb_receive_text on a descriptor open O_WRONLY");
    errno = 0;
    lab_assert_fails_with(mqb_send_text(r, "x"), EBADF, NOTE("errors-and-errno"),
                          "mqb_send_text on a descriptor open O_RDONLY");
}

LAB_TEST(queue, a_message_longer_than_msgsize_fails_with_emsgsize, 4)
{
    const char *name = lab_name("toolong");
    mqd_t q = must_create(name, 2, 8);
    lab_assert_ok(mqb_send_text(q, "1234567"), NOTE("sizes-and-their-limits"),
                  "mqb_send_text of 8 bytes (7 and '\\0') when mq_msgsize is "
                  "8: up to and including mq_msgsize is allowed");
    errno = 0;
    lab_assert_fails_with(mqb_send_text(q, "12345678"), EMSGSIZE,
                          NOTE("sizes-and-their-limits"),
                          "mqb_send_text of 9 bytes when mq_msgsize is 8");
}

LAB_TEST(queue, pending_counts_the_waiting_messages, 4)
{
    const char *name = lab_name("pending");
    mqd_t q = must_create(name, 4, 32);
    long n = mqb_pending(q);
    lab_assert(n == 0, NOTE("inspecting-a-queue"),
               "mqb_pending on a new queue\n  expected: 0\n  got:      %ld", n);
    lab_assert_ok(mq_send(q, "a", 2, 0), NOTE("inspecting-a-queue"), "mq_send");
    lab_assert_ok(mq_send(q, "b", 2, 0), NOTE("inspecting-a-queue"), "mq_send");
    n = mqb_pending(q);
    lab_assert(n == 2, NOTE("inspecting-a-queue"),
               "mqb_pending after two sends\n  expected: 2\n  got:      %ld", n);
    errno = 0;
    lab_assert_fails_with(mqb_pending((mqd_t)-1), EBADF, NOTE("errors-and-errno"),
                          "mqb_pending((mqd_t)-1)");
}

LAB_TEST(queue, destroy_removes_the_name_but_not_the_open_queue, 4)
{
    const char *name = lab_name("destroy");
    mqd_t q = must_create(name, 2, 32);
    lab_assert_ok(mq_send(q, "kept", 5, 0), NOTE("closing-and-removing"), "mq_send");
    unsigned blocks = lab_fault_live_blocks();
    lab_assert_ok(mqb_destroy(name), NOTE("closing-and-removing"),
                  "mqb_destroy(\"%s\")", name);
    lab_assert(lab_fault_live_blocks() == blocks, NOTE("cleaning-up"),
               "mqb_destroy(\"%s\")\n  expected: nothing left allocated "
               "when it returns\n  got:      %u block(s) allocated and not "
               "freed", name, lab_fault_live_blocks() - blocks);
    lab_assert(!lab_queue_exists(name), NOTE("closing-and-removing"),
               "expected: after mqb_destroy the name %s is gone\n  got:      "
               "it still opens\n  likely:   mq_unlink was not called", name);
    char buf[32];
    lab_assert(mq_receive(q, buf, sizeof buf, NULL) == 5, NOTE("closing-and-removing"),
               "expected: a descriptor opened before mqb_destroy still "
               "works\n  got:      mq_receive failed: %s",
               lab_errno_name(errno));
    errno = 0;
    lab_assert_fails_with(mqb_destroy(name), ENOENT, NOTE("closing-and-removing"),
                          "mqb_destroy of a name already removed");
}
