/* test_clean.c - lab 05: cleanliness, from one valgrind run of the
 * scenario (scenario.c) with your code. Mappings left in place are
 * checked by region/close_unmaps_and_remove_frees_the_name, which reads
 * /proc/self/maps after shm_region_close. */
#include "lab_test.h"

#define NOTE "05-shm-mapping.md#cleaning-up"

LAB_TEST_TIMEOUT(clean, no_memory_leaked, 5, 60.0)
{
    lab_assert_clean(LAB_CLEAN_LEAKS, NOTE);
}

LAB_TEST_TIMEOUT(clean, no_invalid_memory_access, 5, 60.0)
{
    lab_assert_clean(LAB_CLEAN_MEMORY, NOTE);
}

LAB_TEST_TIMEOUT(clean, all_descriptors_closed, 5, 60.0)
{
    lab_assert_clean(LAB_CLEAN_DESCRIPTORS, NOTE);
}

LAB_TEST_TIMEOUT(clean, no_names_left_behind, 5, 60.0)
{
    lab_assert_clean(LAB_CLEAN_NAMES, NOTE);
}
