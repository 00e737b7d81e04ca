/* test_board.c - lab 05: a list of strings in shared memory, linked by
 * offsets so that any mapping, at any address, can read it. */
#include "lab_test.h"
#include "shm_mapping.h"

#include "lab_handshake.h"

#include <signal.h>
#include <stdalign.h>
#include <string.h>
#include <sys/wait.h>

#define NOTE(anchor) "05-shm-mapping.md#" anchor

#define BOARD 256          /* the board's size in the first test */
#define GUARD 256          /* bytes after it that must stay untouched */
#define GUARD_BYTE 0xA5

static alignas(8) unsigned char area[BOARD + GUARD];

static void append_ok(void *base, size_t size, const char *text)
{
    errno = 0;
    int rc = board_append(base, size, text);
    int err = errno;
    lab_assert(rc == 0, NOTE("offsets-not-pointers"),
               "board_append(base, %zu, \"%s\")\n  expected: 0\n  got:      "
               "%d, errno %s", size, text, rc, lab_errno_name(err));
}

static void expect_entry(const void *base, size_t size, size_t i,
                         const char *want)
{
    errno = 0;
    const char *got = board_get(base, size, i);
    int err = errno;
    lab_assert(got != NULL && strcmp(got, want) == 0, NOTE("offsets-not-pointers"),
               "board_get(base, %zu, %zu)\n  expected: \"%s\"\n  got:      %s",
               size, i, want,
               got ? lab_quote(got, (long)strnlen(got, 200))
                   : lab_fmt("NULL with errno %s", lab_errno_name(err)));
}

/* The first byte after the board that is no longer GUARD_BYTE, or -1. */
static long damaged_guard(void)
{
    for (long i = 0; i < GUARD; i++)
        if (area[BOARD + i] != GUARD_BYTE)
            return i;
    return -1;
}

LAB_TEST(board, entries_read_back_in_order_until_the_board_is_full, 8)
{
    memset(area, 0, BOARD);
    memset(area + BOARD, GUARD_BYTE, GUARD);
    errno = 0;
    lab_assert_fails_with(board_append(area, BOARD, "x"), EINVAL,
                          NOTE("offsets-not-pointers"),
                          "board_append on zeroed memory, where board_init "
                          "never ran");
    errno = 0;
    lab_assert_fails_with(board_init(area, 8), EINVAL, NOTE("offsets-not-pointers"),
                          "board_init(base, 8): too small for the header");
    lab_assert_ok(board_init(area, BOARD), NOTE("offsets-not-pointers"),
                  "board_init(base, %d)", BOARD);
    errno = 0;
    const char *none = board_get(area, BOARD, 0);
    int err = errno;
    lab_assert(none == NULL && err == ENOENT, NOTE("offsets-not-pointers"),
               "board_get(base, %d, 0) on an empty board\n  expected: NULL "
               "with errno ENOENT\n  got:      %s", BOARD,
               none ? "a text" : lab_fmt("NULL with errno %s", lab_errno_name(err)));

    static const char *const words[] = {"alpha", "beta", "gamma"};
    for (size_t i = 0; i < 3; i++)
        append_ok(area, BOARD, words[i]);
    for (size_t i = 0; i < 3; i++)
        expect_entry(area, BOARD, i, words[i]);
    errno = 0;
    none = board_get(area, BOARD, 3);
    err = errno;
    lab_assert(none == NULL && err == ENOENT, NOTE("offsets-not-pointers"),
               "board_get(base, %d, 3) with 3 entries\n  expected: NULL with "
               "errno ENOENT\n  got:      %s", BOARD,
               none ? "a text" : lab_fmt("NULL with errno %s", lab_errno_name(err)));

    /* 40 header + 3 x 24 = 112 bytes used, 144 free. An entry of 130
     * characters needs 16 + 131 = 147, rounded up to 152: too big, though
     * its text alone (131) would fit. */
    char big[131];
    memset(big, 'b', 130);
    big[130] = '\0';
    errno = 0;
    int rc = board_append(area, BOARD, big);
    err = errno;
    long damage = damaged_guard();
    lab_assert(rc == -1 && err == ENOSPC && damage == -1, NOTE("room-on-the-board"),
               "board_append of a 130-character text with 144 of %d bytes "
               "free; the entry needs 16 + 131 bytes, rounded up to 152\n  "
               "expected: -1 with errno ENOSPC, nothing written past the "
               "board\n  got:      %d%s%s%s\n  likely:   the room check counts"
               " the text but not the struct board_entry before it", BOARD,
               rc, rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "",
               damage >= 0 ? ", and the bytes after the board were " : "",
               damage >= 0 ? lab_fmt("overwritten from byte %d on",
                                     BOARD + (int)damage) : "");

    /* 100 characters: 16 + 101 = 117, rounded up to 120 <= 144. */
    char fits[101];
    memset(fits, 'f', 100);
    fits[100] = '\0';
    append_ok(area, BOARD, fits);
    for (size_t i = 0; i < 3; i++)
        expect_entry(area, BOARD, i, words[i]);
    expect_entry(area, BOARD, 3, fits);
    lab_assert(damaged_guard() == -1, NOTE("room-on-the-board"),
               "expected: nothing written past base + %d\n  got:      byte %ld"
               " after the board was changed", BOARD, damaged_guard());
}

/* ---- the same board at another address --------------------------------- */

#define SHARED 4096

static const char *const shared_words[] = {"first", "second", "third"};

struct reader {
    const void *base;  /* the second mapping, the only one left */
    struct handshake hs;
};

/* Reads the board through the second mapping, in a child so that a
 * crash becomes a message rather than a lost test. */
static int read_elsewhere(void *arg)
{
    struct reader *rd = arg;
    hs_child_side(&rd->hs);
    int up = rd->hs.up[1];
    const char *lo = rd->base, *hi = lo + SHARED;
    for (size_t i = 0; i < 3; i++) {
        errno = 0;
        const char *t = board_get(rd->base, SHARED, i);
        if (t == NULL) {
            hs_say(up, "board_get(second mapping, %d, %zu) returned NULL with "
                   "errno %s", SHARED, i, lab_errno_name(errno));
            return 1;
        }
        if (t < lo || t >= hi) {
            hs_say(up, "board_get(second mapping, %d, %zu) returned %p, "
                   "outside the second mapping [%p, %p)", SHARED, i,
                   (const void *)t, (const void *)lo, (const void *)hi);
            return 2;
        }
        if (strcmp(t, shared_words[i]) != 0) {
            hs_say(up, "board_get(second mapping, %d, %zu) returned %s, "
                   "expected \"%s\"", SHARED, i,
                   lab_quote(t, (long)strnlen(t, 40)), shared_words[i]);
            return 3;
        }
    }
    hs_say(up, "ok");
    return 0;
}

LAB_TEST_TIMEOUT(board, entries_stay_readable_at_another_address, 10, 10.0)
{
    const char *name = lab_name("board");
    struct shm_region *a = shm_region_create(name, SHARED);
    lab_assert(a != NULL, NOTE("creating-and-sizing-an-object"),
               "shm_region_create(\"%s\", %d)\n  expected: a region\n  got:  "
               "    NULL with errno %s", name, SHARED, lab_errno_name(errno));
    lab_assert_ok(board_init(a->addr, SHARED), NOTE("offsets-not-pointers"),
                  "board_init on the region");
    for (size_t i = 0; i < 3; i++)
        append_ok(a->addr, SHARED, shared_words[i]);

    /* A second mapping of the same object, made while the first exists,
     * cannot be at the same address: it plays the other process. */
    struct shm_region *b = shm_region_open(name, SHARED, SHM_READ_ONLY);
    lab_assert(b != NULL, NOTE("opening-an-existing-object"),
               "shm_region_open(\"%s\", %d, SHM_READ_ONLY)\n  expected: a "
               "region\n  got:      NULL with errno %s", name, SHARED,
               lab_errno_name(errno));
    void *first_addr = a->addr;
    shm_region_close(a);

    static struct reader rd;
    rd.base = b->addr;
    cr_assert(hs_open(&rd.hs) == 0, "grader: pipe failed");
    pid_t pid = lab_spawn(read_elsewhere, &rd);
    hs_parent_side(&rd.hs);
    char line[1100];
    int ok = hs_expect(rd.hs.up[0], "ok", line, sizeof line, 5.0);
    int status = 0;
    int ended = lab_wait_pid(pid, 5.0, &status);
    lab_assert(ok, NOTE("offsets-not-pointers"),
               "wrote 3 entries through a mapping at %p, unmapped it, then "
               "read them through a second mapping of the same object at %p"
               "\n  expected: \"first\", \"second\", \"third\"\n  got:      %s"
               "\n  likely:   %s", first_addr, b->addr,
               line[0] ? line
               : ended ? lab_fmt("the reader %s", lab_describe_status(status))
                       : "no answer",
               ended && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV
                   ? "the board links its entries by address: those "
                     "addresses belong to the first mapping, which is gone "
                     "(in another process they would never have existed); "
                     "store offsets from the board's start"
               : line[0] && strstr(line, "outside")
                   ? "an address of the first mapping was stored in the "
                     "board; store offsets from the board's start"
                   : "MAP_PRIVATE: the board was written into a private copy"
                     " the second mapping never sees");
    shm_region_close(b);
}
