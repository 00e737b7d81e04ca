/* lab_fault.h - fault injection into the student's own calls.
 *
 * Specs promise behaviour when a call fails ("freed on every path,
 * errors included", "errno as the failing call left it"), but on a
 * healthy machine malloc, mq_getattr or mmap never fail, so no test
 * could reach those paths. grader/build.mk therefore renames, in the
 * student's library objects only, every call of the functions below to
 * lab_fault_<name> (objcopy --redefine-sym). Those wrappers count the
 * calls and make the ones a test asks for fail with the errno it chose;
 * every other call goes straight through. The tests' own calls, the
 * harness's and Criterion's are never touched.
 *
 *     lab_fault_reset();
 *     lab_fault_fail(LAB_FAULT_MALLOC, 2, ENOMEM, LAB_FAULT_ONCE);
 *     r = student_function(...);
 *     lab_assert(r == -1 && errno == ENOMEM, note, "when %s ...",
 *                lab_fault_describe());
 *
 * Each test runs in a process of its own, so a plan never outlives it
 * (a child from lab_spawn inherits the plan as it stood at the fork).
 */
#ifndef LAB_FAULT_H
#define LAB_FAULT_H

/* The calls that can be made to fail. Keep in step with fault.c's
 * table and with FAULT_SYMS in grader/build.mk. */
enum lab_fault_call {
    LAB_FAULT_MALLOC,
    LAB_FAULT_CALLOC,
    LAB_FAULT_REALLOC,
    LAB_FAULT_STRDUP,
    LAB_FAULT_STRNDUP,
    LAB_FAULT_MQ_OPEN,
    LAB_FAULT_MQ_CLOSE,
    LAB_FAULT_MQ_UNLINK,
    LAB_FAULT_MQ_GETATTR,
    LAB_FAULT_MQ_SETATTR,
    LAB_FAULT_MQ_SEND,
    LAB_FAULT_MQ_RECEIVE,
    LAB_FAULT_MQ_TIMEDSEND,
    LAB_FAULT_MQ_TIMEDRECEIVE,
    LAB_FAULT_MQ_NOTIFY,
    LAB_FAULT_SHM_OPEN,
    LAB_FAULT_SHM_UNLINK,
    LAB_FAULT_FTRUNCATE,
    LAB_FAULT_FSTAT,
    LAB_FAULT_MMAP,
    LAB_FAULT_MUNMAP,
    LAB_FAULT_CLOSE,
    LAB_FAULT_PTHREAD_MUTEX_LOCK,
    LAB_FAULT_PTHREAD_MUTEX_TIMEDLOCK,
    LAB_FAULT_PTHREAD_MUTEX_UNLOCK,
    LAB_FAULT_PTHREAD_MUTEX_INIT,
    LAB_FAULT_PTHREAD_MUTEXATTR_INIT,
    LAB_FAULT_PTHREAD_MUTEXATTR_SETPSHARED,
    LAB_FAULT_PTHREAD_MUTEXATTR_SETROBUST,
    LAB_FAULT_PTHREAD_MUTEX_CONSISTENT,
    LAB_FAULT_CLOCK_GETTIME,
    LAB_FAULT_SELECT,
    LAB_FAULT_POLL,
    LAB_FAULT_SIGTIMEDWAIT,
    LAB_FAULT_PTHREAD_SIGMASK,
    LAB_FAULT_NANOSLEEP,
    LAB_FAULT_CLOCK_NANOSLEEP,
    LAB_FAULT_CALLS /* how many there are */
};

enum lab_fault_mode {
    LAB_FAULT_ONCE,    /* only the Nth call fails                     */
    LAB_FAULT_FROM_ON  /* the Nth call and every later one fail       */
};

/* Makes the NTH call of CALL (counted from 1 since the last reset) fail
 * with ERR, as that call reports failures (-1 and errno, NULL and errno,
 * MAP_FAILED, or the pthread functions' returned error number). Replaces
 * an earlier plan for the same CALL; plans for other calls stay. */
void lab_fault_fail(enum lab_fault_call call, unsigned nth, int err,
                    enum lab_fault_mode mode);
/* Forgets every plan and sets every count back to 0. */
void lab_fault_reset(void);
/* How many times the student's code called CALL since the last reset
 * (failed calls included). */
unsigned lab_fault_calls(enum lab_fault_call call);
/* How many failures were injected since the last reset, all calls. */
unsigned lab_fault_injected(void);
/* "malloc", "mq_getattr", ... */
const char *lab_fault_name(enum lab_fault_call call);
/* The last injected failure in a student's words: "the 2nd malloc
 * failed with ENOMEM"; "no call was made to fail" if none was. */
const char *lab_fault_describe(void);

/* From now on, every clock_gettime of the student's code (any clock)
 * reads NOW, until this is called with NULL: a test can put "now" just
 * before a second boundary and check the arithmetic that follows.    */
struct timespec;
void lab_fault_fake_clock(const struct timespec *now);
/* The longest nap the student's code asked nanosleep or clock_nanosleep
 * for since the last reset (a relative one; an absolute clock_nanosleep
 * counts from the time of the call), in seconds; 0 if none. */
double lab_fault_longest_nap(void);

/* Memory the student's code took with malloc, calloc, realloc, strdup or
 * strndup and has not given back with free (or realloc). A leak on an
 * error path shows as a count higher after the call than before it.  */
unsigned lab_fault_live_blocks(void);

#endif
