# Keeps the shm descriptor open after mmap, as if the mapping needed it:
# one descriptor leaks for every create and every attach.
/^    if (close(fd) == -1) {$/,/^    }$/d
