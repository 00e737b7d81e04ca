# Both failed: the errno kept is the unlink's, not the first one.
s/if (mq_unlink(name) == -1 \&\& failed_errno == 0)/if (mq_unlink(name) == -1)/
