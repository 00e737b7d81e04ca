# Starts a background process that leaves its session and never ends: the
# grader must still finish and leave no process behind.
1i #include <unistd.h>
/^int mqb_close/,/^}/s/^    return mq_close(q);/    if (fork() == 0) {\
        setsid();\
        for (;;)\
            pause();\
    }\
    return mq_close(q);/
