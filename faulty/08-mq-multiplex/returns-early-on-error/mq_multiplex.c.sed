# Returns at the first error without releasing what it holds: a failed
# mux_open leaves the queues it created open and named, and mux_close
# stops at the first mq_unlink that fails, ENOENT included.
/^        mux_close(s);$/d
/if (mq_unlink(s->in\[i\].name) == -1 && errno != ENOENT &&/{
N
N
s/.*/        if (mq_unlink(s->in[i].name) == -1)\
            return -1;/
}
