# Lab 05: the library the tests call; no programs of its own.
LIB_SRCS := shm_mapping.c
PROGRAMS :=
