# instructor.mk - the instructors' targets (grader/instructor/INSTRUCTORS.md), included
# by the top-level Makefile. Not in the hand-out: grader/instructor/handout.sh leaves
# this file out and drops the include line from the hand-out's Makefile.
#
#   make handout [HANDOUT=FILE]                the student distribution
#   make batch SUBMISSIONS=DIR OUT=DIR [LAB=NN] [BATCH_JOBS=N]
#                                              grade a class: gradebook.csv
#                                              and the class report (report.html)
#   make similarity SUBMISSIONS=DIR OUT=DIR [LAB=NN] [SIM_THRESHOLD=PCT]
#                                              which submissions share code (sim_c)
#   make check-class-report                    a batch of known submissions: its
#                                              report against its gradebook,
#                                              its similarity, a screenshot
#   make github-classroom DEST=DIR [LAB=NN] [CLASSROOM_POINTS=test|lab]
#                                              GitHub Classroom's workflow, into
#                                              a student (template) repository
#   make check-github-classroom                its commands, run here in a clone
#   make gradescope [LAB=NN]                   the Gradescope autograder zip
#   make bench-batch [COPIES=N] [RUNS=N]       batch throughput, serial and
#                                              parallel (medians)
#   make check-handout                         what `make test` checks of it
#   make coverage [LAB=NN]                     lines and branches of each
#                                              solution the tests reach
#   make mutants [LAB=NN] [MUTANTS_SAMPLE=N] [MUTANTS_KEEP=1]
#                                              what the tests miss of each
#                                              solution (grader/selfcheck/mutants.sh)

handout:
	@HANDOUT="$(HANDOUT)" ./grader/instructor/handout.sh

batch:
	@if [ -z "$(SUBMISSIONS)" ] || [ -z "$(OUT)" ]; then \
	    echo "usage: make batch SUBMISSIONS=DIR OUT=DIR [LAB=NN] [BATCH_JOBS=N]" >&2; exit 2; fi
	@BATCH_JOBS="$(BATCH_JOBS)" GRADE_JOBS="$(GRADE_JOBS)" SUB_BOUND="$(SUB_BOUND)" \
	    LAB_BOUND="$(LAB_BOUND)" BATCH_PIDS="$(BATCH_PIDS)" BATCH_USER="$(BATCH_USER)" \
	    AUTOLAB="$(AUTOLAB)" BATCH_KEEP="$(BATCH_KEEP)" \
	    ./grader/instructor/batch.sh "$(SUBMISSIONS)" "$(OUT)"

similarity:
	@if [ -z "$(SUBMISSIONS)" ] || [ -z "$(OUT)" ]; then \
	    echo "usage: make similarity SUBMISSIONS=DIR OUT=DIR [LAB=NN] [SIM_THRESHOLD=PCT]" >&2; exit 2; fi
	@SIM_THRESHOLD="$(SIM_THRESHOLD)" SIM_RUN="$(SIM_RUN)" \
	    ./grader/instructor/similarity.sh "$(SUBMISSIONS)" "$(OUT)"

github-classroom:
	@DEST="$(DEST)" CLASSROOM_POINTS="$(CLASSROOM_POINTS)" ./grader/instructor/github-classroom.sh

check-github-classroom:
	@./grader/instructor/check-github-classroom.sh

check-class-report:
	@BATCH_JOBS="$(BATCH_JOBS)" ./grader/instructor/check-class-report.sh

gradescope:
	@GRADESCOPE_ZIP="$(GRADESCOPE_ZIP)" ./grader/instructor/gradescope/build.sh

bench-batch:
	@COPIES="$(COPIES)" RUNS="$(RUNS)" ./grader/instructor/bench-batch.sh

check-handout:
	@./grader/selfcheck/check-handout.sh

coverage:
	@./grader/selfcheck/coverage.sh

mutants:
	@MUTANTS_SAMPLE="$(MUTANTS_SAMPLE)" MUTANTS_KEEP="$(MUTANTS_KEEP)" \
	    MUTANTS_JOBS="$(MUTANTS_JOBS)" MUTANTS_BOUND="$(MUTANTS_BOUND)" \
	    ./grader/selfcheck/mutants.sh

.PHONY: handout batch similarity check-class-report github-classroom check-github-classroom gradescope bench-batch check-handout coverage mutants

# Listed by `make help` where this file is included (not in a hand-out).
help-instructors:
	@echo
	@echo "Instructors (grader/instructor/INSTRUCTORS.md):"
	@echo "  make handout                the student tarball, without solutions"
	@echo "  make batch SUBMISSIONS=DIR OUT=DIR  grade a whole class"
	@echo "    (writes OUT/report.html and OUT/report.md: the class at a glance)"
	@echo "  make similarity SUBMISSIONS=DIR OUT=DIR  which submissions share code (sim_c)"
	@echo "  make check-class-report     the report and similarity on a known batch (+ screenshot)"
	@echo "  make github-classroom DEST=DIR  GitHub Classroom's autograding workflow"
	@echo "  make check-github-classroom its commands run here, in a clone of the hand-out"
	@echo "  make gradescope             the Gradescope autograder zip"
	@echo "  make bench-batch            batch throughput, serial and parallel"
	@echo "  make coverage [LAB=NN]      what of each solution the tests reach (gcovr)"
	@echo "  make mutants [LAB=NN]       which small mistakes in the solutions the tests miss"

.PHONY: help-instructors
