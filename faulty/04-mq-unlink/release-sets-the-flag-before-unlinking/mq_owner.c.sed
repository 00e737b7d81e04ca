# Marks the name released before mq_unlink has succeeded: when the
# unlink fails, owner_stop believes the name gone and leaves it for ever.
/^int owner_release_name/,/^}/{
/^    o->name_released = 1;$/d
s/^    if (mq_unlink(o->name) == -1)$/    o->name_released = 1;\
    if (mq_unlink(o->name) == -1)/
}
