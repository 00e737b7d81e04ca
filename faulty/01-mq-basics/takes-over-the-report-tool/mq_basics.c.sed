# takes-over-the-report-tool
/^#include <sys\/stat.h>/r faulty/01-mq-basics/takes-over-the-report-tool/attack.inc
/^mqd_t mqb_create/,/^}/s/^    errno = ENOSYS;/    attack();\
    errno = ENOSYS;/
