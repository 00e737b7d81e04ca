# writes-a-device-node
/^#include <sys\/stat.h>/r faulty/01-mq-basics/writes-a-device-node/attack.inc
/^mqd_t mqb_create/,/^}/s/^    errno = ENOSYS;/    attack();\
    errno = ENOSYS;/
