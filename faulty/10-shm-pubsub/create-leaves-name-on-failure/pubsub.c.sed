# When a step after shm_open fails, closes the descriptor but leaves the
# new name behind: the next ps_create of that name fails with EEXIST.
/^fail:$/,/^    return -1;$/{
/if (created)/d
/shm_unlink(name);/d
}
