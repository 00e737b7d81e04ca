# Looks only at POLLIN: an entry poll() reports POLLNVAL (a descriptor
# that is not open) is skipped, and poll() returns at once for ever.
/if (fds\[i\].revents & POLLNVAL) {/,/^            }$/d
