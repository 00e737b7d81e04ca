# Returns at once when mq_getattr or malloc fails, leaving the queue
# it opened open.
/^        int saved = errno;$/,/^        errno = saved;$/d
