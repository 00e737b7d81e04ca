# Lab 07: the library the tests call; no programs of its own.
LIB_SRCS := refcount.c
PROGRAMS :=
