# Calls mq_timedsend and mq_timedreceive whatever nb_deadline_after
# said: a negative timeout or a failing clock gives a garbage deadline.
/^    if (nb_deadline_after(&deadline, timeout_ms) == -1)$/{
N
s/.*/    nb_deadline_after(\&deadline, timeout_ms);/
}
