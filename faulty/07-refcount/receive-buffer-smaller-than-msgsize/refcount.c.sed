# Receives the notice into a buffer the size of a notice: mq_receive
# wants room for mq_msgsize bytes and fails with EMSGSIZE.
s/ssize_t n = mq_receive(c->queue, buf, sizeof buf, NULL);/ssize_t n = mq_receive(c->queue, buf, sizeof(channel_notice), NULL);/
