# Gives up at the first failure: a subscriber whose queue could not be
# closed keeps its mapping, and an owner keeps its object's name.
s/if (h->slot != -1 && ps_unsubscribe(h) == -1)/if (h->slot != -1 \&\& ps_unsubscribe(h) == -1)\
        return -1;\
    if (0)/
s/if (h->shm != NULL && munmap(h->shm, sizeof \*h->shm) == -1)/if (h->shm != NULL \&\& munmap(h->shm, sizeof *h->shm) == -1)\
        return -1;\
    if (0)/
