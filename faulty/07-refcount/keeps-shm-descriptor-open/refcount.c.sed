# Believes the mapping needs its descriptor, so closes it only when the
# mapping failed: every create and attach leaks one descriptor.
s/if (close(fd) == -1 \&\& addr != MAP_FAILED) {/if (addr == MAP_FAILED \&\& close(fd) == -1) {/
