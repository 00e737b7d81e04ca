# Does not check the close of the probe: a failing mq_close is
# reported as "exists" instead of -1 with its errno.
/^int queue_exists/,/^}/{
/^    if (mq_close(q) == -1)$/{
N
s/.*/    mq_close(q);/
}
}
