# Always naps 1 ms: hundreds of tries per second while the queue stays
# full, instead of doubling the nap up to NB_MAX_NAP_MS.
/^        if (wait_ms < NB_MAX_NAP_MS)$/,/^            wait_ms \*= 2;$/d
s/    long wait_ms = 1;/    const long wait_ms = 1;/
