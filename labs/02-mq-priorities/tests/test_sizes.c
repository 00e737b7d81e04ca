/* test_sizes.c - lab 02: the range of priorities, message lengths up to
 * mq_msgsize, the receive buffer, zero-length and binary messages. */
#include "helpers.h"

#include <stdlib.h>

LAB_TEST(limits, highest_priority_is_accepted_and_one_more_is_einval, 5)
{
    long prio_max = sysconf(_SC_MQ_PRIO_MAX);
    cr_assert(prio_max > 0, "grader: sysconf(_SC_MQ_PRIO_MAX) failed");
    unsigned top = (unsigned)(prio_max - 1);
    mqd_t q = make_queue(lab_name("range"), 4, 16);

    send_ok(q, "low", 3, 0, N_RANGE);
    lab_assert_ok(prio_send(q, "top", 3, top), N_RANGE,
                  "prio_send(q, \"top\", 3, %u): sysconf(_SC_MQ_PRIO_MAX) - 1 "
                  "is the highest valid priority (POSIX guarantees only 31, "
                  "Linux allows %u)", top, top);
    errno = 0;
    lab_assert_fails_with(prio_send(q, "over", 4, top + 1), EINVAL, N_RANGE,
                          "prio_send(q, \"over\", 4, %u): one above the highest "
                          "priority", top + 1);
    struct prio_msg m = receive_ok(q, "the first of \"low\" (0) and \"top\" "
                                   "(highest)", N_RANGE);
    int is_top = m.len == 3 && memcmp(m.data, "top", 3) == 0 && m.prio == top;
    const char *got = lab_fmt("%s with priority %u",
                              lab_quote(m.data, (long)m.len), m.prio);
    prio_msg_free(&m);
    lab_assert(is_top, N_RANGE,
               "sent \"low\" with priority 0, then \"top\" with %u\n  "
               "expected: \"top\" with priority %u first\n  got:      %s",
               top, top, got);
    lab_assert(pending(q) == 1, N_RANGE,
               "expected: the refused message is not in the queue\n  got:"
               "      %ld messages left instead of 1", pending(q));
}

LAB_TEST(limits, message_of_exactly_msgsize_is_accepted_and_one_more_is_emsgsize, 5)
{
    mqd_t q = make_queue(lab_name("exact"), 2, 64);
    char full[65];
    for (int i = 0; i < 65; i++)
        full[i] = (char)('A' + i % 26);
    lab_assert_ok(prio_send(q, full, 64, 1), N_SIZES,
                  "prio_send of 64 bytes when mq_msgsize is 64: up to and "
                  "including mq_msgsize is allowed");
    errno = 0;
    lab_assert_fails_with(prio_send(q, full, 65, 1), EMSGSIZE, N_SIZES,
                          "prio_send of 65 bytes when mq_msgsize is 64");
    struct prio_msg m = receive_ok(q, "a message of exactly mq_msgsize (64) "
                                   "bytes", N_BUFFER);
    int same = m.len == 64 && memcmp(m.data, full, 64) == 0;
    const char *got = lab_fmt("%zu bytes %s", m.len,
                              lab_quote(m.data, (long)m.len));
    prio_msg_free(&m);
    lab_assert(same, N_SIZES,
               "a 64-byte message in a queue whose mq_msgsize is 64\n  "
               "expected: 64 bytes %s\n  got:      %s", lab_quote(full, 64),
               got);
}

LAB_TEST(limits, short_message_is_received_from_a_queue_with_large_msgsize, 5)
{
    mqd_t q = make_queue(lab_name("large"), 2, 8192);
    send_ok(q, "hi", 2, 1, N_BUFFER);
    send_ok(q, "!", 1, 0, N_BUFFER);
    const char *texts[] = {"hi", "!"};
    for (int i = 0; i < 2; i++) {
        struct prio_msg m = {.data = NULL};
        errno = 0;
        int r = prio_receive(q, &m);
        int saved = errno;
        lab_assert(r == 0, N_BUFFER,
                   "prio_receive of the %zu-byte message %s from a queue "
                   "whose mq_msgsize is 8192\n  expected: 0\n  got:      %d, "
                   "errno %s\n  likely:   %s", strlen(texts[i]),
                   lab_quote(texts[i], (long)strlen(texts[i])), r,
                   lab_errno_name(saved),
                   saved == EMSGSIZE
                       ? "the buffer given to mq_receive is smaller than "
                         "mq_msgsize (8192); it must be at least that large "
                         "however short the message is, with no byte "
                         "kept back for a '\\0'"
                       : lab_errno_hint(saved));
        int same = m.len == strlen(texts[i]) &&
                   memcmp(m.data, texts[i], m.len) == 0;
        const char *got = lab_quote(m.data, (long)m.len);
        prio_msg_free(&m);
        lab_assert(same, N_BUFFER, "expected: %s\n  got:      %s",
                   lab_quote(texts[i], (long)strlen(texts[i])), got);
    }
}

LAB_TEST(payload, zero_length_message_round_trips, 5)
{
    mqd_t q = make_queue(lab_name("zero"), 4, 32);
    char nothing = 'Z';
    lab_assert_ok(prio_send(q, &nothing, 0, 2), N_ZERO,
                  "prio_send(q, data, 0, 2): a zero-length message is valid");
    send_ok(q, "after", 5, 1, N_ZERO);
    struct prio_msg m = receive_ok(q, "a zero-length message", N_ZERO);
    size_t len = m.len;
    unsigned prio = m.prio;
    prio_msg_free(&m);
    lab_assert(len == 0 && prio == 2, N_ZERO,
               "sent a zero-length message with priority 2, then \"after\" "
               "with 1\n  expected: first a message of length 0, priority 2\n"
               "  got:      length %zu, priority %u", len, prio);
    m = receive_ok(q, "the message after the zero-length one", N_ZERO);
    int same = m.len == 5 && memcmp(m.data, "after", 5) == 0;
    const char *got = lab_quote(m.data, (long)m.len);
    prio_msg_free(&m);
    lab_assert(same, N_ZERO, "expected: \"after\" next\n  got:      %s", got);
}

LAB_TEST(payload, binary_payload_round_trips_byte_for_byte, 5)
{
    mqd_t q = make_queue(lab_name("binary"), 4, 32);
    /* '\0' first, '\0' inside, no '\0' at the end, bytes above 127. */
    static const unsigned char blob[] = {0x00, 'a', 0xff, 0x00, 0x80,
                                         '\n', 0x01, 'z', 0x7f, 0xfe};
    lab_assert_ok(prio_send(q, blob, sizeof blob, 3), N_BINARY,
                  "prio_send of %zu binary bytes", sizeof blob);
    struct prio_msg m = receive_ok(q, "a binary message", N_BINARY);
    int same = m.len == sizeof blob && memcmp(m.data, blob, sizeof blob) == 0;
    const char *got = lab_fmt("%zu bytes %s", m.len,
                              lab_quote(m.data, (long)(m.len < 64 ? m.len : 64)));
    prio_msg_free(&m);
    lab_assert(same, N_BINARY,
               "a message of %zu bytes starting with '\\0'\n  expected: %zu "
               "bytes %s\n  got:      %s\n  likely:   a string function "
               "(strlen, strcpy, strdup, strndup) stops at the first '\\0'; "
               "copy with memcpy and the length mq_receive returned",
               sizeof blob, sizeof blob, lab_quote(blob, sizeof blob), got);
}
