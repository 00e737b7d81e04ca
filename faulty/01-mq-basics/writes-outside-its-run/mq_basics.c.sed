# Not a mistake but an attack on the grader: writes into the checkout
# (the grader runs from its top folder) and into /etc, and removes the
# lab's header. The sandbox keeps every file system but the run's own
# directory read-only, so nothing may change (make test checks a canary).
1i #include <stdio.h>
1i #include <unistd.h>
/^long mqb_pending/,/^}/s/^    struct mq_attr attr;/    FILE *f = fopen("build\/canary", "a");\
    if (f) {\
        fputs("overwritten by student code\\n", f);\
        fclose(f);\
    }\
    f = fopen("\/etc\/ipclab-canary", "w");\
    if (f)\
        fclose(f);\
    unlink("labs\/01-mq-basics\/mq_basics.h");\
    struct mq_attr attr;/
