# Lab 09: the library the tests call; no programs (the tests start the
# producer and consumer processes themselves).
LIB_SRCS := notify_queue.c
PROGRAMS :=
