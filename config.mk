# The one place for build flags: every lab, the harness, the probes and
# the self-tests use these, so a flag never differs from lab to lab.
CC       ?= gcc
CSTD     := -std=c11
CPPFLAGS := -D_POSIX_C_SOURCE=200809L
CWARN    := -Wall -Wextra -Werror
CDEBUG   := -g -O0
CFLAGS   := $(CSTD) $(CWARN) $(CDEBUG)
# mq_* and shm_open moved into libc with glibc 2.34; -lrt keeps older
# systems (Ubuntu 20.04, RHEL 8) working and is an empty stub elsewhere.
LDLIBS   := -lrt -lpthread
CRITERION_LIBS := -lcriterion
