# Lab 01: the library the tests call, and the two programs.
LIB_SRCS := mq_basics.c
PROGRAMS := sender receiver
