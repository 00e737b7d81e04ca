# Saves errno but never puts it back after cleaning up: when a cleanup
# call fails too, the caller learns its errno, not the first failure's.
/^struct shm_view \*shm_create_writer/,/^}/s/^        errno = saved;/        (void)saved;/
