# pthread_mutex_lock returns its error; this lock helper returns -1 but
# leaves errno as it was, so the caller reports some older error.
/^static int lock(/,/^}/{
/errno = err;/d
}
