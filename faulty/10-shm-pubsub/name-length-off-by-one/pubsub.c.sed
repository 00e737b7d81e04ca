# Counts the characters but forgets the '\0': a name of exactly
# PS_NAME_MAX characters is accepted, and strcpy writes one byte past
# h->name.
0,/if (strlen(name) >= PS_NAME_MAX) {/s/if (strlen(name) >= PS_NAME_MAX) {/if (strlen(name) > PS_NAME_MAX) {/
