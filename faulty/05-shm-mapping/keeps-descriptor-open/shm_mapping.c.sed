# Believes the mapping needs its descriptor, so closes it only when mmap
# failed: one descriptor leaks for every region made.
s/if (close(fd) == -1 \&\& addr != NULL) {/if (addr == NULL \&\& close(fd) == -1) {/
