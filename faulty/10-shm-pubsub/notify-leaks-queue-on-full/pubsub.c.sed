# Skips a full queue before closing it: every notification that finds a
# queue full leaks a descriptor in the publisher.
s/(void)mq_send(q, (const char \*)&seq, sizeof seq, 0);/if (mq_send(q, (const char *)\&seq, sizeof seq, 0) == -1)\
            continue;/
