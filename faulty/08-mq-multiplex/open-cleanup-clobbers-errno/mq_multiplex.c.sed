# Cleans up after a failed mux_open without saving errno: when the
# cleanup's own mq_close fails, its errno replaces the first failure's.
/^    {$/,/^    }$/c\
    mux_close(s);
