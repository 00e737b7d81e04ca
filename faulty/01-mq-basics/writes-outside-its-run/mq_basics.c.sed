# Not a mistake but an attack on the grader: writes into the checkout (a
# canary file make test names in IPCLAB_CANARY) and into /etc, and removes
# the lab's header. The sandbox keeps every file system but the run's own
# directory read-only, so nothing may change (make test checks).
1i #include <stdio.h>
1i #include <stdlib.h>
1i #include <unistd.h>
/^long mqb_pending/,/^}/s/^    struct mq_attr attr;/    const char *canary = getenv("IPCLAB_CANARY");\
    FILE *f = canary ? fopen(canary, "a") : NULL;\
    if (f) {\
        fputs("overwritten by student code\\n", f);\
        fclose(f);\
    }\
    f = fopen("\/etc\/ipclab-canary", "w");\
    if (f)\
        fclose(f);\
    unlink("labs\/01-mq-basics\/mq_basics.h");\
    struct mq_attr attr;/
