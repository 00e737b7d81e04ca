# Opens the mailbox without O_NONBLOCK: posting to a full mailbox
# waits for room instead of failing at once with EAGAIN.
s/O_WRONLY | O_CREAT | O_NONBLOCK, OWNER_MODE/O_WRONLY | O_CREAT, OWNER_MODE/
