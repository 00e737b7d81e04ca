/* receiver.c - lab 01: the course notes' rcvr.c. See README.md for the
 * exact behaviour and output.
 *
 * usage: receiver NAME */
#include "mq_basics.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    /* TODO(student): check the arguments; create the queue (10 messages of
     * at most 256 bytes); print "receiver: ready on NAME"; print
     * "received: TEXT" for each message until "quit"; then close and
     * remove the queue. */
    (void)argc;
    (void)argv;
    fprintf(stderr, "receiver: not written yet\n");
    return 1;
}
