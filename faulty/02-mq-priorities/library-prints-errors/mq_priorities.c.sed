# Prints its own error message: the library must leave that to its caller.
1i #include <stdio.h>
s/^    return mq_send(q, data, len, prio);/    int r = mq_send(q, data, len, prio);\
    if (r == -1)\
        perror("prio_send");\
    return r;/
