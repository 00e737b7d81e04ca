# Puts O_NONBLOCK in attr.mq_flags, which mq_open ignores: the inputs stay
# blocking, and a drain that finds its queue empty waits there.
s/struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};/struct mq_attr attr = {.mq_flags = O_NONBLOCK, .mq_maxmsg = maxmsg,\
                           .mq_msgsize = msgsize};/
s/O_RDONLY | O_CREAT | O_EXCL | O_NONBLOCK,/O_RDONLY | O_CREAT | O_EXCL,/
