# Keeps a byte in reserve: an entry that would fill the board exactly is
# refused with ENOSPC, though it fits.
s/if (need > size - h->used) {/if (need >= size - h->used) {/
