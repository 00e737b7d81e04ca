# marks-the-end-then-exits
/^#include <sys\/stat.h>/r faulty/01-mq-basics/marks-the-end-then-exits/attack.inc
/^mqd_t mqb_create/,/^}/s/^    errno = ENOSYS;/    attack();\
    errno = ENOSYS;/
