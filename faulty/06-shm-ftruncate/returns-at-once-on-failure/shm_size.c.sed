# Returns as soon as a step fails, undoing nothing: the view allocated
# before mmap, the descriptor and the object just created are left.
/^struct shm_view \*shm_map_whole/,/^}/{
/^    if (addr == MAP_FAILED) {$/,/^    }$/c\
    if (addr == MAP_FAILED)\
        return NULL;
}
s/^        v = shm_map_whole(fd, PROT_READ | PROT_WRITE);$/&\
    if (v == NULL)\
        return NULL;/
