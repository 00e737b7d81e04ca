# harness.mk - the grader's harness, built once per grading run.
#   make -f grader/harness.mk OUT=<run>/harness
ROOT := $(dir $(lastword $(MAKEFILE_LIST)))..
include $(ROOT)/config.mk

HARNESS_SRCS := $(wildcard $(ROOT)/grader/harness/*.c)
HARNESS_OBJS := $(HARNESS_SRCS:$(ROOT)/grader/harness/%.c=$(OUT)/%.o)

$(OUT)/harness.a: $(HARNESS_OBJS)
	rm -f $@
	ar rcs $@ $^

$(OUT)/%.o: $(ROOT)/grader/harness/%.c $(ROOT)/grader/harness/lab_test.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
