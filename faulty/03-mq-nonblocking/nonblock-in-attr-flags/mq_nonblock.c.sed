# Puts O_NONBLOCK in attr.mq_flags, which mq_open ignores: the new
# descriptor blocks, and the first receive on an empty queue never ends.
/mq_open ignores attr.mq_flags: only the open flags can make the/,/new descriptor non-blocking. \*\//d
s/        oflag |= O_NONBLOCK;/        attr.mq_flags = O_NONBLOCK;/
