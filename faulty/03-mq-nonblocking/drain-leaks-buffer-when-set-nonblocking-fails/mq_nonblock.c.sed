# Returns at once when nb_set_nonblocking fails, forgetting the buffer
# it has just allocated.
/^    if (was == -1) {$/,/^    }$/{
/free(buf);/d
}
