/* probe.h - lab 10's tests: looking at what a call left behind (mappings,
 * the lock, names of an exact length) without trusting the code under
 * test. */
#ifndef PROBE_H
#define PROBE_H

#include "lab_test.h"
#include "pubsub.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* How many mappings of the shm object NAME this process has: each is a
 * line of /proc/self/maps naming /dev/shm/NAME (with " (deleted)" once
 * the name is gone). munmap is the only call that removes one. */
static inline int probe_mappings(const char *name)
{
    FILE *f = fopen("/proc/self/maps", "r");
    cr_assert(f, "grader: cannot read /proc/self/maps");
    char want[200], line[1024];
    snprintf(want, sizeof want, "/dev/shm%s", name);
    size_t n = strlen(want);
    int count = 0;
    while (fgets(line, sizeof line, f)) {
        /* The path ends there: another name may start with this one. */
        char *at = strstr(line, want);
        if (at && (at[n] == '\n' || at[n] == ' ' || at[n] == '\0'))
            count++;
    }
    fclose(f);
    return count;
}

/* How many mappings of the shm object NAME this process has whose
 * permissions in /proc/self/maps are not exactly PERMS ("rw-s": read,
 * write, shared); the first such in *GOT ("" if none). */
static inline int probe_mappings_not(const char *name, const char *perms,
                                     char got[5])
{
    FILE *f = fopen("/proc/self/maps", "r");
    cr_assert(f, "grader: cannot read /proc/self/maps");
    char want[200], line[1024];
    snprintf(want, sizeof want, "/dev/shm%s", name);
    size_t n = strlen(want);
    int count = 0;
    got[0] = '\0';
    while (fgets(line, sizeof line, f)) {
        char *at = strstr(line, want);
        char p[5];
        if (!at || !(at[n] == '\n' || at[n] == ' ' || at[n] == '\0') ||
            sscanf(line, "%*x-%*x %4s", p) != 1 || strcmp(p, perms) == 0)
            continue;
        if (count++ == 0)
            memcpy(got, p, 5);
    }
    fclose(f);
    return count;
}

/* 1 if nobody holds the object's lock now (it is taken and given back
 * by the test itself), 0 if it is held, by this process or another. */
static inline int probe_lock_free(struct ps_shared *shm)
{
    int err = pthread_mutex_trylock(&shm->lock);
    if (err == EOWNERDEAD)
        err = pthread_mutex_consistent(&shm->lock);
    if (err != 0)
        return 0;
    pthread_mutex_unlock(&shm->lock);
    return 1;
}

/* A name from lab_name (so it is swept on every path) exactly LEN
 * characters long. */
static inline const char *probe_name_of_length(size_t len)
{
    static char tag[256];
    size_t prefix = strlen(lab_name("p")) - 1;
    for (int tries = 0; tries < 4; tries++) {
        cr_assert(len > prefix && len - prefix < sizeof tag,
                  "grader: cannot make a name of %zu characters", len);
        memset(tag, 'n', len - prefix);
        tag[len - prefix] = '\0';
        const char *name = lab_name(tag);
        if (strlen(name) == len)
            return name;
        /* The name's counter gained a digit: try again one shorter. */
        prefix += strlen(name) - len;
    }
    cr_assert(0, "grader: cannot make a name of %zu characters", len);
    return NULL;
}

#endif
