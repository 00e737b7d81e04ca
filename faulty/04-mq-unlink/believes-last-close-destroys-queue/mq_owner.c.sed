# Believes the course notes: the kernel destroys a queue once nobody has
# it open, so the owner and the collector only close. The queues, and
# their messages, stay until reboot.
/Released early: the name is gone, or belongs to a newer queue now,/,/failed = errno;/c\
    /* The last close destroys the queue: nothing more to do. */
/The collector owns the end: closing alone would leave the queue,/,/failed = errno;/d
