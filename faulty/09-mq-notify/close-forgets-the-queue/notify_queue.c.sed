# Stops the consumer by cancelling the registration only: the descriptor
# stays open, the name stays, and the buffer pointer is dropped unfreed.
/^int nq_close/,/^}/{
/if (mq_close(c->q) == -1 && first == 0)/,/first = errno;/d
/if (mq_unlink(c->name) == -1 && first == 0)/,/first = errno;/d
/^    free(c->buf);$/d
}
