# Loops while mq_receive returns more than 0, as with read(): a zero-length
# message ends the drain and the messages behind it stay queued.
/a zero-length message is a message, not the end/d
s/while ((n = mq_receive(q, buf, size, &prio)) != -1)/while ((n = mq_receive(q, buf, size, \&prio)) > 0)/
