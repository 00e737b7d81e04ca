# Gives select() and poll() a zero timeout "so the loop stays
# responsive": both return at once, and the server spins on the CPU
# while every queue is empty.
s/select(nfds, &ready, NULL, NULL, NULL)/select(nfds, \&ready, NULL, NULL, \&(struct timeval){0, 0})/
s/poll(fds, (nfds_t)s->count, -1)/poll(fds, (nfds_t)s->count, 0)/
