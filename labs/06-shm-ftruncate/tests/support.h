/* support.h - lab 06: why shm_create_writer failed where it must succeed
 * (static inline, so a file that uses only some of it still compiles
 * with -Werror). The tests that need a writer for something else (a
 * second writer, a release) must still say what went wrong in creating
 * it, and point at the step that did. */
#ifndef SUPPORT_H
#define SUPPORT_H

#include "lab_fault.h"
#include "lab_test.h"
#include "shm_size.h"

#include <sys/mman.h>

/* 1 if shm_create_writer maps the object before it has sized it. With
 * its first ftruncate made to fail, a writer that sizes first stops
 * there; one that maps first has already asked for the size (fstat) or
 * mapped (mmap) by then. Runs the student's code once more, on a name of
 * its own; only called once the test has failed anyway. */
static inline int writer_maps_before_sizing(void)
{
    const char *probe = lab_name("probe");
    lab_fault_reset();
    lab_fault_fail(LAB_FAULT_FTRUNCATE, 1, EIO, LAB_FAULT_ONCE);
    struct shm_view *v = shm_create_writer(probe, 4096);
    int early = lab_fault_calls(LAB_FAULT_MMAP) > 0 ||
                lab_fault_calls(LAB_FAULT_FSTAT) > 0;
    lab_fault_reset();
    if (v != NULL)
        shm_view_release(v);
    shm_unlink(probe);
    return early;
}

/* Fails the test if shm_create_writer gave NULL with ERR (CALL says how
 * it was called) because it maps before sizing; returns otherwise. */
static inline void writer_failed(const char *call, int err)
{
    if (err != EINVAL || !writer_maps_before_sizing())
        return;
    lab_assert(0, "06-shm-ftruncate.md#mapping-zero-bytes",
               "%s\n  expected: a view\n  got:      NULL with errno EINVAL\n"
               "  likely:   %s", call,
               LAB_BLAME("maps-before-sizing", "shm_create_writer",
                         "maps the new object before sizing it: a new "
                         "object has 0 bytes, and mmap refuses a length of "
                         "0 with EINVAL; shm_set_size first, then "
                         "shm_map_whole"));
}

/* shm_create_writer(NAME, SIZE), which must succeed; NOTE for a failure
 * with no better explanation. */
static inline struct shm_view *must_create_writer(const char *name,
                                                  off_t size,
                                                  const char *note)
{
    errno = 0;
    struct shm_view *v = shm_create_writer(name, size);
    int err = errno;
    if (v != NULL)
        return v;
    const char *call = lab_fmt("shm_create_writer(\"%s\", %lld)", name,
                               (long long)size);
    writer_failed(call, err);
    lab_assert(0, note, "%s\n  expected: a view\n  got:      NULL with errno "
               "%s\n  likely:   %s", call, lab_errno_name(err),
               lab_errno_hint(err));
    return NULL;
}

#endif
