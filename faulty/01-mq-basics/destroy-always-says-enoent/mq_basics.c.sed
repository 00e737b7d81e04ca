# Sets errno itself instead of passing mq_unlink's on.
s/^    return mq_unlink(name);/    if (mq_unlink(name) == -1) {\
        errno = ENOENT;\
        return -1;\
    }\
    return 0;/
