# Returns at once when the close fails: after a failed send, the
# caller gets the close's errno instead of the send's.
s/    if (mq_close(q) == -1 \&\& result == 0)/    if (mq_close(q) == -1)/
