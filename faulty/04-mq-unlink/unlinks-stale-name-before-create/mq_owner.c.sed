# Removes any queue of that name first "in case a stale one is left from
# an earlier run": O_EXCL then never fails, and a live owner loses its
# name to the newcomer.
/O_EXCL, and no mq_unlink "to make room" first: a queue of that/,/name may be another owner's, in use right now. \*\//d
/^    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, OWNER_MODE, &attr);/i\
    mq_unlink(name);
