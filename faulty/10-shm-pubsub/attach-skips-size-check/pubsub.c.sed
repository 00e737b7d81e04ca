# Maps whatever is there: an object smaller than a struct ps_shared is
# attached, and the first access past its end is a SIGBUS.
/if ((size_t)st.st_size < sizeof(struct ps_shared)) {/,/^    }$/d
