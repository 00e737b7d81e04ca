# Retries at once after EAGAIN, with no sleep between tries: the results
# are right, but the loop burns a whole CPU while the queue stays full.
/^\/\* Sleeps MS milliseconds, resuming after a signal. \*\/$/,/^}$/d
/Sleeping, not spinning: a loop that retries at once would burn/,/nap(wait_ms < left ? wait_ms : left);/d
