# Receives straight into the caller's buffer: EMSGSIZE when it is smaller
# than mq_msgsize, however short the message.
s/mq_receive(q, buf, (size_t)attr.mq_msgsize, NULL)/mq_receive(q, buf, outsize, NULL)/
