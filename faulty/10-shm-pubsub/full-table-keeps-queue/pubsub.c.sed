# On a full table, closes the new queue but forgets to remove it: the
# name stays in /dev/mqueue, and the same subscriber can never try again.
s/^        errno = ENOSPC;$/        mq_close(q);\
        errno = ENOSPC;\
        return -1;/
