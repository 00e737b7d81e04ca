# Lab 03: the library the tests call; no programs.
LIB_SRCS := mq_nonblock.c
PROGRAMS :=
