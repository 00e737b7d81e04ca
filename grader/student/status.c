/* status.c - `make status`: every lab's last score and what to do next.
 *
 *   status ROOT
 *
 * Instant: it grades nothing, it reads ROOT/.grade/state/<lab>, which
 * grader/report.c writes after each `make grade` of the student's own
 * labs/ (kept out of version control by .gitignore).               */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../ago.h"

#define MAX_LABS 32
#define BAR 20

struct state {
    int graded;
    int score, max;
    int bonus, bonus_max;   /* a lab's bonus, reported apart */
    long when;
    char first_fail[256];
    char first_reason[512];
    char bonus_fail[256];   /* name of the first failing bonus test */
};

static int use_colour;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_state(const char *root, const char *lab, struct state *s)
{
    char path[4096], line[1024];
    memset(s, 0, sizeof *s);
    snprintf(path, sizeof path, "%s/.grade/state/%s", root, lab);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    s->graded = 1;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "score\t", 6))
            s->score = atoi(line + 6);
        else if (!strncmp(line, "max\t", 4))
            s->max = atoi(line + 4);
        else if (!strncmp(line, "when\t", 5))
            s->when = atol(line + 5);
        else if (!strncmp(line, "bonus\t", 6))
            s->bonus = atoi(line + 6);
        else if (!strncmp(line, "bonus_max\t", 10))
            s->bonus_max = atoi(line + 10);
        else if (!strncmp(line, "fail\tbonus/", 11)) {
            /* The bonus is not what to fix next; kept apart. */
            snprintf(s->bonus_fail, sizeof s->bonus_fail, "%s",
                     strtok(line + 11, "\t"));
        } else if (!strncmp(line, "fail\t", 5) && !s->first_fail[0]) {
            char *name = line + 5, *reason = strchr(name, '\t');
            if (reason)
                *reason++ = '\0';
            snprintf(s->first_fail, sizeof s->first_fail, "%s", name);
            snprintf(s->first_reason, sizeof s->first_reason, "%s",
                     reason ? reason : "");
        }
    }
    fclose(f);
}

/* 1 if a .c file of the lab changed after its last grading. */
static int changed_since(const char *root, const char *lab, long when)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/labs/%s", root, lab);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int changed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 3 || strcmp(e->d_name + n - 2, ".c"))
            continue;
        char path[8192];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && (long)st.st_mtime > when)
            changed = 1;
    }
    closedir(d);
    return changed;
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : ".";
    const char *no_colour = getenv("NO_COLOR");
    use_colour = isatty(1) && !(no_colour && *no_colour);
    const char *green = use_colour ? "\033[32m" : "";
    const char *red = use_colour ? "\033[31m" : "";
    const char *dim = use_colour ? "\033[2m" : "";
    const char *end = use_colour ? "\033[0m" : "";

    char labs_dir[4096];
    snprintf(labs_dir, sizeof labs_dir, "%s/labs", root);
    DIR *d = opendir(labs_dir);
    if (!d) {
        fprintf(stderr, "status: no labs/ folder in %s\n", root);
        return 2;
    }
    char *labs[MAX_LABS];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < MAX_LABS)
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && e->d_name[2] == '-')
            labs[n++] = strdup(e->d_name);
    closedir(d);
    qsort(labs, (size_t)n, sizeof labs[0], by_name);

    printf("ipc-labs: your progress (from the last `make grade` of each lab)\n\n");
    int next = -1, total = 0, done = 0;
    struct state states[MAX_LABS];
    for (int i = 0; i < n; i++) {
        struct state *s = &states[i];
        read_state(root, labs[i], s);
        char bar[BAR + 1];
        int filled = s->graded && s->max ? s->score * BAR / s->max : 0;
        for (int k = 0; k < BAR; k++)
            bar[k] = k < filled ? '#' : '-';
        bar[BAR] = '\0';
        int full = s->graded && s->max && s->score == s->max;
        done += full;
        total += s->score;
        if (!full && next < 0)
            next = i;
        printf("  %-20s %s[%s]%s ", labs[i], full ? green : s->graded ? red : dim,
               bar, end);
        if (s->graded) {
            printf("%3d/%-3d ", s->score, s->max);
            if (s->bonus_max)
                printf("+ bonus %d/%d ", s->bonus, s->bonus_max);
            printf("%s%s%s%s\n", dim, ago(s->when),
                   changed_since(root, labs[i], s->when)
                       ? ", edited since: grade again" : "", end);
        }
        else
            printf("%snot graded yet%s\n", dim, end);
    }
    printf("\n  %d of %d labs at full marks, %d points in all\n\n", done, n,
           total);
    if (next < 0) {
        printf("Every lab is at full marks. `make handin` packs your work.\n");
        for (int i = 0; i < n; i++)
            if (states[i].bonus_max && states[i].bonus < states[i].bonus_max)
                printf("Lab %s has a bonus (%d/%d, apart from the score): "
                       "`make grade LAB=%.2s TEST=%s`.\n", labs[i],
                       states[i].bonus, states[i].bonus_max, labs[i],
                       states[i].bonus_fail[0] ? states[i].bonus_fail : "bonus");
    } else {
        struct state *s = &states[next];
        const char *lab = labs[next];
        if (!s->graded)
            printf("Next: lab %s. Read labs/%s/README.md, then `make grade "
                   "LAB=%.2s`.\n", lab, lab, lab);
        else if (s->first_fail[0])
            printf("Next: lab %s, test %s:\n  %s\n  `make grade LAB=%.2s "
                   "TEST=%s` to run it alone, `make hint LAB=%.2s` for a "
                   "hint.\n", lab, s->first_fail, s->first_reason, lab,
                   strchr(s->first_fail, '/') ? strchr(s->first_fail, '/') + 1
                                              : s->first_fail, lab);
        else
            printf("Next: lab %s: `make grade LAB=%.2s`.\n", lab, lab);
    }
    for (int i = 0; i < n; i++)
        free(labs[i]);
    return 0;
}
