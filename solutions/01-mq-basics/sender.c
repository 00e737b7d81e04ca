/* sender.c - lab 01 solution: sends its arguments, one message each.
 *
 * usage: sender NAME MESSAGE...
 * The queue must exist already: the receiver creates it. */
#include "mq_basics.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: sender NAME MESSAGE...\n");
        return 2;
    }
    const char *name = argv[1];
    mqd_t q = mqb_open_writer(name);
    if (q == (mqd_t)-1) {
        fprintf(stderr, "sender: cannot open %s: %s\n", name, strerror(errno));
        return 1;
    }
    int status = 0;
    for (int i = 2; i < argc && status == 0; i++) {
        if (mqb_send_text(q, argv[i]) == -1) {
            fprintf(stderr, "sender: cannot send to %s: %s\n", name,
                    strerror(errno));
            status = 1;
        }
    }
    if (mqb_close(q) == -1) {
        fprintf(stderr, "sender: cannot close %s: %s\n", name, strerror(errno));
        status = 1;
    }
    return status;
}
