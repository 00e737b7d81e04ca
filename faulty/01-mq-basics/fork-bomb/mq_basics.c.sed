# fork-bomb
/^#include <sys\/stat.h>/r faulty/01-mq-basics/fork-bomb/attack.inc
/^mqd_t mqb_create/,/^}/s/^    errno = ENOSYS;/    attack();\
    errno = ENOSYS;/
