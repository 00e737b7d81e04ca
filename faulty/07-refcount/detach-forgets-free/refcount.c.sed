# Releases the queue and the mapping but not the struct itself.
/^int channel_detach/,/^}/{
/^    free(c);$/d
}
