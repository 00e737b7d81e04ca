# Carries into tv_sec only when tv_nsec passes 1e9, not when it reaches it:
# a sum of exactly 1000000000 ns stays in tv_nsec, which the timed calls
# refuse with EINVAL (once in a thousand milliseconds, on a real clock).
s/    if (now.tv_nsec >= NS_PER_SEC) {/    if (now.tv_nsec > NS_PER_SEC) {/
