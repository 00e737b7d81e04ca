# Opens the queue without O_NONBLOCK: the drain's last mq_receive waits on
# the empty queue, holding the consumer's lock, and never returns.
s/O_RDONLY | O_CREAT | O_EXCL | O_NONBLOCK, NQ_MODE,/O_RDONLY | O_CREAT | O_EXCL, NQ_MODE,/
