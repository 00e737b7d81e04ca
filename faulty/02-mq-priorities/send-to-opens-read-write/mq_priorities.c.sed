# Opens the queue O_RDWR: a sender allowed only to write is refused.
s/mqd_t q = mq_open(name, O_WRONLY);/mqd_t q = mq_open(name, O_RDWR);/
