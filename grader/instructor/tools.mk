# tools.mk - the instructors' own programs (grader/instructor/*.c), into
# build/tools beside the grader's (grader/tools.mk). Not in the hand-out.
# Each is linked under a temporary name and renamed, as grader/tools.mk
# does: a batch and a `make similarity` started at once never see a
# half-written binary.
ROOT := $(dir $(lastword $(MAKEFILE_LIST)))../..
include $(ROOT)/config.mk
OUT ?= $(ROOT)/build/tools

all: $(OUT)/classreport $(OUT)/simreport

$(OUT)/%: $(ROOT)/grader/instructor/%.c $(ROOT)/config.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@.tmp.$$$$ && mv -f $@.tmp.$$$$ $@

# What both share.
$(OUT)/classreport $(OUT)/simreport: $(ROOT)/grader/instructor/tool.h

.PHONY: all
