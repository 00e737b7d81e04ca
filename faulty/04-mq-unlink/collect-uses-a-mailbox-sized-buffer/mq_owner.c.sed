# Receives into a buffer of MAILBOX_MSGSIZE bytes instead of the
# queue's own mq_msgsize: a larger queue gives EMSGSIZE.
/^long mailbox_collect/,/^}/{
s/malloc((size_t)attr.mq_msgsize)/malloc(MAILBOX_MSGSIZE)/
s/mq_receive(q, buf, (size_t)attr.mq_msgsize, &prio)/mq_receive(q, buf, MAILBOX_MSGSIZE, \&prio)/
}
