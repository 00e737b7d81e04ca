# Calls ftruncate without checking it: on a read-only descriptor the
# caller is told the size changed when it did not.
/^int shm_set_size/,/^}/{
s/    if (ftruncate(fd, size) == -1)/    ftruncate(fd, size);/
/^        return -1;$/d
}
