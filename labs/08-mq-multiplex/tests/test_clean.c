/* test_clean.c - lab 08: cleanliness, from one valgrind run of the
 * scenario (scenario.c) with your code. */
#include "lab_test.h"

#define NOTE "08-mq-multiplex.md#cleaning-up"

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
