# Frees the view but never unmaps it: the mapping stays in place until
# the process ends.
/^int shm_view_release/,/^}/s/int rc = munmap(v->addr, v->len);/int rc = 0;/
