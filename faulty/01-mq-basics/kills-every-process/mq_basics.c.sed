# kills-every-process
/^#include <sys\/stat.h>/r faulty/01-mq-basics/kills-every-process/attack.inc
/^mqd_t mqb_create/,/^}/s/^    errno = ENOSYS;/    attack();\
    errno = ENOSYS;/
