# On a failure after mq_open, frees the buffer but forgets the queue: its
# descriptor stays open and its name stays in /dev/mqueue.
/^    if (err != 0) {$/,/^    }$/{
/^        mq_close(c->q);$/d
/^        mq_unlink(c->name);$/d
}
