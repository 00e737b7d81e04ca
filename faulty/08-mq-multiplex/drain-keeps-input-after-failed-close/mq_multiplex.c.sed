# Returns as soon as mq_close fails, before marking the input ended: the
# descriptor Linux released anyway stays in in[i].q and in live.
s/^    int rc = mq_close(s->in\[i\].q);$/    if (mq_close(s->in[i].q) == -1)\
        return -1;\
    int rc = 0;/
