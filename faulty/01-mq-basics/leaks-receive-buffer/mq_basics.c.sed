# Frees the receive buffer on the error path only.
/^    free(buf);$/d
