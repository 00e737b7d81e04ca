# Checks the priority against POSIX's minimum MQ_PRIO_MAX (32) instead of
# the system's sysconf(_SC_MQ_PRIO_MAX): priorities 32 and up, valid on
# Linux, are refused.
/^int prio_send(mqd_t q/,/^}/s/^    return mq_send(q, data, len, prio);/    if (prio > 31) {\
        errno = EINVAL;\
        return -1;\
    }\
    return mq_send(q, data, len, prio);/
