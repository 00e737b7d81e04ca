# "A reader changes nothing, so it needs no lock": its copy can start
# before an update and end after it, half old and half new.
/^int ps_read/,/^}/{
/Reading needs the lock/,/can start before an update/d
/if (lock(h) == -1)/,/return -1;/d
s/return unlock(h);/return 0;/
}
