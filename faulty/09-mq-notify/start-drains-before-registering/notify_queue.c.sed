# Starts by emptying the queue and registers only afterwards: a message
# arriving in between is never notified, and stays until the next one.
s/^    long rc = nq_watch_thread(c->q, on_notify, c);$/    long rc = nq_drain(c);/
s/^        rc = nq_drain(c);$/        rc = nq_watch_thread(c->q, on_notify, c);/
/^int nq_start_thread/,/^}/s/^    if (rc == 0)$/    if (rc != -1)/
