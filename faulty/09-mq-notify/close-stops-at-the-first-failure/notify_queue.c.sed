# Gives up at the first failing step: the queue stays open, its name
# stays, the buffer is not freed, and the lock stays held.
/^    if (nq_unwatch(c->q) == -1 && first == 0)$/{
N
s/.*/    if (nq_unwatch(c->q) == -1)\
        return -1;/
}
/^    if (mq_close(c->q) == -1 && first == 0)$/{
N
s/.*/    if (mq_close(c->q) == -1)\
        return -1;/
}
