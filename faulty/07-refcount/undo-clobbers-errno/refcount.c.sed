# Undoes a half-made channel without saving errno: when the cleanup's own
# mq_close fails, the caller sees its errno instead of the real cause.
/^static struct channel \*undo/,/^}/{
/^    int saved = errno;$/d
/^    errno = saved;$/d
}
