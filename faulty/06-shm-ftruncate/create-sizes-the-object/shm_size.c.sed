# Gives every new object a page "so that mmap works": the object is not
# empty, and mapping a page of it hides the missing size from the caller.
s/^    return shm_open(name, O_RDWR | O_CREAT | O_EXCL, SHM_MODE);/    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, SHM_MODE);\
    if (fd != -1 \&\& ftruncate(fd, 4096) == -1) {\
        close(fd);\
        return -1;\
    }\
    return fd;/
