# Returns the count as soon as the queue is empty, skipping the free and
# the restoring of the caller's mode below.
/EAGAIN means empty: the drain is done. Anything else is an error./i\
    if (errno == EAGAIN)\
        return count;
