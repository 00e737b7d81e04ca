# tools.mk - the grader's own programs (not student code), kept between
# runs in build/tools. Each is linked under a temporary name and renamed,
# so two gradings started at once never see a half-written binary.
ROOT := $(dir $(lastword $(MAKEFILE_LIST)))..
include $(ROOT)/config.mk
OUT ?= $(ROOT)/build/tools

all: $(OUT)/report $(OUT)/ipctool $(OUT)/jsoncheck $(OUT)/status $(OUT)/scenario_check

$(OUT)/%: $(ROOT)/grader/%.c $(ROOT)/config.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LDLIBS) -o $@.tmp.$$$$ && mv -f $@.tmp.$$$$ $@

.PHONY: all
