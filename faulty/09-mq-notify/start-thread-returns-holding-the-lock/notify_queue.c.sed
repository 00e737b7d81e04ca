# Returns at once when registering fails, with c->lock still held: the
# next notification thread or nq_close waits for it forever.
s/^    long rc = nq_watch_thread(c->q, on_notify, c);$/    long rc = nq_watch_thread(c->q, on_notify, c);\
    if (rc == -1)\
        return -1;/
