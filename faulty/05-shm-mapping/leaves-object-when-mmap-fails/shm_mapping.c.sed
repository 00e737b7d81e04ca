# Cleans up after a failed ftruncate but returns at once when mmap fails:
# the new object and the malloc'd region are left behind.
/if (map_and_close(fd, len, PROT_READ | PROT_WRITE, r) == -1)/{
n
s/return give_up(r, name);/return NULL;/
}
