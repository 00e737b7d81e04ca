# Clears the flag with "&= O_NONBLOCK" instead of "&= ~O_NONBLOCK": that
# keeps the bit, so a descriptor can never be made blocking again.
s/attr.mq_flags &= ~O_NONBLOCK;/attr.mq_flags \&= O_NONBLOCK;/
