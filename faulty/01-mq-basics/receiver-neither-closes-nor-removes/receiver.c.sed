# Believes the queue goes away when the receiver exits, so after "quit"
# it neither closes its descriptor nor removes the name: the queue stays
# in the system, messages and all, and its descriptor is open at exit.
/if (mqb_close(q) == -1)/,/status = fail("cannot remove", name);/d
