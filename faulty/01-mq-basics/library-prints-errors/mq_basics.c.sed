# Prints its own error message: the library must leave that to its caller.
1i #include <stdio.h>
s/^    return mq_unlink(name);/    int r = mq_unlink(name);\
    if (r == -1)\
        perror("mqb_destroy");\
    return r;/
