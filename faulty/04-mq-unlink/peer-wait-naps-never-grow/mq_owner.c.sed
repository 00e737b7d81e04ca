# Always naps 1 ms: hundreds of tries per second while the queue does
# not exist, instead of doubling the nap up to PEER_MAX_NAP_MS.
s/wait_ms = wait_ms \* 2 < PEER_MAX_NAP_MS ? wait_ms \* 2 : PEER_MAX_NAP_MS;/wait_ms = 1;/
