# Keeps one byte of the buffer back "for the '\0'", as with fgets: the
# buffer given to mq_receive is then smaller than mq_msgsize, and every
# receive fails with EMSGSIZE, however short the message.
s/mq_receive(q, buf, size, &prio)/mq_receive(q, buf, size - 1, \&prio)/
