# Checks room for the text and its '\0' only, forgetting the struct
# board_entry in front of it: a nearly full board is written past its end.
s/if (need > size - h->used) {/if (len + 1 > size - h->used) {/
