# Takes EOWNERDEAD as plain success without pthread_mutex_consistent: the
# next unlock makes the mutex unusable (ENOTRECOVERABLE) for everyone.
s/        err = pthread_mutex_consistent(&h->shm->lock);/        err = 0;/
