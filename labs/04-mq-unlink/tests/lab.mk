# Lab 04: the library the tests call; no programs.
LIB_SRCS := mq_owner.c
PROGRAMS :=
