# harness.mk - the grader's harness, linked into every lab's tests.
#   make -f grader/harness.mk OUT=build/cache/harness
# It is the suite's code, not the student's, so it is kept between runs;
# every file is written under a temporary name and renamed, so that two
# gradings started at once never link a half-written one.
ROOT := $(dir $(lastword $(MAKEFILE_LIST)))..
include $(ROOT)/config.mk

HARNESS_SRCS := $(wildcard $(ROOT)/grader/harness/*.c)
HARNESS_OBJS := $(HARNESS_SRCS:$(ROOT)/grader/harness/%.c=$(OUT)/%.o)

$(OUT)/harness.a: $(HARNESS_OBJS)
	rm -f $@.tmp.$$$$
	ar rcs $@.tmp.$$$$ $^ && mv -f $@.tmp.$$$$ $@

$(OUT)/%.o: $(ROOT)/grader/harness/%.c $(wildcard $(ROOT)/grader/harness/*.h) \
           $(ROOT)/config.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@.tmp.$$$$ && mv -f $@.tmp.$$$$ $@
