# Cleans up after a failure in nq_open without restoring the failing
# call's errno: the caller sees what mq_unlink left, or, for a pthread
# error, no errno at all.
/^int nq_open/,/^}/{
/^        errno = err;$/d
}
