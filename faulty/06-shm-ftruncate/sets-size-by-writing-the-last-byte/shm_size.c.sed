# Sets the size the old way for files, by writing a byte at size - 1:
# that grows the object but can never shrink it.
s/    if (ftruncate(fd, size) == -1)/    if (pwrite(fd, "", 1, size - 1) == -1)/
