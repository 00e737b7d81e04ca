# Retries mq_getattr until it works: on a bad descriptor it never does.
/^long mqb_pending/,/^}/s/    if (mq_getattr(q, &attr) == -1)/    while (mq_getattr(q, \&attr) == -1)\
        continue;\
    if (0)/
