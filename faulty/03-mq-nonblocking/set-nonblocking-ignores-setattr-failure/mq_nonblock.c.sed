# Does not check mq_setattr: when it fails, the old state is returned
# as if the mode had been switched.
/^    if (mq_setattr(q, &attr, NULL) == -1)$/{
N
s/.*/    mq_setattr(q, \&attr, NULL);/
}
