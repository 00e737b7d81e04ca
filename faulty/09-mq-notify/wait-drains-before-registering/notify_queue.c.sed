# After a notification, empties the queue first and registers again only
# then: a message arriving between the last mq_receive and mq_notify finds
# nobody registered and is never notified.
/^    \/\* Only a real notification used the registration up. \*\/$/,/^    return nq_drain(c);$/c\
    long n = nq_drain(c);\
    if (n == -1)\
        return -1;\
    if (info.si_code == SI_MESGQ && nq_watch_signal(c->q, c->signo, c) == -1)\
        return -1;\
    return n;
