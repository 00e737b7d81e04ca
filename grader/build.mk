# build.mk - builds one lab from a submission, always from scratch.
#
#   make -f grader/build.mk LAB_DIR=labs/NN-slug SRC_DIR=<sub>/NN-slug \
#        OUT=<run>/NN-slug HARNESS=<run>/harness.a
#
# The student's files are copied into $(OUT)/src first, so a header the
# submission brought along can never shadow the lab's own contract, and
# they are compiled afresh every time. The lab's own test objects depend
# only on files of the suite, so they are kept in build/cache between
# runs (written under a temporary name and renamed: two gradings at once
# never read a half-written object).
ROOT := $(dir $(lastword $(MAKEFILE_LIST)))..
include $(ROOT)/config.mk
include $(LAB_DIR)/tests/lab.mk

STUDENT_FILES := $(LIB_SRCS) $(PROGRAMS:=.c)
TEST_SRCS     := $(wildcard $(LAB_DIR)/tests/test_*.c)
INCLUDES      := -I$(LAB_DIR) -I$(ROOT)/grader/harness

LIB_OBJS  := $(LIB_SRCS:%.c=$(OUT)/obj/%.o)
CACHE     := $(ROOT)/build/cache/$(notdir $(LAB_DIR))
TEST_OBJS := $(TEST_SRCS:$(LAB_DIR)/tests/%.c=$(CACHE)/%.o)
TEST_DEPS := $(wildcard $(LAB_DIR)/*.h) $(wildcard $(LAB_DIR)/tests/*.h) \
             $(wildcard $(ROOT)/grader/harness/*.h) \
             $(ROOT)/config.mk
BINS      := $(PROGRAMS:%=$(OUT)/bin/%) $(OUT)/bin/tests $(OUT)/bin/scenario
# COVERAGE=1 (`make coverage` only): the student's files are built
# to record which lines and branches the tests reach.
# A weak reference never pulls __gcov_dump out of libgcov.a, so the
# link asks for it by name (grader/harness/proc.c calls it before _exit).
COVFLAGS  := $(if $(COVERAGE),--coverage)
COVLINK   := $(if $(COVERAGE),--coverage -u __gcov_dump)

all: $(BINS)

# Built first and apart, so that a failure is known to be the student's
# (their files) or the grader's (the tests).
student-objs: $(LIB_OBJS) $(PROGRAMS:%=$(OUT)/obj/%.o)
test-objs: $(TEST_OBJS) $(CACHE)/scenario.o

$(OUT)/src/%.c: $(SRC_DIR)/%.c
	@mkdir -p $(@D)
	cp $< $@

$(OUT)/obj/%.o: $(OUT)/src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(COVFLAGS) $(INCLUDES) -c $< -o $@

$(CACHE)/%.o: $(LAB_DIR)/tests/%.c $(TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(INCLUDES) -c $< -o $@.tmp.$$$$ && mv -f $@.tmp.$$$$ $@

# Fault injection (grader/harness/lab_fault.h): in the student's library
# objects, and only there, each call of these functions becomes a call of
# lab_fault_<name>, which a test can make fail. Renamed after
# check-objects.sh has cleared the objects, so a student can never name
# the wrappers themselves.
FAULT_SYMS := malloc calloc realloc free strdup strndup \
              mq_open mq_close mq_unlink mq_getattr mq_setattr mq_send \
              mq_receive mq_timedsend mq_timedreceive mq_notify \
              shm_open shm_unlink ftruncate fstat mmap munmap close \
              pthread_mutex_lock pthread_mutex_timedlock pthread_mutex_unlock \
              pthread_mutex_init \
              pthread_mutexattr_init pthread_mutexattr_setpshared \
              pthread_mutexattr_setrobust pthread_mutex_consistent \
              clock_gettime select poll sigtimedwait pthread_sigmask \
              nanosleep clock_nanosleep
FAULT_OBJS := $(LIB_SRCS:%.c=$(OUT)/obj/%.fault.o)

$(OUT)/obj/%.fault.o: $(OUT)/obj/%.o
	objcopy $(foreach s,$(FAULT_SYMS),--redefine-sym $(s)=lab_fault_$(s)) $< $@

$(OUT)/lib/libstudent.a: $(FAULT_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(OUT)/bin/tests: $(TEST_OBJS) $(OUT)/lib/libstudent.a $(HARNESS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(COVLINK) $(TEST_OBJS) $(OUT)/lib/libstudent.a \
	    -Wl,--whole-archive $(HARNESS) -Wl,--no-whole-archive \
	    $(CRITERION_LIBS) $(LDLIBS) -o $@

# The harness archive after the library supplies the fault wrappers
# (fault.o, which needs nothing of Criterion) and nothing else.
$(OUT)/bin/scenario: $(CACHE)/scenario.o $(OUT)/lib/libstudent.a $(HARNESS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(COVLINK) $^ $(LDLIBS) -o $@

$(OUT)/bin/%: $(OUT)/obj/%.o $(OUT)/lib/libstudent.a $(HARNESS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(COVLINK) $^ $(LDLIBS) -o $@


# What the grader needs to know about the lab, for the shell glue.
print-student-files:
	@echo $(STUDENT_FILES)
# The objects linked into the test runner and the scenario: the ones
# grader/check-objects.sh must clear first.
print-lib-objs:
	@echo $(LIB_OBJS)

.PHONY: all student-objs test-objs print-student-files print-lib-objs
.SECONDARY:
