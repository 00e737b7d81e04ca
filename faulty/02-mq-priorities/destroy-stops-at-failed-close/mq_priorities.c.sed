# Returns at once when mq_close fails: the name is never removed.
0,/        failed_errno = errno;/s//        return -1;/
