# Frees the buffer but leaves bufsize, count and live as they were: the
# struct still claims live inputs after mux_close.
/^    s->bufsize = 0;$/d
/^    s->count = 0;$/d
/^    s->live = 0;$/d
