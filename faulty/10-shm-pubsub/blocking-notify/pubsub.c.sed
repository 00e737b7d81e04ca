# Opens each subscriber's queue without O_NONBLOCK: once a slow
# subscriber's queue is full, the publisher waits in mq_send, holding the
# lock, for a reader that never comes.
s/mq_open(qname, O_WRONLY | O_NONBLOCK)/mq_open(qname, O_WRONLY)/
