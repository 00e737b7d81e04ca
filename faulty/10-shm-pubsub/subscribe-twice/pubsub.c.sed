# Never checks whether the handle is already subscribed: a second
# ps_subscribe takes a second slot and loses the first queue.
/^int ps_subscribe/,/^}/{
/if (h->slot != -1) {/,/^    }$/d
}
