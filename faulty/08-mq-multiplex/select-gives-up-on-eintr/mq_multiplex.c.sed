# Treats every failure of select() as fatal: a signal that interrupts the
# wait (EINTR) ends the server loop with -1.
/if (select(nfds, &ready, NULL, NULL, NULL) == -1) {/,/^        }$/c\
        if (select(nfds, &ready, NULL, NULL, NULL) == -1)\
            return -1;
