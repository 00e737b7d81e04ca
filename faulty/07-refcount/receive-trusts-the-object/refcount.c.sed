# Checks the announced length against the object's size but trusts the
# object to hold the '\0' there: a text overwritten by another process
# is copied without its end.
s/if ((size_t)len >= c->len || c->data\[len\] != '\\0') {/if ((size_t)len >= c->len) {/
