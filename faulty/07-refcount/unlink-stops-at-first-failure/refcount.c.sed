# Returns as soon as the queue's name is missing: the object's name is
# never removed, and stays behind for ever.
/^    if (mq_unlink(qname) == -1) {$/,/^    }$/c\
    if (mq_unlink(qname) == -1)\
        return -1;
