/* lab_evidence.h - what this process holds, read from its own /proc.
 *
 * The shm and lifetime labs prove that code released what it took from
 * the process's own evidence, not from what the code says it did:
 *   /proc/self/fd/N    one link per open descriptor: "/dev/shm/NAME" for a
 *                      shm object, "/NAME" for a message queue, with
 *                      " (deleted)" once the name was unlinked;
 *   /proc/self/maps    one line per mapping: range, permissions ("rw-s":
 *                      s = shared), and the file, "/dev/shm/NAME".
 * It is header-only so that tests/scenario.c, which is linked without the
 * harness, can use it too. All functions are static inline: a file that
 * uses only some of them still compiles with -Werror.               */
#ifndef LAB_EVIDENCE_H
#define LAB_EVIDENCE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EV_MAX_FDS 128
#define EV_MAX_MAPS 64
#define EV_TARGET 200

struct ev_fd {
    int fd;
    char target[EV_TARGET];  /* where /proc/self/fd/N points */
};

struct ev_map {
    unsigned long lo, hi;     /* [lo, hi) */
    char perms[5];            /* "rw-s" */
    char path[EV_TARGET];
};

/* One look at the process: every descriptor, and the mappings of lab
 * objects (files under /dev/shm whose name starts with "ipclab."). */
struct ev_snapshot {
    int nfds;
    struct ev_fd fds[EV_MAX_FDS];
    int nmaps;
    struct ev_map maps[EV_MAX_MAPS];
};

/* The part of a target or path without " (deleted)". */
static inline size_t ev_base_len(const char *s)
{
    const char *d = strstr(s, " (deleted)");
    return d ? (size_t)(d - s) : strlen(s);
}

/* 1 if TARGET (a fd link or a maps path) is the shm object NAME ("/x"),
 * whether or not the name has been unlinked since. */
static inline int ev_is_shm(const char *target, const char *name)
{
    const char *prefix = "/dev/shm";
    size_t plen = strlen(prefix), nlen = strlen(name);
    return strncmp(target, prefix, plen) == 0 &&
           ev_base_len(target) == plen + nlen &&
           strncmp(target + plen, name, nlen) == 0;
}

/* 1 if TARGET is the message queue NAME: its link is the name itself. */
static inline int ev_is_queue(const char *target, const char *name)
{
    size_t nlen = strlen(name);
    return ev_base_len(target) == nlen && strncmp(target, name, nlen) == 0;
}

/* 1 if TARGET carries the " (deleted)" mark of an unlinked name. */
static inline int ev_is_deleted(const char *target)
{
    return strstr(target, " (deleted)") != NULL;
}

static inline void ev_read_fds(struct ev_snapshot *s)
{
    s->nfds = 0;
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL)
        return;
    int own = dirfd(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL && s->nfds < EV_MAX_FDS) {
        if (de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        int fd = atoi(de->d_name);
        if (fd == own)
            continue;
        char link[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        struct ev_fd *e = &s->fds[s->nfds];
        ssize_t n = readlink(link, e->target, sizeof e->target - 1);
        if (n < 0)
            continue;
        e->target[n] = '\0';
        e->fd = fd;
        s->nfds++;
    }
    closedir(d);
}

static inline void ev_read_maps(struct ev_snapshot *s)
{
    s->nmaps = 0;
    FILE *f = fopen("/proc/self/maps", "r");
    if (f == NULL)
        return;
    char line[512];
    while (fgets(line, sizeof line, f) != NULL && s->nmaps < EV_MAX_MAPS) {
        struct ev_map *m = &s->maps[s->nmaps];
        int at = 0;
        if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &m->lo, &m->hi,
                   m->perms, &at) < 3 || at == 0)
            continue;
        snprintf(m->path, sizeof m->path, "%s", line + at);
        m->path[strcspn(m->path, "\n")] = '\0';
        if (strncmp(m->path, "/dev/shm/ipclab.", 16) == 0)
            s->nmaps++;
    }
    fclose(f);
}

static inline void ev_take(struct ev_snapshot *s)
{
    ev_read_fds(s);
    ev_read_maps(s);
}

/* How many descriptors of S are the shm object NAME; the first in *FD. */
static inline int ev_shm_fds(const struct ev_snapshot *s, const char *name,
                             int *fd)
{
    int count = 0;
    for (int i = 0; i < s->nfds; i++)
        if (ev_is_shm(s->fds[i].target, name) && count++ == 0 && fd)
            *fd = s->fds[i].fd;
    return count;
}

/* How many descriptors of S are the queue NAME; the first in *FD. */
static inline int ev_queue_fds(const struct ev_snapshot *s, const char *name,
                               int *fd)
{
    int count = 0;
    for (int i = 0; i < s->nfds; i++)
        if (ev_is_queue(s->fds[i].target, name) && count++ == 0 && fd)
            *fd = s->fds[i].fd;
    return count;
}

/* The first mapping of S of the shm object NAME, or NULL. */
static inline const struct ev_map *ev_shm_map(const struct ev_snapshot *s,
                                              const char *name)
{
    for (int i = 0; i < s->nmaps; i++)
        if (ev_is_shm(s->maps[i].path, name))
            return &s->maps[i];
    return NULL;
}

/* The mapping of S that contains ADDR, or NULL. */
static inline const struct ev_map *ev_map_at(const struct ev_snapshot *s,
                                             const void *addr)
{
    unsigned long a = (unsigned long)addr;
    for (int i = 0; i < s->nmaps; i++)
        if (s->maps[i].lo <= a && a < s->maps[i].hi)
            return &s->maps[i];
    return NULL;
}

/* 1 if descriptor FD of S is also in BEFORE, pointing at the same thing. */
static inline int ev_had_fd(const struct ev_snapshot *before,
                            const struct ev_fd *fd)
{
    for (int i = 0; i < before->nfds; i++)
        if (before->fds[i].fd == fd->fd &&
            strcmp(before->fds[i].target, fd->target) == 0)
            return 1;
    return 0;
}

/* 1 if mapping M is also in BEFORE. */
static inline int ev_had_map(const struct ev_snapshot *before,
                             const struct ev_map *m)
{
    for (int i = 0; i < before->nmaps; i++)
        if (before->maps[i].lo == m->lo && before->maps[i].hi == m->hi &&
            ev_base_len(before->maps[i].path) == ev_base_len(m->path) &&
            strncmp(before->maps[i].path, m->path, ev_base_len(m->path)) == 0)
            return 1;
    return 0;
}

#endif
