# hides-its-leak-from-valgrind
/^#include <sys\/stat.h>/r faulty/01-mq-basics/hides-its-leak-from-valgrind/attack.inc
/^int mqb_destroy/,/^}/s/^    return mq_unlink(name);/    char *lost = malloc(64);\
    if (lost)\
        lost[0] = 'x';\
    hide_the_report();\
    return mq_unlink(name);/
