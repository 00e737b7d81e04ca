# Passes NULL for mq_receive's priority ("I only want the data") and
# reports 0: the caller never learns a message's priority.
/^    unsigned prio;$/d
s/mq_receive(q, buf, size, &prio)/mq_receive(q, buf, size, NULL)/
s/msg->prio = prio;/msg->prio = 0;/
