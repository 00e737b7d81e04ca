/* sender.c - lab 01: sends its arguments to a queue, one message each.
 * See README.md for the exact behaviour and output.
 *
 * usage: sender NAME MESSAGE... */
#include "mq_basics.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    /* TODO(student): check the arguments; open the existing queue for
     * sending; send each MESSAGE; close the queue. On failure print
     * "sender: cannot open NAME: REASON" and exit with status 1. */
    (void)argc;
    (void)argv;
    fprintf(stderr, "sender: not written yet\n");
    return 1;
}
