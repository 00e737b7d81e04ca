# Waits on whatever h->q is: unsubscribed, that is (mqd_t)-1, and
# mq_timedreceive fails with EBADF instead of the spec's EINVAL.
/^int ps_wait/,/^}/{
/if (h->slot == -1) {/,/^    }$/d
}
