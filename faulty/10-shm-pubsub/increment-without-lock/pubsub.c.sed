# "counter++ is one statement, it needs no lock": it is a load, an add
# and a store, and two writers interleave them and lose increments.
/^int ps_increment/,/^}/{
/if (lock(h) == -1)/,/return -1;/d
/Load, add, store/,/with; the lock makes them one/d
s/return unlock(h);/return 0;/
}
