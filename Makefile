# ipc-labs: POSIX message queues and shared memory, with a grader.
# `make` alone prints what you can do.
SHELL := /bin/sh
.DEFAULT_GOAL := help
export LAB SRC RESULTS TEST LEAKCHECK HINT DETAILS

help:
	@echo "ipc-labs: POSIX message queues and shared memory on Linux"
	@echo
	@echo "  make grade [LAB=NN] [TEST=name]  grade your work in labs/ (TEST: a name"
	@echo "                              or a part of one; without LAB, a line per lab)"
	@echo "  make grade SRC=DIR [RESULTS=r.json]  grade another submission"
	@echo "  make status                 every lab's last score, and what next"
	@echo "  make hint LAB=NN [TEST=name] one more hint for the first failing test"
	@echo "  make watch LAB=NN           grade again on every save"
	@echo "  make handin                 pack your files for submission"
	@echo "  make doctor                 check (and set up) this machine"
	@echo "  make test                   the project's own tests"
	@echo "  make bench                  how fast the grader is"
	@echo "  make bench-ipc              measure IPC here (notes/11-measuring-ipc.md)"
	@echo "  make clean                  remove build output"
	@$(MAKE) -s --no-print-directory help-instructors 2>/dev/null || true
	@echo
	@echo "Start with README.md, then labs/01-mq-basics/README.md."

grade:
	@./grader/grade.sh

doctor:
	@./grader/doctor.sh

status:
	@make -s -f grader/tools.mk && ./build/tools/status .

hint:
	@./grader/student/hint.sh

watch:
	@./grader/student/watch.sh

handin:
	@./grader/student/handin.sh

test:
	@./grader/selfcheck/selftest.sh

bench:
	@./grader/selfcheck/bench.sh

clean:
	rm -rf build .grade/tmp

.PHONY: help grade doctor status hint watch handin test bench clean
include notes/bench/bench.mk
include grader/instructor/instructor.mk
