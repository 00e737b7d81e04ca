# Receives until EAGAIN without making the descriptor non-blocking: on a
# blocking descriptor EAGAIN never comes, and the receive after the last
# message waits for ever.
/On a blocking descriptor the receive after the last message would/,/wait for ever; non-blocking, it fails with EAGAIN instead/d
s/int was = nb_set_nonblocking(q, 1);/int was = (attr.mq_flags \& O_NONBLOCK) != 0;/
