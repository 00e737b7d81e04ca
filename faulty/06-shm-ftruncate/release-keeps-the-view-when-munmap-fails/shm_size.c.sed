# Returns as soon as munmap fails, before free: the caller can never free
# the view, since it is told the release failed.
s/^    int rc = munmap(v->addr, v->len);$/&\
    if (rc == -1)\
        return -1;/
