# Trusts mq_open to refuse a long name: a name of MUX_NAME_MAX characters
# or more is reported as whatever mq_open says (EINVAL without a '/'),
# and one that mq_open accepted would overflow in[i].name.
/if (strlen(names\[i\]) >= MUX_NAME_MAX) {/,/^        }$/d
