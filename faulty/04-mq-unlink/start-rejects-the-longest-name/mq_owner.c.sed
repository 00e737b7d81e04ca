# Counts the terminating NUL in the limit: a name of exactly
# OWNER_NAME_MAX characters, which is valid and fits, is refused.
s/if (strlen(name) > OWNER_NAME_MAX) {/if (strlen(name) >= OWNER_NAME_MAX) {/
