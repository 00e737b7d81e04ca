# When ftruncate fails, removes the names and frees the struct but never
# closes the object's descriptor: each such failure leaks one.
/^        close(fd);  \/\* undoing: ftruncate's error is the one to report \*\/$/d
