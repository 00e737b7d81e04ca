# Lab 06: the library the tests call; no programs of its own.
LIB_SRCS := shm_size.c
PROGRAMS :=
