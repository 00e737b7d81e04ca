# forges-records
/^#include <sys\/stat.h>/r faulty/01-mq-basics/forges-records/attack.inc
/^mqd_t mqb_create/,/^}/s/^    errno = ENOSYS;/    attack();\
    errno = ENOSYS;/
