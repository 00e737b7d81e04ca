# Looks at the revents of one pollfd more than poll() was given: that
# entry was never filled, and whatever it holds is taken as an answer.
/^int mux_serve_poll/,/^}/{
/if (poll(fds/,/^    }/s/for (int i = 0; i < s->count; i++) {/for (int i = 0; i <= s->count; i++) {/
}
