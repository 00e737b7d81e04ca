# Allocates sizeof r (a pointer, 8 bytes) instead of sizeof *r (the
# struct, 16 bytes): storing len writes past the end of the block.
s/malloc(sizeof \*r)/malloc(sizeof r)/
