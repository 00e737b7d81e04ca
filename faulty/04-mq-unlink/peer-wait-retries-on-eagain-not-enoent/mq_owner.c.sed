# Retries on EAGAIN ("try again") instead of ENOENT, the error a missing
# queue gives: the waiting peer gives up at its first try.
/Only ENOENT means "not created yet"; anything else is final./d
s/if (q != (mqd_t)-1 || errno != ENOENT)/if (q != (mqd_t)-1 || errno != EAGAIN)/
