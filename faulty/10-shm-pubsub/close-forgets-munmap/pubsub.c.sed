# "shm_unlink frees the object": ps_close never unmaps. The mapping
# outlives every descriptor and the name, and keeps the memory for as
# long as the process lives.
/if (h->shm != NULL && munmap(h->shm, sizeof \*h->shm) == -1)/,/keep_first(&first);/d
