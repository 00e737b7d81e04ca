/* scenario.c - lab 07: what a correct program does with the library,
 * start to end, run once under valgrind for the cleanliness tests.
 * Receive buffers are malloc'd at their exact size so that valgrind sees
 * a write one byte too far. Exits 0 only if the calls a working program
 * needs succeed: cleanliness counts only where the behaviour works. */
#include "lab_scenario.h"
#include "refcount.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Receives into a buffer of exactly the text's size with its '\0'. */
static int receive_exact(struct channel *c, const char *want)
{
    size_t size = strlen(want) + 1;
    char *out = malloc(size);
    if (out == NULL)
        return lab_scenario_failed("out of memory");
    ssize_t n = channel_receive(c, out, size);
    int ok = n == (ssize_t)strlen(want) && strcmp(out, want) == 0;
    free(out);
    return ok ? 0 : lab_scenario_failed("channel_receive did not give the text published");
}

/* A creator and an attached reader in one process, start to end. */
static int one_channel(const char *q, const char *d)
{
    struct channel *c = channel_create(q, d, 4096);
    if (c == NULL)
        return lab_scenario_failed("channel_create failed");
    if (channel_publish(c, "one") == -1)
        return lab_scenario_failed("channel_publish failed");
    struct channel *r = channel_attach(q, d);
    if (r == NULL)
        return lab_scenario_failed("channel_attach failed");
    if (receive_exact(r, "one") != 0)
        return 1;
    if (channel_detach(r) == -1)
        return lab_scenario_failed("channel_detach of the reader failed");
    if (channel_publish(c, "two") == -1 || receive_exact(c, "two") != 0)
        return lab_scenario_failed("the creator's own round trip failed");
    /* A buffer with no room for the '\0' must be refused, not overrun. */
    if (channel_publish(c, "three") == -1)
        return lab_scenario_failed("channel_publish failed");
    char *tight = malloc(5);
    if (tight == NULL)
        return lab_scenario_failed("out of memory");
    channel_receive(c, tight, 5);
    free(tight);
    /* Unlinking while still attached is allowed: the objects go once
     * the last holder detaches. */
    if (channel_unlink(q, d) == -1)
        return lab_scenario_failed("channel_unlink failed");
    if (channel_detach(c) == -1)
        return lab_scenario_failed("channel_detach of the creator failed");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char name[6][200];
    for (int i = 0; i < 6; i++)
        snprintf(name[i], sizeof name[i], "%s.%d", argv[1], i);

    if (one_channel(name[0], name[1]) != 0)
        return 1;

    /* Error paths must release what they took, too, names included.
     * Whether they give the right errno is the behaviour tests'
     * business: a call that wrongly succeeds is released like any other. */
    int fd = shm_open(name[2], O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd == -1 || close(fd) == -1)
        return lab_scenario_failed("the scenario's own shm_open failed");
    struct channel *taken = channel_create(name[3], name[2], 4096);
    if (taken != NULL) {
        channel_detach(taken);
        mq_unlink(name[3]);
    }
    if (shm_unlink(name[2]) == -1)
        return lab_scenario_failed("the scenario's own shm_unlink failed");
    struct channel *missing = channel_attach(name[4], name[5]);
    if (missing != NULL)
        channel_detach(missing);
    return lab_scenario_complete();
}
