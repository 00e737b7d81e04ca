# Trusts the caller's len: PS_DATA_MAX + 1 bytes are copied, the last one
# into the subscribers table, and the update is published.
/^int ps_publish/,/^}/{
/if (len > PS_DATA_MAX) {/,/^    }$/d
}
