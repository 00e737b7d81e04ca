# build.mk - build ipcbench and plot into build/bench with the flags of
# config.mk. Each program is linked under a temporary name and renamed,
# so a run started meanwhile never sees a half-written binary.
ROOT := $(realpath $(dir $(lastword $(MAKEFILE_LIST)))../..)
include $(ROOT)/config.mk
OUT ?= $(ROOT)/build/bench
SRC := $(ROOT)/notes/bench

all: $(OUT)/ipcbench $(OUT)/plot

$(OUT)/ipcbench: $(SRC)/ipcbench.c $(ROOT)/config.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LDLIBS) -o $@.tmp.$$$$ && mv -f $@.tmp.$$$$ $@

# plot needs nothing beyond libc.
$(OUT)/plot: $(SRC)/plot.c $(ROOT)/config.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@.tmp.$$$$ && mv -f $@.tmp.$$$$ $@

.PHONY: all
