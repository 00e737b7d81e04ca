/* scenario.c - lab 10: what correct processes do with the library, start
 * to end, in one process under valgrind for the cleanliness tests: the
 * owner creates and publishes, a late handle attaches and reads, two
 * subscribers come and go, and everyone closes what is theirs. The data
 * given to ps_publish is malloc'd at its exact length, so reading past it
 * shows. Exits 0 only if the calls a working program needs succeed. */
#include "lab_scenario.h"
#include "pubsub.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEN 100

static struct ps_snapshot snap;

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char shm[200], q1[200], q2[200];
    snprintf(shm, sizeof shm, "%s.0", argv[1]);
    snprintf(q1, sizeof q1, "%s.1", argv[1]);
    snprintf(q2, sizeof q2, "%s.2", argv[1]);

    struct ps_handle owner, late, other, again;
    if (ps_create(&owner, shm) == -1)
        return lab_scenario_failed("ps_create failed");
    /* An error path must release what it took, too. */
    if (ps_create(&again, shm) != -1)
        return lab_scenario_failed("a second ps_create of the same name succeeded");

    char *data = malloc(LEN);
    if (data == NULL)
        return lab_scenario_failed("out of memory");
    memset(data, 'x', LEN);
    if (ps_publish(&owner, data, LEN) == -1)
        return lab_scenario_failed("ps_publish failed");

    /* A late process attaches and finds the current state. */
    if (ps_attach(&late, shm) == -1)
        return lab_scenario_failed("ps_attach failed");
    if (ps_read(&late, &snap) == -1 || snap.seq != 1 || snap.len != LEN ||
        memcmp(snap.data, data, LEN) != 0)
        return lab_scenario_failed("a late ps_attach + ps_read did not see the update");

    if (ps_subscribe(&late, q1) == -1)
        return lab_scenario_failed("ps_subscribe failed");
    if (ps_attach(&other, shm) == -1 || ps_subscribe(&other, q2) == -1)
        return lab_scenario_failed("a second subscriber could not join");
    memset(data, 'y', LEN);
    if (ps_publish(&owner, data, LEN) == -1)
        return lab_scenario_failed("ps_publish failed");
    free(data);
    struct timespec second = {1, 0}, short_wait = {0, 10 * 1000 * 1000};
    if (ps_wait(&late, &snap, &second) != 1 || snap.seq != 2 ||
        snap.data[0] != 'y')
        return lab_scenario_failed("ps_wait did not report the second update");
    if (ps_wait(&late, &snap, &short_wait) != 0)
        return lab_scenario_failed("ps_wait without an update did not return 0");
    for (int i = 0; i < 3; i++)
        if (ps_increment(&other) == -1)
            return lab_scenario_failed("ps_increment failed");
    if (owner.shm->counter != 3)
        return lab_scenario_failed("ps_increment did not count");

    /* Each closes its own; the owner last. Their results are the
     * behaviour tests' business: here only what they leave counts. */
    ps_unsubscribe(&late);
    ps_close(&late);
    ps_close(&other);   /* still subscribed, with a notification queued */
    ps_close(&owner);
    return lab_scenario_complete();
}
