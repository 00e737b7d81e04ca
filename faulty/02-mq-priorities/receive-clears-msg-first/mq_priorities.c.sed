# Clears *msg before receiving: a failure leaves it changed.
/^int prio_receive/,/^}/s/^    struct mq_attr attr;$/    struct mq_attr attr;\
    msg->data = NULL;\
    msg->len = 0;/
