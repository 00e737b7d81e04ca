# Reports a failed munmap in shm_read_all even when the copy had failed
# already: the caller learns munmap's errno, not the first failure's
# (malloc's ENOMEM).
s/if (shm_view_release(v) == -1 && buf != NULL) {/if (shm_view_release(v) == -1) {/
