# Copies the message with strndup, a string function: it stops at the
# first '\0', so binary messages lose their bytes.
/memcpy, not strcpy/d
s/char \*copy = malloc(n > 0 ? (size_t)n : 1);/char *copy = strndup(buf, (size_t)n);/
/memcpy(copy, buf, (size_t)n);/d
