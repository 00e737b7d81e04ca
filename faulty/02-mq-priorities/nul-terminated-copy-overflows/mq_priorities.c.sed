# Ends the copy with a '\0' "so the caller can print it", one byte past
# the LEN bytes allocated: an invalid write only valgrind sees.
/memcpy(copy, buf, (size_t)n);/a\
    copy[n] = '\\0';
