# Puts every descriptor in the fd_set without checking it is below
# FD_SETSIZE: FD_SET of a larger one writes past the end of the set.
/^        if (q >= FD_SETSIZE) {$/,/^        }$/d
