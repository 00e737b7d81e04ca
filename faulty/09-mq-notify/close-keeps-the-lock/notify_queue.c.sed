# Stops under the lock and never releases it: harmless until a late
# notification thread, or anyone else, waits for it.
/^int nq_close/,/^}/{
/^    if (locked == 0)$/d
/^        pthread_mutex_unlock(&c->lock);$/d
}
