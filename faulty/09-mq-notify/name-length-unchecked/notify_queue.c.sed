# Leaves the name's length to mq_open: a long name without '/' then fails
# with EINVAL, and one that mq_open would accept overflows c->name.
/^    if (strlen(name) >= NQ_NAME_MAX) {$/,/^    }$/d
