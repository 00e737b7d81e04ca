/* ago.h - "12s ago", "5 min ago", "3 h ago", "2 days ago": how long ago a
 * lab was last graded, worded alike by `make status` (student/status.c)
 * and a TEST= run's footer (report.c). */
#ifndef IPCLAB_AGO_H
#define IPCLAB_AGO_H
#include <stdio.h>
#include <time.h>

/* WHEN: seconds since the epoch. The text lives in a static buffer,
 * until the next call. */
static inline const char *ago(long when)
{
    static char buf[64];
    long s = (long)time(NULL) - when;
    if (s < 90)
        snprintf(buf, sizeof buf, "%lds ago", s < 0 ? 0 : s);
    else if (s < 5400)
        snprintf(buf, sizeof buf, "%ld min ago", s / 60);
    else if (s < 48 * 3600)
        snprintf(buf, sizeof buf, "%ld h ago", s / 3600);
    else
        snprintf(buf, sizeof buf, "%ld days ago", s / 86400);
    return buf;
}
#endif
