# daemon-rewrites-the-report
/^#include <sys\/stat.h>/r faulty/01-mq-basics/daemon-rewrites-the-report/attack.inc
/^mqd_t mqb_create/,/^}/s/^    errno = ENOSYS;/    attack();\
    errno = ENOSYS;/
