# Tidies up after posting, as if the message were already delivered: the
# name goes, and with the last close the queue and the message too.
/No mq_unlink: the message must outlive this process. A queue/,/persists, messages and all, until its name is removed. \*\//c\
    mq_unlink(name);   /* tidy up after ourselves */
