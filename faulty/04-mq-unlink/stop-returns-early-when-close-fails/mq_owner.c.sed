# Gives up as soon as mq_close fails: the name is never removed,
# though owner_stop must attempt both steps.
/^    if (mq_close(o->q) == -1)$/{
n
s/.*/        return -1;/
}
