# Takes a signal that is not a notification for a false alarm and returns
# without draining: messages waiting behind it wait for the next signal.
s/^    return nq_drain(c);$/    if (info.si_code != SI_MESGQ)\
        return 0;\
    return nq_drain(c);/
