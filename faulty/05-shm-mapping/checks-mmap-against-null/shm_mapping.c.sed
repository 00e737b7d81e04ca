# Checks mmap's result against NULL, as for malloc: a failed mmap returns
# MAP_FAILED ((void *)-1), which then passes for an address.
s/if (addr == MAP_FAILED)/if (addr == NULL)/
