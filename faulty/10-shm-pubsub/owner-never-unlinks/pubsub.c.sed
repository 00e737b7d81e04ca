# Believes munmap and close free the object once nobody uses it (the
# course notes' mistake): the owner never calls shm_unlink, and the object
# stays in /dev/shm until reboot.
/if (h->owner && shm_unlink(h->name) == -1)/,/keep_first(&first);/d
