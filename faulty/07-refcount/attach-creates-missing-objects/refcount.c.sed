# Attaches with O_CREAT "so that it works whoever comes first": after an
# unlink it makes new, empty objects under the old names.
s/c->queue = mq_open(qname, O_RDWR);/c->queue = mq_open(qname, O_RDWR | O_CREAT, CHANNEL_MODE, NULL);/
s/int fd = shm_open(dname, O_RDWR, 0);/int fd = shm_open(dname, O_RDWR | O_CREAT, CHANNEL_MODE);/
