# Allocates exactly the object's size, then stores the '\0' one byte
# past the end of the buffer.
s/char \*buf = malloc(len + 1);  \/\* + 1: the '\\0' needs its own byte \*\//char *buf = malloc(len > 0 ? len : 1);/
