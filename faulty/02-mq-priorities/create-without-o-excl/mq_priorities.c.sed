# O_CREAT alone: a stale queue and its messages are reused.
s/O_RDWR | O_CREAT | O_EXCL, PRIO_MODE/O_RDWR | O_CREAT, PRIO_MODE/
