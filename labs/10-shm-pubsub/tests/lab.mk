# Lab 10: the library the tests call; no programs (the tests start the
# publisher, writer and subscriber processes themselves).
LIB_SRCS := pubsub.c
PROGRAMS :=
