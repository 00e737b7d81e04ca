# Returns as soon as the send fails, before the mq_close below it.
/int result = prio_send(q, data, len, prio);/a\
    if (result == -1)\
        return -1;
