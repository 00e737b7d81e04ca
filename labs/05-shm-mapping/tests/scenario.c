/* scenario.c - lab 05: what a correct program does with the library,
 * start to end, run once under valgrind for the cleanliness tests.
 * Exits 0 only if the calls a working program needs succeed:
 * cleanliness counts only where the behaviour works. */
#include "lab_scenario.h"
#include "shm_mapping.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* shm_map on a descriptor the scenario owns: map, use, unmap, close. */
static int use_shm_map(const char *name)
{
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd == -1 || ftruncate(fd, 4096) == -1)
        return lab_scenario_failed("the scenario's own shm_open or ftruncate failed");
    char *p = shm_map(fd, 4096, PROT_READ | PROT_WRITE);
    if (p == NULL || p == MAP_FAILED)
        return lab_scenario_failed("shm_map failed");
    p[4095] = 'x';
    if (munmap(p, 4096) == -1 || close(fd) == -1 || shm_unlink(name) == -1)
        return lab_scenario_failed("the scenario's own cleanup failed");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char name[200], missing[200], zero[200], own[200];
    snprintf(name, sizeof name, "%s.0", argv[1]);
    snprintf(missing, sizeof missing, "%s.1", argv[1]);
    snprintf(zero, sizeof zero, "%s.2", argv[1]);
    snprintf(own, sizeof own, "%s.3", argv[1]);

    if (use_shm_map(own) != 0)
        return 1;

    struct shm_region *r = shm_region_create(name, 4096);
    if (r == NULL)
        return lab_scenario_failed("shm_region_create failed");
    if (board_init(r->addr, r->len) == -1 ||
        board_append(r->addr, r->len, "alpha") == -1 ||
        board_append(r->addr, r->len, "beta") == -1)
        return lab_scenario_failed("board_init or board_append failed");
    const char *beta = board_get(r->addr, r->len, 1);
    if (beta == NULL || strcmp(beta, "beta") != 0)
        return lab_scenario_failed("board_get did not return the second entry");

    struct shm_region *ro = shm_region_open(name, 4096, SHM_READ_ONLY);
    if (ro == NULL)
        return lab_scenario_failed("shm_region_open failed");
    const char *alpha = board_get(ro->addr, ro->len, 0);
    if (alpha == NULL || strcmp(alpha, "alpha") != 0)
        return lab_scenario_failed("board_get through a second region failed");

    /* Error paths must release what they took, too. Whether they give
     * the right errno is the behaviour tests' business, not this one's:
     * a call that wrongly succeeds is released like any other. */
    struct shm_region *again = shm_region_create(name, 4096);
    if (again != NULL)
        shm_region_close(again);
    struct shm_region *none = shm_region_open(missing, 4096, SHM_READ_ONLY);
    if (none != NULL) {
        shm_region_close(none);
        shm_region_remove(missing);
    }
    struct shm_region *empty = shm_region_create(zero, 0);
    if (empty != NULL) {
        shm_region_close(empty);
        shm_region_remove(zero);
    }

    if (shm_region_close(ro) == -1 || shm_region_close(r) == -1)
        return lab_scenario_failed("shm_region_close failed");
    if (shm_region_remove(name) == -1)
        return lab_scenario_failed("shm_region_remove failed");
    return lab_scenario_complete();
}
