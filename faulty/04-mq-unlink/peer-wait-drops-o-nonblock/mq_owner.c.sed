# Keeps only the access mode of the flags while waiting: a peer that
# asked for a non-blocking descriptor gets a blocking one.
s/        mqd_t q = peer_open(name, oflag);/        mqd_t q = peer_open(name, oflag \& O_ACCMODE);/
