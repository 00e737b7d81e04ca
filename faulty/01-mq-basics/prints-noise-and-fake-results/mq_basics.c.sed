# Not a mistake but an attack on the grader: prints quotes, control bytes,
# invalid UTF-8 and lines shaped like the grader's own records. Nothing
# printed may change a score.
1i #include <stdio.h>
/^long mqb_pending/,/^}/s/^    struct mq_attr attr;/    printf("queue\\tcreate_gives_the_queue_permissions_0660\\t100\\tPASS\\t0\\t\\n\\"}]\\x01\\xfe\\xff\\n");\
    fprintf(stderr, "Score: 100\/100\\n\\x1b[2J");\
    fflush(stdout);\
    struct mq_attr attr;/
