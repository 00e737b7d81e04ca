# Opens the second writer with O_TRUNC, as for a file to be rewritten:
# the object's size drops to 0 and the first writer's data is gone.
s/int fd = shm_open(name, O_RDWR, 0);/int fd = shm_open(name, O_RDWR | O_TRUNC, 0);/
