/* tool.h - what the instructors' programs (classreport.c, simreport.c)
 * share: dying with a message, allocating or dying, listing a folder in
 * name order. Define TOOL_NAME (the program's name, for its messages)
 * before including it. */
#ifndef IPCLAB_TOOL_H
#define IPCLAB_TOOL_H
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "TOOL_NAME: message: strerror(errno)" (the errno part only if set),
 * then exit 1. */
static inline _Noreturn void die(const char *fmt, ...)
{
    int e = errno;
    va_list ap;
    fprintf(stderr, "%s: ", TOOL_NAME);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (e)
        fprintf(stderr, ": %s", strerror(e));
    fputc('\n', stderr);
    exit(1);
}

static inline void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static inline void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* scandir's order: by name, byte by byte (the locale is C anyway). */
static inline int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}
#endif
