# Carries into tv_sec only when tv_nsec exceeds 1000000000: exactly
# 1000000000 stays, and mq_timedreceive refuses it with EINVAL.
s/if (abs->tv_nsec >= 1000000000L) {/if (abs->tv_nsec > 1000000000L) {/
