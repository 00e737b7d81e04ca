# Returns the count as soon as the mailbox is empty, skipping the free,
# the mq_close and the mq_unlink below.
/EAGAIN: the mailbox is empty. Anything else is an error./i\
    if (errno == EAGAIN)\
        return count;
