# Believes the course notes: the kernel destroys a queue once nobody has
# it open, so closing is enough. The queue and its messages stay.
/Closing never removes a queue/,/until its name is unlinked/d
/if (mq_unlink(name) == -1 && failed_errno == 0)/,/failed_errno = errno;/c\
    (void)name;
