# The second malloc fails: the receive buffer is not freed.
/    if (copy == NULL) {/,/    }/{
/free(buf);/d
}
