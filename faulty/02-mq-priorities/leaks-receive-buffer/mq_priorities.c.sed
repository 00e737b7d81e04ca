# Frees the receive buffer on the error paths only, not after copying.
/^    free(buf);$/d
