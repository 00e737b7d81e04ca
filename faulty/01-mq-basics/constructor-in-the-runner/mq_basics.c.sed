# constructor-in-the-runner
/^#include <sys\/stat.h>/r faulty/01-mq-basics/constructor-in-the-runner/attack.inc
/^mqd_t mqb_create/,/^}/s/^    errno = ENOSYS;/    attack();\
    errno = ENOSYS;/
