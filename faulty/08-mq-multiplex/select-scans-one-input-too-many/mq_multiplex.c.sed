# Builds select's set with i <= count: with every input in use it reads
# in[MUX_MAX_INPUTS], past the array.
/^static int watch_set/,/^}/s/for (int i = 0; i < s->count; i++) {/for (int i = 0; i <= s->count; i++) {/
