# Passes the highest descriptor as nfds instead of the highest + 1:
# select() never looks at the queue with the highest descriptor.
s/return maxfd + 1;/return maxfd;/
