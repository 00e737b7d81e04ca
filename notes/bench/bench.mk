# bench.mk - `make bench-ipc`: POSIX message queue, shared memory, pipe
# and Unix socket measured on this machine (notes/11-measuring-ipc.md).
# Included by the top-level Makefile, so paths are from the top folder.
# The two programs are built by notes/bench/build.mk with config.mk's
# flags, into build/bench.

bench-ipc:
	@$(MAKE) --no-print-directory -f notes/bench/build.mk
	build/bench/ipcbench -o notes/bench/results.csv
	build/bench/plot notes/bench/results.csv notes/bench/results.svg
	@echo "bench-ipc: wrote notes/bench/results.csv and notes/bench/results.svg"

# The quick mode into a temporary folder, and its CSV and SVG checked.
bench-ipc-check:
	@$(MAKE) --no-print-directory -f notes/bench/build.mk
	@notes/bench/check.sh build/bench

# `make test` checks the benchmark too.
test: bench-ipc-check

.PHONY: bench-ipc bench-ipc-check
