# tools.mk - the grader's own programs (not student code), kept between
# runs in build/tools. Each is linked under a temporary name and renamed,
# so two gradings started at once never see a half-written binary.
ROOT := $(dir $(lastword $(MAKEFILE_LIST)))..
include $(ROOT)/config.mk
OUT ?= $(ROOT)/build/tools

all: $(OUT)/report $(OUT)/ipctool $(OUT)/jsoncheck $(OUT)/status $(OUT)/scenario_check

# Each tool's source is in the folder of those who run it.
vpath %.c $(ROOT)/grader $(ROOT)/grader/student $(ROOT)/grader/selfcheck

$(OUT)/%: %.c $(ROOT)/config.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LDLIBS) -o $@.tmp.$$$$ && mv -f $@.tmp.$$$$ $@

# Both say how long ago a lab was graded, in the same words.
$(OUT)/report $(OUT)/status: $(ROOT)/grader/ago.h

.PHONY: all
