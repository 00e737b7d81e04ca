# Marks an input as ended without closing its descriptor: one descriptor
# leaks for every producer that finishes.
s/    int rc = mq_close(s->in\[i\].q);/    int rc = 0;/
