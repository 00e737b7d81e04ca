/* scenario.c - lab 09: what a correct consumer does with the library,
 * start to end, run once under valgrind for the cleanliness tests.
 *
 * Signal mode runs in this process. Thread mode runs in a child process,
 * which valgrind runs but does not report on: glibc's own SIGEV_THREAD
 * code passes a partly uninitialised struct sigevent to the kernel, which
 * valgrind would blame on every solution. The child's result still
 * counts: the scenario fails if thread mode does not work.
 * Exits 0 only if the calls a working consumer needs succeed. */
#include "lab_scenario.h"
#include "notify_queue.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MSGSIZE 32

struct count {
    pthread_mutex_t m;
    pthread_cond_t cv;
    int n;
};

static void count_msg(void *ctx, const char *msg, size_t len)
{
    struct count *c = ctx;
    (void)msg;
    (void)len;
    pthread_mutex_lock(&c->m);
    c->n++;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->m);
}

/* Consumers stay valid until the process ends: a late notification
 * thread may still look at them. */
static struct nq_consumer sig_consumer, thread_consumer, unused;
static struct count sig_count = {PTHREAD_MUTEX_INITIALIZER,
                                 PTHREAD_COND_INITIALIZER, 0};
static struct count thread_count = {PTHREAD_MUTEX_INITIALIZER,
                                    PTHREAD_COND_INITIALIZER, 0};

static int thread_mode(const char *name)
{
    if (nq_open(&thread_consumer, name, 4, MSGSIZE, count_msg,
                &thread_count) == -1 ||
        nq_start_thread(&thread_consumer) == -1)
        return lab_scenario_failed("thread mode: nq_open or nq_start_thread failed");
    mqd_t w = mq_open(name, O_WRONLY);
    if (w == (mqd_t)-1)
        return lab_scenario_failed("thread mode: mq_open failed");
    for (int i = 0; i < 3; i++)
        if (mq_send(w, "t", 1, 0) == -1)
            return lab_scenario_failed("thread mode: mq_send failed");
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&thread_count.m);
    while (thread_count.n < 3 &&
           pthread_cond_timedwait(&thread_count.cv, &thread_count.m,
                                  &until) == 0)
        ;
    int n = thread_count.n;
    pthread_mutex_unlock(&thread_count.m);
    if (n != 3)
        return lab_scenario_failed("thread mode: not every message was handled");
    mq_close(w);
    nq_close(&thread_consumer);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char n0[200], n1[200];
    snprintf(n0, sizeof n0, "%s.0", argv[1]);
    snprintf(n1, sizeof n1, "%s.1", argv[1]);

    /* An error path must release what it took, too. */
    if (nq_open(&unused, "ipclab-no-slash", 4, MSGSIZE, count_msg,
                &sig_count) != -1)
        return lab_scenario_failed("nq_open accepted a name without '/'");

    if (nq_open(&sig_consumer, n0, 4, MSGSIZE, count_msg, &sig_count) == -1)
        return lab_scenario_failed("nq_open failed");
    if (nq_start_signal(&sig_consumer, SIGUSR1) == -1)
        return lab_scenario_failed("nq_start_signal failed");
    mqd_t w = mq_open(n0, O_WRONLY);
    if (w == (mqd_t)-1)
        return lab_scenario_failed("mq_open failed");
    /* A message of exactly mq_msgsize bytes: a write past the buffer
     * shows. */
    static const char full[MSGSIZE] = "a message of exactly 32 bytes..";
    struct timespec two = {2, 0}, short_wait = {0, 50 * 1000 * 1000};
    if (mq_send(w, full, MSGSIZE, 0) == -1)
        return lab_scenario_failed("mq_send failed");
    if (nq_wait_signal(&sig_consumer, &two) != 1)
        return lab_scenario_failed("nq_wait_signal did not handle the first message");
    if (mq_send(w, "b", 1, 0) == -1 || mq_send(w, "c", 1, 0) == -1)
        return lab_scenario_failed("mq_send failed");
    if (nq_wait_signal(&sig_consumer, &two) != 2)
        return lab_scenario_failed("nq_wait_signal did not handle the next two");
    if (nq_wait_signal(&sig_consumer, &short_wait) != 0)
        return lab_scenario_failed("nq_wait_signal without a message did not return 0");
    if (mq_close(w) == -1)
        return lab_scenario_failed("mq_close failed");
    /* Its result is the behaviour tests' business: here only what it
     * leaves behind counts. */
    nq_close(&sig_consumer);

    fflush(NULL);
    pid_t pid = fork();
    if (pid == -1)
        return lab_scenario_failed("fork failed");
    if (pid == 0)
        _exit(thread_mode(n1));
    int status;
    if (waitpid(pid, &status, 0) == -1)
        return lab_scenario_failed("waitpid failed");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        errno = 0;
        return lab_scenario_failed("thread mode failed in the child process");
    }
    return lab_scenario_complete();
}
