# Maps the new object first and sizes it afterwards ("the mapping will
# grow with it"): a new object has size 0, and mmap refuses a length of
# 0 with EINVAL, so shm_create_writer never gets a mapping.
s/^    if (shm_set_size(fd, size) == 0)$/    v = shm_map_whole(fd, PROT_READ | PROT_WRITE);/
s/^        v = shm_map_whole(fd, PROT_READ | PROT_WRITE);$/    if (v != NULL)\
        shm_set_size(fd, size);/
