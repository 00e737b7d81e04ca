# Passes the relative timeout to mq_timedreceive, which takes an absolute
# CLOCK_REALTIME time: "2 seconds" is a moment in 1970, long past, so a
# wait on an empty queue ends at once with ETIMEDOUT.
/^\/\* NOW + REL on CLOCK_REALTIME/,/^}/d
/^    struct timespec until;$/,/^        return -1;$/c\
    struct timespec until = *timeout;
