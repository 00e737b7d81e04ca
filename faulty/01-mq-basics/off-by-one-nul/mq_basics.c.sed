# Copies up to OUTSIZE bytes, then writes the NUL one past the end.
s/(size_t)n < outsize - 1 ? (size_t)n : outsize - 1/(size_t)n < outsize ? (size_t)n : outsize/
