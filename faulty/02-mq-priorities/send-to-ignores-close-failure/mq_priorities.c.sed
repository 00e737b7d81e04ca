# A failed close after a good send is reported as success.
s/    if (mq_close(q) == -1 \&\& result == 0)/    mq_close(q);\
    if (0)/
