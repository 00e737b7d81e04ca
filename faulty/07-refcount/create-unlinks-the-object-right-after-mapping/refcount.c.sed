# Believes the object can go as soon as it is mapped ("the mapping keeps
# it alive"), so channel_create removes its name at once: the object
# lives on for this process, but nobody can attach to it any more.
/^struct channel \*channel_create/,/^}/{
/if (map_and_close(fd, c) == -1)/{
n
a\
    shm_unlink(dname);
}
}
