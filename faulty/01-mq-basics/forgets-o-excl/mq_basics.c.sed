# Creates with O_CREAT alone: a stale queue is silently reused.
s/O_RDWR | O_CREAT | O_EXCL/O_RDWR | O_CREAT/
