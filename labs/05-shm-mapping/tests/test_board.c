/* test_board.c - lab 05: a list of strings in shared memory, linked by
 * offsets so that any mapping, at any address, can read it. */
/* MAP_ANONYMOUS, for the guard pages around a board. */
#define _DEFAULT_SOURCE
#include "lab_test.h"
#include "shm_mapping.h"

#include "lab_handshake.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
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

LAB_TEST(board, entries_read_back_in_order_until_the_board_is_full, 5)
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

LAB_TEST_TIMEOUT(board, entries_stay_readable_at_another_address, 5, 10.0)
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

/* ---- a board nobody can trust ------------------------------------------
 * The board sits at the very end of a page whose next page (and the one
 * before) may not be touched: a read or write one byte past BASE + SIZE
 * kills the process with SIGSEGV, so it cannot go unnoticed. The cases
 * run in a child, which says what it tries before each: a crash then
 * names its case. */

#define GSIZE 512          /* the guarded board's size */

struct guarded {
    unsigned char *page;   /* the middle page of three, the only one usable */
    long pagesize;
    struct handshake hs;
};

static struct guarded gd;

/* Three anonymous pages, the outer two inaccessible. */
static void guard_pages(void)
{
    gd.pagesize = sysconf(_SC_PAGESIZE);
    cr_assert(gd.pagesize >= GSIZE, "grader: sysconf(_SC_PAGESIZE) failed");
    unsigned char *p = mmap(NULL, 3 * (size_t)gd.pagesize, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(p != MAP_FAILED, "grader: mmap failed: %s", strerror(errno));
    cr_assert(mprotect(p, (size_t)gd.pagesize, PROT_NONE) == 0 &&
                  mprotect(p + 2 * gd.pagesize, (size_t)gd.pagesize, PROT_NONE) == 0,
              "grader: mprotect failed: %s", strerror(errno));
    gd.page = p + gd.pagesize;
}

/* The SIZE bytes that end exactly where the inaccessible page begins. */
static unsigned char *board_at_end(size_t size)
{
    return gd.page + gd.pagesize - (long)size;
}

static size_t round8(size_t n)
{
    return (n + 7) / 8 * 8;
}

/* Lays out a board of N entries the way shm_mapping.h describes it, with
 * the test's own code, over bytes that are not zero: a correct reader
 * needs nothing but what the layout says. Returns the entries' offsets. */
static void lay_out(unsigned char *base, size_t size, const char *const *texts,
                    size_t n, uint64_t *offs)
{
    memset(base, 0x5A, size);
    struct board_header h = {BOARD_MAGIC, n, sizeof h, 0, 0};
    for (size_t i = 0; i < n; i++) {
        struct board_entry e = {0, strlen(texts[i])};
        offs[i] = h.used;
        memcpy(base + h.used, &e, sizeof e);
        memcpy(base + h.used + sizeof e, texts[i], e.len + 1);
        if (i > 0)
            memcpy(base + offs[i - 1], &offs[i], sizeof offs[i]);
        h.used += round8(sizeof e + e.len + 1);
    }
    h.first = n ? offs[0] : 0;
    h.last = n ? offs[n - 1] : 0;
    memcpy(base, &h, sizeof h);
}

/* Writes the 64-bit VALUE at offset OFF of BASE. */
static void poke(unsigned char *base, uint64_t off, uint64_t value)
{
    memcpy(base + off, &value, sizeof value);
}

#define H_COUNT offsetof(struct board_header, count)
#define H_USED offsetof(struct board_header, used)
#define H_FIRST offsetof(struct board_header, first)
#define H_LAST offsetof(struct board_header, last)
#define E_NEXT offsetof(struct board_entry, next)
#define E_LEN offsetof(struct board_entry, len)

/* board_get must give NULL with errno WANT, without touching anything
 * outside the board. Says what went wrong and returns 0 if not. */
static int get_fails(int up, const char *what, const void *base, size_t size,
                     size_t index, int want)
{
    hs_say(up, "trying: board_get(base, %zu, %zu) where %s", size, index, what);
    errno = 0;
    const char *t = board_get(base, size, index);
    int err = errno;
    if (t == NULL && err == want)
        return 1;
    const char *lo = base, *hi = lo + size;
    hs_say(up, "fail: board_get(base, %zu, %zu) where %s\n  expected: NULL "
           "with errno %s\n  got:      %s", size, index, what,
           lab_errno_name(want),
           t == NULL ? lab_fmt("NULL with errno %s", lab_errno_name(err))
           : t < lo || t >= hi ? lab_fmt("a pointer %td bytes from base, "
                                         "outside the board", t - lo)
                               : lab_fmt("a text at offset %td", t - lo));
    return 0;
}

/* board_get must give exactly WANT, inside the board. */
static int get_gives(int up, const char *what, const void *base, size_t size,
                     size_t index, const char *want)
{
    hs_say(up, "trying: board_get(base, %zu, %zu) where %s", size, index, what);
    errno = 0;
    const char *t = board_get(base, size, index);
    int err = errno;
    const char *lo = base, *hi = lo + size;
    if (t != NULL && t >= lo && t < hi &&
        (size_t)(hi - t) > strlen(want) && strcmp(t, want) == 0)
        return 1;
    hs_say(up, "fail: board_get(base, %zu, %zu) where %s\n  expected: %s\n"
           "  got:      %s", size, index, what, lab_quote(want, (long)strlen(want)),
           t == NULL ? lab_fmt("NULL with errno %s", lab_errno_name(err))
           : t < lo || t >= hi ? "a pointer outside the board"
                               : lab_quote(t, (long)strnlen(t, (size_t)(hi - t))));
    return 0;
}

static const char *const three[] = {"alpha", "beta", "gamma"};

static int corrupt_boards(void *arg)
{
    (void)arg;
    hs_child_side(&gd.hs);
    int up = gd.hs.up[1];
    const size_t n = GSIZE;
    unsigned char *b = board_at_end(n);
    uint64_t off[3];
#define RESET() lay_out(b, n, three, 3, off)
#define CHECK(call) do { if (!(call)) return 1; } while (0)

    RESET();
    for (size_t i = 0; i < 3; i++)
        CHECK(get_gives(up, "the board is sound", b, n, i, three[i]));
    CHECK(get_fails(up, "count is 3 and index is SIZE_MAX", b, n, SIZE_MAX, ENOENT));
    poke(b, 0, 0);
    CHECK(get_fails(up, "magic is 0 (no board)", b, n, 0, EINVAL));

    RESET();
    poke(b, H_FIRST, n);
    CHECK(get_fails(up, "first is SIZE (the entry starts at the end)", b, n, 0, EINVAL));
    RESET();
    poke(b, H_FIRST, n - 8);
    CHECK(get_fails(up, "first is SIZE - 8 (the entry's fields cross the end)",
                    b, n, 0, EINVAL));
    RESET();
    poke(b, H_FIRST, n - 16);
    poke(b, n - 16 + E_NEXT, 0);
    poke(b, n - 16 + E_LEN, 0);
    CHECK(get_fails(up, "first is SIZE - 16 with len 0 (the fields fit, the "
                    "text's '\\0' would be at BASE + SIZE)", b, n, 0, EINVAL));
    RESET();
    poke(b, H_FIRST, UINT64_MAX - 7);
    CHECK(get_fails(up, "first is 2^64 - 8 (OFF + 16 wraps around to 8)",
                    b, n, 0, EINVAL));
    RESET();
    poke(b, H_FIRST, 0);
    CHECK(get_fails(up, "first is 0 (none) though count is 3", b, n, 0, EINVAL));

    /* The last entry's text reaching to the end of the board. */
    RESET();
    uint64_t at = off[2], room = n - at - sizeof(struct board_entry);
    memset(b + at + sizeof(struct board_entry), 'x', room);
    poke(b, at + E_LEN, room);
    CHECK(get_fails(up, "entry 2's len fills the board to its last byte, "
                    "leaving no room for its '\\0'", b, n, 2, EINVAL));
    poke(b, at + E_LEN, room - 1);
    b[n - 1] = '\0';
    char full[GSIZE];
    memset(full, 'x', room - 1);
    full[room - 1] = '\0';
    CHECK(get_gives(up, "entry 2's text and '\\0' end exactly at BASE + SIZE",
                    b, n, 2, full));
    poke(b, at + E_LEN, UINT64_MAX);
    CHECK(get_fails(up, "entry 2's len is 2^64 - 1", b, n, 2, EINVAL));

    RESET();
    poke(b, off[0] + E_NEXT, n);
    CHECK(get_fails(up, "entry 0's next is SIZE", b, n, 1, EINVAL));
    CHECK(get_fails(up, "entry 0's next is SIZE (asking for the entry after"
                    " the one it would lead to)", b, n, 2, EINVAL));
    RESET();
    poke(b, off[0] + E_NEXT, UINT64_MAX - 7);
    CHECK(get_fails(up, "entry 0's next is 2^64 - 8", b, n, 1, EINVAL));
    RESET();
    poke(b, off[1] + E_NEXT, 0);
    CHECK(get_fails(up, "entry 1's next is 0 (none) though count is 3",
                    b, n, 2, EINVAL));

    /* The smallest entry that fits: its fields and '\0' are the board's
     * last 17 bytes (SIZE 505 is no multiple of 8; BASE stays aligned). */
    unsigned char *odd = gd.page;
    memset(odd, 0x5A, 505);
    struct board_header oh = {BOARD_MAGIC, 1, 505, 488, 488};
    memcpy(odd, &oh, sizeof oh);
    poke(odd, 488 + E_NEXT, 0);
    poke(odd, 488 + E_LEN, 0);
    odd[504] = '\0';
    CHECK(get_gives(up, "SIZE is 505 and the only entry, \"\", is at 488: "
                    "its fields and '\\0' end exactly at BASE + SIZE",
                    odd, 505, 0, ""));

    /* SIZE too small for the header: its count lies past the end. */
    unsigned char *tiny = board_at_end(8);
    poke(tiny, 0, BOARD_MAGIC);
    CHECK(get_fails(up, "SIZE is 8, too small for a header (magic is right)",
                    tiny, 8, 0, EINVAL));
#undef RESET
#undef CHECK
    hs_say(up, "ok");
    return 0;
}

/* Runs FN in a child over the guarded pages and fails with what it said
 * last: its verdict, or the case it was trying when it died. */
static void run_guarded(int (*fn)(void *), const char *note, const char *expected)
{
    guard_pages();
    cr_assert(hs_open(&gd.hs) == 0, "grader: pipe failed");
    pid_t pid = lab_spawn(fn, NULL);
    hs_parent_side(&gd.hs);
    static char line[2048], last[2048];
    last[0] = '\0';
    while (hs_read_line(gd.hs.up[0], line, sizeof line, 10.0)) {
        memcpy(last, line, sizeof last);
        if (strncmp(line, "fail: ", 6) == 0) {
            /* the rest of the message follows on its own lines */
            size_t len = strlen(last);
            while (hs_read_line(gd.hs.up[0], line, sizeof line, 1.0) &&
                   len + strlen(line) + 2 < sizeof last)
                len += (size_t)snprintf(last + len, sizeof last - len, "\n%s", line);
            break;
        }
        if (strcmp(line, "ok") == 0)
            break;
    }
    int status = 0;
    int ended = lab_wait_pid(pid, 5.0, &status);
    lab_assert(strcmp(last, "ok") == 0, note, "%s",
               strncmp(last, "fail: ", 6) == 0 ? last + 6
               : strncmp(last, "trying: ", 8) == 0
                   ? lab_fmt("%s (the board ends where an inaccessible page "
                             "begins)\n  expected: %s\n  got:      the "
                             "process %s\n  likely:   an offset or a length "
                             "from the board was used before it was checked "
                             "against SIZE", last + 8, expected,
                             ended ? lab_describe_status(status) : "hung")
                   : lab_fmt("no answer (the child %s)",
                             ended ? lab_describe_status(status) : "hung"));
}

LAB_TEST(board, get_checks_every_offset_against_the_size, 8)
{
    run_guarded(corrupt_boards, NOTE("trusting-nothing-in-the-board"),
                "NULL with errno EINVAL or ENOENT, nothing read outside "
                "[base, base + size)");
}

/* The header's five fields as they are now. */
static struct board_header header_now(const unsigned char *base)
{
    struct board_header h;
    memcpy(&h, base, sizeof h);
    return h;
}

static const char *describe_header(struct board_header h)
{
    return lab_fmt("magic %s, count %llu, used %llu, first %llu, last %llu",
                   h.magic == BOARD_MAGIC ? "BOARD_MAGIC" : "wrong",
                   (unsigned long long)h.count, (unsigned long long)h.used,
                   (unsigned long long)h.first, (unsigned long long)h.last);
}

/* The header must read WANT; says what differs and returns 0 if not. */
static int header_is(int up, const char *after, const unsigned char *base,
                     struct board_header want)
{
    struct board_header h = header_now(base);
    if (memcmp(&h, &want, sizeof h) == 0)
        return 1;
    hs_say(up, "fail: after %s\n  expected: the header %s\n  got:      %s",
           after, describe_header(want), describe_header(h));
    return 0;
}

/* The entry at OFF must hold NEXT, TEXT and its '\0'. */
static int entry_is(int up, const unsigned char *base, uint64_t off,
                    uint64_t next, const char *text)
{
    struct board_entry e;
    memcpy(&e, base + off, sizeof e);
    size_t len = strlen(text);
    if (e.next == next && e.len == len &&
        memcmp(base + off + sizeof e, text, len + 1) == 0)
        return 1;
    hs_say(up, "fail: the entry at offset %llu, for \"%s\"\n  expected: next "
           "%llu, len %zu, the text and its '\\0'\n  got:      next %llu, len "
           "%llu, %s", (unsigned long long)off, text, (unsigned long long)next,
           len, (unsigned long long)e.next, (unsigned long long)e.len,
           lab_quote(base + off + sizeof e, (long)len + 1));
    return 0;
}

/* board_append must fail with WANT (or ALSO, if not 0), header unchanged. */
static int append_refused(int up, const char *what, unsigned char *base,
                          size_t size, const char *text, int want, int also)
{
    hs_say(up, "trying: board_append(base, %zu, \"%s\") where %s", size, text, what);
    struct board_header before = header_now(base);
    errno = 0;
    int rc = board_append(base, size, text);
    int err = errno;
    if (rc != -1 || (err != want && (also == 0 || err != also))) {
        hs_say(up, "fail: board_append(base, %zu, \"%s\") where %s\n  "
               "expected: -1 with errno %s%s%s\n  got:      %d%s", size, text,
               what, lab_errno_name(want), also ? " or " : "",
               also ? lab_errno_name(also) : "", rc,
               rc == -1 ? lab_fmt(", errno %s", lab_errno_name(err)) : "");
        return 0;
    }
    return header_is(up, lab_fmt("the refused board_append where %s", what),
                     base, before);
}

static int append_fine(int up, unsigned char *base, size_t size, const char *text)
{
    hs_say(up, "trying: board_append(base, %zu, \"%s\")", size, text);
    errno = 0;
    int rc = board_append(base, size, text);
    if (rc == 0)
        return 1;
    hs_say(up, "fail: board_append(base, %zu, \"%s\")\n  expected: 0\n  got:"
           "      %d, errno %s", size, text, rc, lab_errno_name(errno));
    return 0;
}

static int layout_and_corrupt_headers(void *arg)
{
    (void)arg;
    hs_child_side(&gd.hs);
    int up = gd.hs.up[1];
#define CHECK(call) do { if (!(call)) return 1; } while (0)
    const uint64_t hs = sizeof(struct board_header);

    /* board_init over bytes that are not zero, the header's exact size. */
    unsigned char *b = board_at_end(hs);
    memset(b, 0x5A, hs);
    hs_say(up, "trying: board_init(base, %llu) over bytes 0x5A",
           (unsigned long long)hs);
    errno = 0;
    int rc = board_init(b, hs);
    if (rc != 0) {
        hs_say(up, "fail: board_init(base, %llu), exactly the header's size"
               "\n  expected: 0\n  got:      %d, errno %s",
               (unsigned long long)hs, rc, lab_errno_name(errno));
        return 1;
    }
    CHECK(header_is(up, "board_init over bytes 0x5A", b,
                    (struct board_header){BOARD_MAGIC, 0, hs, 0, 0}));
    CHECK(get_fails(up, "the board is only its header, empty", b, hs, 0, ENOENT));
    CHECK(append_refused(up, "the board is only its header", b, hs, "",
                         ENOSPC, 0));
    b = board_at_end(hs - 1);
    hs_say(up, "trying: board_init(base, %llu)", (unsigned long long)hs - 1);
    errno = 0;
    rc = board_init(b, hs - 1);
    if (rc != -1 || errno != EINVAL) {
        hs_say(up, "fail: board_init(base, %llu), one byte short of the "
               "header\n  expected: -1 with errno EINVAL\n  got:      %d, "
               "errno %s", (unsigned long long)hs - 1, rc, lab_errno_name(errno));
        return 1;
    }

    /* Two entries over garbage: exactly the layout of shm_mapping.h. */
    const size_t n = GSIZE;
    b = board_at_end(n);
    memset(b, 0x5A, n);
    CHECK(board_init(b, n) == 0);
    CHECK(append_fine(up, b, n, "alpha") && append_fine(up, b, n, "beta"));
    CHECK(header_is(up, "board_init, then appending \"alpha\" and \"beta\" "
                    "(16 + 6 and 16 + 5 bytes, each rounded up to 24)", b,
                    (struct board_header){BOARD_MAGIC, 2, hs + 48, hs, hs + 24}));
    CHECK(entry_is(up, b, hs, hs + 24, "alpha") && entry_is(up, b, hs + 24, 0, "beta"));

    /* An entry that fills the board exactly fits; one byte more does not. */
    b = board_at_end(hs + 24);
    memset(b, 0x5A, hs + 24);
    CHECK(board_init(b, hs + 24) == 0);
    CHECK(append_refused(up, "the board has 24 bytes free and the entry "
                         "needs 16 + 9, rounded up to 32", b, hs + 24,
                         "12345678", ENOSPC, 0));
    CHECK(append_fine(up, b, hs + 24, "1234567"));
    CHECK(header_is(up, "appending a 7-character text to a board with exactly"
                    " 24 bytes free", b,
                    (struct board_header){BOARD_MAGIC, 1, hs + 24, hs, hs}));
    CHECK(append_refused(up, "the board is full", b, hs + 24, "", ENOSPC, 0));

    /* Headers a peer (or a bug) spoiled: refused, nothing written. */
    b = board_at_end(n);
    CHECK(board_init(b, n) == 0 && append_fine(up, b, n, "alpha"));
    poke(b, H_USED, n + 64);
    CHECK(append_refused(up, "used is SIZE + 64", b, n, "x", EINVAL, ENOSPC));
    poke(b, H_USED, UINT64_MAX - 7);
    CHECK(append_refused(up, "used is 2^64 - 8", b, n, "x", EINVAL, ENOSPC));
    poke(b, H_USED, hs + 24);
    poke(b, H_LAST, n);
    CHECK(append_refused(up, "last is SIZE", b, n, "x", EINVAL, 0));
    poke(b, H_LAST, UINT64_MAX - 7);
    CHECK(append_refused(up, "last is 2^64 - 8", b, n, "x", EINVAL, 0));
#undef CHECK
    hs_say(up, "ok");
    return 0;
}

LAB_TEST(board, append_lays_entries_out_as_the_header_says, 4)
{
    run_guarded(layout_and_corrupt_headers, NOTE("room-on-the-board"),
                "a result, nothing read or written outside [base, base + "
                "size)");
}
