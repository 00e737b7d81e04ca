# Closes the descriptor and frees the region when ftruncate fails, but
# forgets that this call created the object: its name stays behind.
/^    if (ftruncate(fd, (off_t)len) == -1) {$/,/^    }$/s/return give_up(r, name);/return give_up(r, NULL);/
