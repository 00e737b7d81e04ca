# Copies create's cleanup into open: when mapping fails, it removes the
# object, which another process created and still uses.
/^struct shm_region \*shm_region_open/,/^}/s/if (map_and_close(fd, len, prot, r) == -1)/&\
        return give_up(r, name);\
    if (0)/
