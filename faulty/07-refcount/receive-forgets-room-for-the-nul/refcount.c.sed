# Checks that the text fits OUT but forgets its '\0': a text of exactly
# OUTSIZE characters gets its '\0' written one byte past the end.
s/if ((size_t)len + 1 > outsize) {  \/\* + 1: room for the '\\0' too \*\//if ((size_t)len > outsize) {/
