# Lab 02: the library the tests call; no programs.
LIB_SRCS := mq_priorities.c
PROGRAMS :=
