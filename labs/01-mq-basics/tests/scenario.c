/* scenario.c - lab 01: what a correct program does with the library,
 * start to end, run once under valgrind for the cleanliness tests.
 * Buffers are malloc'd at their exact size so that valgrind sees a write
 * one byte too far. Exits 0 only if the calls a working program needs
 * succeed: cleanliness counts only where the behaviour works. */
#include "lab_scenario.h"
#include "mq_basics.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char name[200], other[200];
    snprintf(name, sizeof name, "%s.0", argv[1]);
    snprintf(other, sizeof other, "%s.1", argv[1]);

    mqd_t q = mqb_create(name, 4, 64);
    if (q == (mqd_t)-1)
        return lab_scenario_failed("mqb_create failed");
    mqd_t w = mqb_open_writer(name);
    mqd_t r = mqb_open_reader(name);
    if (w == (mqd_t)-1 || r == (mqd_t)-1)
        return lab_scenario_failed("mqb_open_writer or mqb_open_reader failed");
    /* Error paths must release what they took, too. Whether they give
     * the right errno is the behaviour tests' business, not this one's. */
    mqd_t again = mqb_create(name, 4, 64);
    if (again != (mqd_t)-1)
        mqb_close(again);
    mqd_t missing = mqb_open_reader(other);
    if (missing != (mqd_t)-1)
        mqb_close(missing);

    if (mqb_send_text(w, "alpha") == -1 || mqb_send_text(w, "b") == -1)
        return lab_scenario_failed("mqb_send_text failed");
    if (mqb_pending(q) == -1)
        return lab_scenario_failed("mqb_pending failed");
    char *tiny = malloc(4);
    char *roomy = malloc(64);
    if (!tiny || !roomy)
        return lab_scenario_failed("out of memory");
    ssize_t n1 = mqb_receive_text(r, tiny, 4);
    ssize_t n2 = mqb_receive_text(q, roomy, 64);
    int ok = n1 > 0 && strncmp(tiny, "alp", 3) == 0 && n2 > 0 &&
             roomy[0] == 'b';
    free(tiny);
    free(roomy);
    if (!ok)
        return lab_scenario_failed("mqb_receive_text did not receive the messages sent");
    char small[8];
    mqb_receive_text(w, small, sizeof small);   /* fails: w is O_WRONLY */

    if (mqb_close(w) == -1 || mqb_close(r) == -1 || mqb_close(q) == -1)
        return lab_scenario_failed("mqb_close failed");
    if (mqb_destroy(name) == -1)
        return lab_scenario_failed("mqb_destroy failed");
    return lab_scenario_complete();
}
