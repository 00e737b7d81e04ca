/* scenario.c - lab 06: what a correct program does with the library,
 * start to end, run once under valgrind for the cleanliness tests.
 * Exits 0 only if the calls a working program needs succeed:
 * cleanliness counts only where the behaviour works. */
#include "lab_scenario.h"
#include "shm_size.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* An object created empty, read while empty, then sized and mapped. */
static int grow_from_empty(const char *name)
{
    int fd = shm_create_empty(name);
    if (fd == -1)
        return lab_scenario_failed("shm_create_empty failed");
    size_t len = 1;
    char *text = shm_read_all(name, &len);
    if (text == NULL)
        return lab_scenario_failed("shm_read_all of an empty object failed");
    free(text);
    /* Whether these give the right errno is the behaviour tests'
     * business: a call that wrongly succeeds is released like any other. */
    shm_view_release(shm_map_whole(fd, PROT_READ));
    if (shm_object_size(fd) == -1 || shm_set_size(fd, 100) == -1)
        return lab_scenario_failed("shm_object_size or shm_set_size failed");
    struct shm_view *v = shm_map_whole(fd, PROT_READ | PROT_WRITE);
    if (v == NULL)
        return lab_scenario_failed("shm_map_whole failed");
    memcpy(v->addr, "grown", 6);
    if (shm_view_release(v) == -1 || close(fd) == -1 || shm_unlink(name) == -1)
        return lab_scenario_failed("releasing the grown object failed");
    return 0;
}

/* A writer, a second writer and a reader of one object. */
static int writers_and_reader(const char *name)
{
    struct shm_view *w = shm_create_writer(name, 5000);
    if (w == NULL)
        return lab_scenario_failed("shm_create_writer failed");
    memset(w->addr, 'w', w->len);
    struct shm_view *w2 = shm_open_writer(name);
    struct shm_view *r = shm_open_reader(name);
    if (w2 == NULL || r == NULL)
        return lab_scenario_failed("shm_open_writer or shm_open_reader failed");
    size_t len = 0;
    char *copy = shm_read_all(name, &len);
    if (copy == NULL || copy[0] != 'w')
        return lab_scenario_failed("shm_read_all did not copy the object");
    free(copy);
    if (shm_view_release(r) == -1 || shm_view_release(w2) == -1 ||
        shm_view_release(w) == -1)
        return lab_scenario_failed("shm_view_release failed");
    if (shm_unlink(name) == -1)
        return lab_scenario_failed("the scenario's shm_unlink failed");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char empty[200], object[200], zero[200], missing[200];
    snprintf(empty, sizeof empty, "%s.0", argv[1]);
    snprintf(object, sizeof object, "%s.1", argv[1]);
    snprintf(zero, sizeof zero, "%s.2", argv[1]);
    snprintf(missing, sizeof missing, "%s.3", argv[1]);

    if (grow_from_empty(empty) != 0 || writers_and_reader(object) != 0)
        return 1;

    /* Error paths must release what they took, too. */
    struct shm_view *bad = shm_create_writer(zero, 0);
    if (bad != NULL) {
        shm_view_release(bad);
        shm_unlink(zero);
    }
    struct shm_view *none = shm_open_reader(missing);
    if (none != NULL) {
        shm_view_release(none);
        shm_unlink(missing);
    }
    char *nothing = shm_read_all(missing, NULL);
    free(nothing);
    return lab_scenario_complete();
}
