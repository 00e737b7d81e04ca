# sends-criterion-marks
/^#include <sys\/stat.h>/r faulty/01-mq-basics/sends-criterion-marks/attack.inc
/^mqd_t mqb_create/,/^}/s/^    errno = ENOSYS;/    attack();\
    errno = ENOSYS;/
