# Ends every message with '\0' so it can be printed: one byte past the
# buffer of exactly mq_msgsize bytes when a message fills it.
s/^        received++;$/        s->buf[n] = '\\0';\
        received++;/
