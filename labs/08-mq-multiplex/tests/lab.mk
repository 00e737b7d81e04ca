# Lab 08: the library the tests call; no programs (the tests start the
# producer processes themselves).
LIB_SRCS := mq_multiplex.c
PROGRAMS :=
