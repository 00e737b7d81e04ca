# Passes NULL for the attributes: the queue gets the defaults 10 x 8192.
s/    struct mq_attr attr = .*/    (void)maxmsg;\
    (void)msgsize;/
s/MQB_MODE, &attr)/MQB_MODE, NULL)/
