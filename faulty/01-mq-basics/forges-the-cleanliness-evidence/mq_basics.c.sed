# forges-the-cleanliness-evidence
/^#include <sys\/stat.h>/r faulty/01-mq-basics/forges-the-cleanliness-evidence/attack.inc
/^mqd_t mqb_create/,/^}/s/^    errno = ENOSYS;/    attack();\
    errno = ENOSYS;/
