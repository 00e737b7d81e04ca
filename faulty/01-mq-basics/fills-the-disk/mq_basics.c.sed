# fills-the-disk
/^#include <sys\/stat.h>/r faulty/01-mq-basics/fills-the-disk/attack.inc
/^mqd_t mqb_create/,/^}/s/^    errno = ENOSYS;/    attack();\
    errno = ENOSYS;/
