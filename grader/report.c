/* report.c - turns one grading run into scores, text and results.json.
 *
 *   report RUNDIR LAB... [--results FILE] [--state DIR] [--test NAME]
 *          [--summary FILE] [--brief] [--again SETTINGS]
 *   report --grader-error MESSAGE [--results FILE]
 *
 * --test: a partial run (grade.sh's TEST=): the footer says so, and the
 * lab's standing (--state) is shown, never overwritten. --brief: one line
 * per lab instead of every test (make grade of several labs). --again:
 * what `make grade` needs besides LAB=NN to grade the same thing again
 * (SRC=DIR), for the commands the footer suggests.
 *
 * For each lab, RUNDIR/LAB holds:
 *   inventory.tsv  suite TAB name TAB points, read from the test sources:
 *                  the tests that must have run (a runner that stops early
 *                  or a filter that matched nothing shows up here)
 *   report.tsv     the records written by grader/harness/report_hook.c
 *   state          built | compile-error | missing-files | cut-short
 *   selected       with TEST=: the suite/name of each test that ran
 *   build.log      the compiler's messages; missing.txt the missing files
 *
 * Scores come only from inventory points and report verdicts, never from
 * anything the student's code printed. Text for a terminal is stripped of
 * control bytes; JSON is escaped, with invalid UTF-8 replaced.
 *
 * Exit status: 0 full marks (with --test: every test run passed), 1 short
 * of full marks, 2 no test matches --test, 5 grading failed.          */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "ago.h"

#define MAX_TESTS 64
#define MAX_LABS 16

struct test {
    char suite[64], name[128];
    int points;
    int earned;
    const char *verdict;   /* PASS FAIL CRASH TIMEOUT EXIT SKIP MISSING */
    double seconds;
    char *message;         /* decoded, may hold any bytes but NUL       */
};

struct lab {
    const char *id;
    char state[32];
    struct test tests[MAX_TESTS];
    int ntests;
    int score, max, bonus, bonus_max;
    char *build_log;
};

static int use_colour;

static const char *c_ok(void)   { return use_colour ? "\033[32m" : ""; }
static const char *c_bad(void)  { return use_colour ? "\033[31m" : ""; }
static const char *c_dim(void)  { return use_colour ? "\033[2m" : ""; }
static const char *c_bold(void) { return use_colour ? "\033[1m" : ""; }
static const char *c_end(void)  { return use_colour ? "\033[0m" : ""; }

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0, n;
    char *buf = malloc(cap);
    if (!buf)
        exit(5);
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            cap *= 2;
            if (!(buf = realloc(buf, cap)))
                exit(5);
        }
    }
    buf[len] = '\0';
    fclose(f);
    return buf;
}

static char *path_of(const char *run, const char *lab, const char *leaf)
{
    static char buf[4][4096];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s/%s", run, lab, leaf);
    return p;
}

/* Undoes report_hook.c's escaping: \\ \n \xHH. */
static char *decode(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        exit(5);
    while (*s) {
        if (s[0] == '\\' && s[1] == 'n') {
            *o++ = '\n';
            s += 2;
        } else if (s[0] == '\\' && s[1] == '\\') {
            *o++ = '\\';
            s += 2;
        } else if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
            char hex[3] = {s[2], s[3], 0};
            char c = (char)strtol(hex, NULL, 16);
            *o++ = c ? c : '?';
            s += 4;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

static struct test *find(struct lab *lab, const char *suite, const char *name)
{
    for (int i = 0; i < lab->ntests; i++)
        if (!strcmp(lab->tests[i].suite, suite) &&
            !strcmp(lab->tests[i].name, name))
            return &lab->tests[i];
    return NULL;
}

/* With a filter, the tests grade.sh chose (RUN/LAB/selected, one
 * suite/name a line); without that list, the test of that exact name. */
static int selected(const char *filter, const char *list, const char *suite,
                    const char *name)
{
    if (!filter || !*filter)
        return 1;
    char full[256];
    snprintf(full, sizeof full, "%s/%s", suite, name);
    if (!list)
        return !strcmp(filter, name) || !strcmp(filter, full);
    size_t n = strlen(full);
    for (const char *p = list; (p = strstr(p, full)) != NULL; p += n)
        if ((p == list || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
            return 1;
    return 0;
}

static int load_inventory(struct lab *lab, const char *run, const char *filter)
{
    char *inv = slurp(path_of(run, lab->id, "inventory.tsv"));
    if (!inv)
        return -1;
    char *list = filter && *filter ? slurp(path_of(run, lab->id, "selected"))
                                   : NULL;
    char *save, *line;
    for (line = strtok_r(inv, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        struct test t = {.verdict = "MISSING"};
        if (sscanf(line, "%63[^\t]\t%127[^\t]\t%d", t.suite, t.name,
                   &t.points) != 3)
            continue;
        if (!selected(filter, list, t.suite, t.name) || lab->ntests == MAX_TESTS)
            continue;
        lab->tests[lab->ntests++] = t;
    }
    free(inv);
    free(list);
    return 0;
}

static void load_records(struct lab *lab, const char *run)
{
    char *rep = slurp(path_of(run, lab->id, "report.tsv"));
    if (!rep)
        return;
    char *save, *line;
    for (line = strtok_r(rep, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *field[6];
        int n = 0;
        for (char *p = line; n < 6; n++) {
            field[n] = p;
            p = n < 5 ? strchr(p, '\t') : NULL;
            if (!p) {
                n++;
                break;
            }
            *p++ = '\0';
        }
        if (n < 6)
            continue;
        struct test *t = find(lab, field[0], field[1]);
        if (!t)
            continue;
        static const char *verdicts[] = {"PASS", "FAIL", "CRASH", "TIMEOUT",
                                          "EXIT", "SKIP", NULL};
        for (const char **v = verdicts; *v; v++)
            if (!strcmp(field[3], *v))
                t->verdict = *v;
        /* Timed out under a limit the runner cut short (report_hook.c). */
        if (!strcmp(field[3], "CUT"))
            t->verdict = "TIMEOUT";
        t->seconds = atof(field[4]);
        free(t->message);
        t->message = decode(field[5]);
    }
    free(rep);
}

static int is_bonus(const struct test *t) { return !strcmp(t->suite, "bonus"); }

static void score(struct lab *lab)
{
    for (int i = 0; i < lab->ntests; i++) {
        struct test *t = &lab->tests[i];
        t->earned = !strcmp(t->verdict, "PASS") ? t->points : 0;
        if (is_bonus(t)) {
            lab->bonus += t->earned;
            lab->bonus_max += t->points;
        } else {
            lab->score += t->earned;
            lab->max += t->points;
        }
    }
}

/* Terminal output: no control bytes but newline, nothing non-ASCII. */
static void put_safe(FILE *out, const char *s, const char *indent)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            fprintf(out, "\n%s", indent);
        else if (c < 0x20 || c >= 0x7f)
            fputc('?', out);
        else
            fputc(c, out);
    }
}

static const char *label(const struct test *t)
{
    if (!strcmp(t->verdict, "PASS"))
        return "OK";
    if (!strcmp(t->verdict, "MISSING"))
        return "FAIL";
    if (!strcmp(t->verdict, "EXIT") || !strcmp(t->verdict, "FAIL"))
        return "FAIL";
    return t->verdict;
}

static const char *missing_reason(const struct lab *lab)
{
    if (!strcmp(lab->state, "compile-error"))
        return "not run: your files do not compile (see the compiler's "
               "message above)";
    if (!strcmp(lab->state, "missing-files"))
        return "not run: the lab's files are missing from the submission";
    if (!strcmp(lab->state, "cut-short"))
        return "not run: the time bound for the lab (LAB_BOUND) or for the "
               "whole grading (RUN_BOUND) was reached: code that hangs in "
               "several tests?";
    if (!strcmp(lab->state, "runner-killed"))
        return "not run: the test runner was killed before it got here. "
               "Your code killed it (kill(-1, ...) or kill(0, ...) reach the "
               "grader's processes too), wrote over its memory, or a fork "
               "loop used up every process it was allowed";
    return "did not run: the test runner stopped before reaching it "
           "(a crash of the runner, or a hang)";
}

/* A partial run (TEST=), and the command that grades the same again. */
static const char *partial;
static const char *again = "";

/* "4/8", "bonus 10/10" or "4/8 + bonus 10/10": the points of what ran. */
static const char *points(const struct lab *l)
{
    static char buf[2][96];
    static int next;
    char *p = buf[next++ % 2];
    if (!l->max && l->bonus_max)
        snprintf(p, sizeof buf[0], "bonus %d/%d", l->bonus, l->bonus_max);
    else if (l->bonus_max)
        snprintf(p, sizeof buf[0], "%d/%d + bonus %d/%d", l->score, l->max,
                 l->bonus, l->bonus_max);
    else
        snprintf(p, sizeof buf[0], "%d/%d", l->score, l->max);
    return p;
}

static void print_lab(struct lab *lab, const char *run)
{
    printf("%s== %s ==%s\n", c_bold(), lab->id, c_end());
    if (!strcmp(lab->state, "compile-error") && lab->build_log) {
        printf("  %sYour files do not compile; every test of the lab scores "
               "0. The compiler said:%s\n    ", c_bad(), c_end());
        put_safe(stdout, lab->build_log, "    ");
        printf("\n");
    }
    if (!strcmp(lab->state, "missing-files")) {
        char *m = slurp(path_of(run, lab->id, "missing.txt"));
        printf("  %sMissing from the submission:%s ", c_bad(), c_end());
        put_safe(stdout, m ? m : "?", "  ");
        printf("\n");
        free(m);
    }
    for (int i = 0; i < lab->ntests; i++) {
        struct test *t = &lab->tests[i];
        int ok = !strcmp(t->verdict, "PASS");
        /* Symbols only where colour is on: a terminal that asked for it. */
        const char *mark = !use_colour ? "" : ok ? "\u2714 " : "\u2718 ";
        printf("  %s%s%-7s%s %s/%s%s%s %s(%d/%d%s)%s\n", ok ? c_ok() : c_bad(),
               mark, label(t), c_end(), t->suite, t->name, c_dim(), c_end(),
               c_dim(), t->earned, t->points, is_bonus(t) ? " bonus" : "",
               c_end());
        if (!ok) {
            const char *msg = t->message && *t->message ? t->message
                            : !strcmp(t->verdict, "MISSING")
                                ? missing_reason(lab)
                                : "failed without a message";
            printf("          ");
            put_safe(stdout, msg, "          ");
            printf("\n");
        }
    }
    if (partial) {
        printf("  %s%s, the test%s run: %s%s\n\n", c_bold(), lab->id,
               lab->ntests == 1 ? "" : "s", points(lab), c_end());
        return;
    }
    printf("  %s%s: %d/%d%s", c_bold(), lab->id, lab->score, lab->max,
           c_end());
    if (lab->bonus_max)
        printf("  (bonus %d/%d, reported apart)", lab->bonus, lab->bonus_max);
    printf("\n\n");
}

static const struct test *first_failing(const struct lab *lab)
{
    for (int j = 0; j < lab->ntests; j++)
        if (strcmp(lab->tests[j].verdict, "PASS") && !is_bonus(&lab->tests[j]))
            return &lab->tests[j];
    return NULL;
}

/* make grade of several labs: one line each; the details are a LAB=NN
 * away (next_step says so). */
static void print_brief(struct lab *lab)
{
    int full = lab->score == lab->max;
    printf("  %s%-20s %3d/%-3d%s", full ? c_ok() : c_bad(), lab->id,
           lab->score, lab->max, c_end());
    const struct test *t = first_failing(lab);
    if (!strcmp(lab->state, "compile-error"))
        printf("  does not compile");
    else if (!strcmp(lab->state, "missing-files"))
        printf("  files missing");
    else if (t)
        printf("  first failing: %s/%s%s%s", t->suite, t->name,
               strcmp(label(t), "FAIL") ? " " : "",
               strcmp(label(t), "FAIL") ? label(t) : "");
    if (lab->bonus_max)
        printf("%s  bonus %d/%d%s", c_dim(), lab->bonus, lab->bonus_max,
               c_end());
    printf("\n");
}

/* JSON string: escaped, with invalid UTF-8 replaced by U+FFFD. */
static void put_json(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    while (*p) {
        unsigned char c = *p;
        int extra = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2
                  : c >= 0xc2 && c < 0xe0 ? 1 : 0;
        if (c < 0x80) {
            if (c == '"' || c == '\\')
                fprintf(out, "\\%c", c);
            else if (c == '\n')
                fputs("\\n", out);
            else if (c == '\t')
                fputs("\\t", out);
            else if (c < 0x20 || c == 0x7f)
                fprintf(out, "\\u%04x", c);
            else
                fputc(c, out);
            p++;
            continue;
        }
        int valid = extra > 0 && c < 0xf5;
        for (int k = 1; valid && k <= extra; k++)
            valid = (p[k] & 0xc0) == 0x80;
        /* Overlong and surrogate forms are invalid too. */
        if (valid && c == 0xe0 && p[1] < 0xa0) valid = 0;
        if (valid && c == 0xed && p[1] >= 0xa0) valid = 0;
        if (valid && c == 0xf0 && p[1] < 0x90) valid = 0;
        if (valid && c == 0xf4 && p[1] >= 0x90) valid = 0;
        if (valid) {
            fwrite(p, 1, (size_t)extra + 1, out);
            p += extra + 1;
        } else {
            fputs("\\ufffd", out);
            p++;
        }
    }
    fputc('"', out);
}

/* namespaces | uid | none: how the graded code was kept apart (grade.sh). */
static const char *isolation = "unknown";

static int write_results(const char *path, struct lab *labs, int nlabs,
                         const char *error, double seconds)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "grader: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    int total = 0;
    for (int i = 0; i < nlabs; i++)
        total += labs[i].score + labs[i].bonus;
    fprintf(out, "{\n  \"score\": %d,\n  \"execution_time\": %.1f,\n", total,
            seconds);
    fprintf(out, "  \"output\": ");
    put_json(out, error ? error : "Graded by ipc-labs.");
    fprintf(out, ",\n  \"extra_data\": {\"grader_status\": \"%s\", "
            "\"isolation\": ", error ? "error" : "ok");
    put_json(out, isolation);
    fprintf(out, "},\n");
    fprintf(out, "  \"tests\": [");
    const char *sep = "\n";
    if (error) {
        fprintf(out, "%s    {\"name\": \"grader\", \"score\": 0, "
                "\"max_score\": 0, \"status\": \"failed\", \"output\": ", sep);
        put_json(out, error);
        fprintf(out, "}");
        sep = ",\n";
    }
    for (int i = 0; i < nlabs; i++) {
        for (int j = 0; j < labs[i].ntests; j++) {
            struct test *t = &labs[i].tests[j];
            char name[512];
            snprintf(name, sizeof name, "%s: %s/%s%s", labs[i].id, t->suite,
                     t->name, is_bonus(t) ? " (bonus)" : "");
            fprintf(out, "%s    {\"name\": ", sep);
            put_json(out, name);
            fprintf(out, ", \"score\": %d, \"max_score\": %d, \"status\": "
                    "\"%s\", \"output\": ", t->earned,
                    is_bonus(t) ? 0 : t->points,
                    !strcmp(t->verdict, "PASS") ? "passed" : "failed");
            const char *msg = !strcmp(t->verdict, "PASS") ? "OK"
                            : t->message && *t->message ? t->message
                            : !strcmp(t->verdict, "MISSING")
                                ? missing_reason(&labs[i]) : "failed";
            put_json(out, msg);
            fprintf(out, "}");
            sep = ",\n";
        }
    }
    fprintf(out, "\n  ]\n}\n");
    if (fclose(out) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "grader: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* One line per lab and per failed test, for scripts (make test, batch). */
static void write_summary(FILE *f, struct lab *lab)
{
    fprintf(f, "lab %s %d %d %s\n", lab->id, lab->score, lab->max, lab->state);
    for (int i = 0; i < lab->ntests; i++)
        if (strcmp(lab->tests[i].verdict, "PASS"))
            fprintf(f, "fail %s %s/%s %s\n", lab->id, lab->tests[i].suite,
                    lab->tests[i].name, lab->tests[i].verdict);
}

/* The cause key of a failure, for `make hint`: the "[cause: KEY]" that
 * lab_test.h's LAB_CAUSE puts at the end of a "likely:" line (the first
 * such line that has one; a KEY is [a-z0-9-], at most 63 bytes). */
static void write_cause(FILE *f, const struct test *t)
{
    for (const char *m = t->message; m && (m = strstr(m, "likely:")); m++) {
        const char *end = strchr(m, '\n');
        const char *k = strstr(m, "[cause: ");
        if (!k || (end && k > end))
            continue;
        k += 8;
        size_t n = strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789-");
        if (n > 0 && n < 64 && k[n] == ']') {
            fprintf(f, "cause\t%s/%s\t%.*s\n", t->suite, t->name, (int)n, k);
            return;
        }
    }
}

/* The last result of each lab, for `make status`; kept out of git. */
static void write_state(const char *dir, struct lab *lab, const char *filter)
{
    if (!dir || (filter && *filter))
        return;
    mkdir(dir, 0755);
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, lab->id);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(f, "score\t%d\nmax\t%d\nwhen\t%ld\n", lab->score, lab->max,
            (long)time(NULL));
    if (lab->bonus_max)
        fprintf(f, "bonus\t%d\nbonus_max\t%d\n", lab->bonus, lab->bonus_max);
    for (int i = 0; i < lab->ntests; i++) {
        struct test *t = &lab->tests[i];
        if (strcmp(t->verdict, "PASS")) {
            fprintf(f, "fail\t%s/%s\t", t->suite, t->name);
            /* The first line says what was done; the "got:" line, if
             * any, what came of it: enough for one line of status. */
            const char *m = t->message && *t->message ? t->message
                                                      : missing_reason(lab);
            const char *got = strstr(m, "got:");
            for (; *m && *m != '\n'; m++)
                fputc((unsigned char)*m < 0x20 ? ' ' : *m, f);
            if (got) {
                fputs(" -- ", f);
                for (; *got && *got != '\n'; got++)
                    fputc((unsigned char)*got < 0x20 ? ' ' : *got, f);
            }
            fputc('\n', f);
            write_cause(f, t);
        }
    }
    if (fclose(f) == 0)
        rename(tmp, path);
}

static void next_step(struct lab *labs, int nlabs, int brief)
{
    for (int i = 0; i < nlabs; i++) {
        struct lab *l = &labs[i];
        if (l->score == l->max)
            continue;
        if (!strcmp(l->state, "compile-error")) {
            if (brief)
                printf("Next: lab %s does not compile: `make grade %sLAB=%.2s`"
                       " shows the compiler's message.\n", l->id, again, l->id);
            else
                printf("Next: make lab %s compile: fix the first error the "
                       "compiler reported above, then `make grade %sLAB=%.2s`."
                       "\n", l->id, again, l->id);
            return;
        }
        if (!strcmp(l->state, "missing-files")) {
            printf("Next: lab %s lacks some of its files: `make grade "
                   "%sLAB=%.2s` names them.\n", l->id, again, l->id);
            return;
        }
        if (l->score == 0)
            printf("Next: lab %s is at 0. Read labs/%s/README.md, then "
                   "complete each TODO(student) in its .c files and run "
                   "`make grade %sLAB=%.2s`%s.\n", l->id, l->id, again, l->id,
                   brief ? ": it shows each test and what went wrong"
                         : " again");
        const struct test *t = first_failing(l);
        if (t)
            printf("First to fix: %s %s/%s (`make grade %sLAB=%.2s "
                   "TEST=%s`).\n", l->id, t->suite, t->name, again, l->id,
                   t->name);
        return;
    }
}

/* The footer of a TEST= run: what ran, that it is not the lab's score,
 * where the lab stands (its state, which this run leaves alone). */
static void partial_footer(struct lab *labs, int nlabs, const char *state)
{
    int n = 0, passed = 0, skipped = 0;
    struct lab sum = {.id = ""};
    const struct test *failing = NULL;
    const struct lab *failing_lab = NULL;
    for (int i = 0; i < nlabs; i++) {
        sum.score += labs[i].score;
        sum.max += labs[i].max;
        sum.bonus += labs[i].bonus;
        sum.bonus_max += labs[i].bonus_max;
        for (int j = 0; j < labs[i].ntests; j++) {
            if (!strcmp(labs[i].tests[j].verdict, "SKIP")) {
                skipped++;      /* not run (LEAKCHECK=0): no hint for it */
                continue;
            }
            n++;
            if (!strcmp(labs[i].tests[j].verdict, "PASS"))
                passed++;
            else if (!failing) {
                failing = &labs[i].tests[j];
                failing_lab = &labs[i];
            }
        }
    }
    char skip_note[64] = "";
    if (skipped)
        snprintf(skip_note, sizeof skip_note, " (%d skipped: not run)", skipped);
    printf("%sPartial run (TEST=%s): %d of %d test%s passed%s, %s.%s\n",
           c_bold(), partial, passed, n, n == 1 ? "" : "s", skip_note,
           points(&sum), c_end());
    if (nlabs > 1)
        printf("Not the labs' scores: a TEST= run leaves each lab's standing "
               "as it was%s.\n", state ? " (`make status` shows them)" : "");
    for (int i = 0; i < nlabs && nlabs == 1; i++) {
        struct lab *l = &labs[i];
        char path[4096], line[256];
        int score = -1, max = 0;
        long when = 0;
        FILE *f = NULL;
        if (state) {
            snprintf(path, sizeof path, "%s/%s", state, l->id);
            f = fopen(path, "r");
        }
        while (f && fgets(line, sizeof line, f)) {
            if (!strncmp(line, "score\t", 6))
                score = atoi(line + 6);
            else if (!strncmp(line, "max\t", 4))
                max = atoi(line + 4);
            else if (!strncmp(line, "when\t", 5))
                when = atol(line + 5);
        }
        if (f)
            fclose(f);
        if (score >= 0)
            printf("Not the lab's score: %s stands at %d/%d from its last "
                   "full grading (%s); a TEST= run leaves that as it was.\n",
                   l->id, score, max, ago(when));
        else if (state)
            printf("Not the lab's score: %s has no full grading yet; `make "
                   "grade %sLAB=%.2s` gives it.\n", l->id, again, l->id);
        else
            printf("Not the lab's score: `make grade %sLAB=%.2s` grades all "
                   "of %s.\n", again, l->id, l->id);
    }
    if (failing)
        printf("Next: `make hint LAB=%.2s TEST=%s` for a hint on %s/%s; "
               "`make grade %sLAB=%.2s` grades the whole lab.\n",
               failing_lab->id, failing->name, failing->suite, failing->name,
               again, failing_lab->id);
    else
        printf("Next: every test run passed; `make grade %sLAB=%.2s` grades "
               "the whole lab%s.\n", again, labs[0].id,
               state ? " (and updates `make status`)" : "");
}

int main(int argc, char **argv)
{
    const char *results = NULL, *state = NULL, *filter = NULL, *error = NULL;
    const char *run = NULL, *summary = NULL;
    const char *ids[MAX_LABS];
    char again_buf[4200];
    int nlabs = 0, brief = 0;
    double seconds = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--results") && i + 1 < argc)
            results = argv[++i];
        else if (!strcmp(argv[i], "--state") && i + 1 < argc)
            state = argv[++i];
        else if (!strcmp(argv[i], "--test") && i + 1 < argc)
            filter = argv[++i];
        else if (!strcmp(argv[i], "--summary") && i + 1 < argc)
            summary = argv[++i];
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--grader-error") && i + 1 < argc)
            error = argv[++i];
        else if (!strcmp(argv[i], "--isolation") && i + 1 < argc)
            isolation = argv[++i];
        else if (!strcmp(argv[i], "--brief"))
            brief = 1;
        else if (!strcmp(argv[i], "--again") && i + 1 < argc) {
            snprintf(again_buf, sizeof again_buf, "%s ", argv[++i]);
            again = again_buf;
        }
        else if (!run)
            run = argv[i];
        else if (nlabs < MAX_LABS)
            ids[nlabs++] = argv[i];
    }
    const char *no_colour = getenv("NO_COLOR");
    use_colour = isatty(1) && !(no_colour && *no_colour);

    if (error) {
        fprintf(stderr, "grader: grading failed: %s\n", error);
        if (results)
            write_results(results, NULL, 0, error, seconds);
        return 5;
    }
    if (!run || nlabs == 0) {
        fprintf(stderr, "usage: report RUNDIR LAB... [--results FILE] "
                "[--state DIR] [--test NAME]\n");
        return 5;
    }

    static struct lab labs[MAX_LABS];
    int total = 0, max = 0;
    for (int i = 0; i < nlabs; i++) {
        struct lab *l = &labs[i];
        l->id = ids[i];
        char *st = slurp(path_of(run, l->id, "state"));
        snprintf(l->state, sizeof l->state, "%s", st ? st : "unknown");
        l->state[strcspn(l->state, "\n")] = '\0';
        free(st);
        if (load_inventory(l, run, filter) != 0) {
            char msg[512];
            snprintf(msg, sizeof msg, "no test inventory for lab %s", l->id);
            if (results)
                write_results(results, NULL, 0, msg, seconds);
            fprintf(stderr, "grader: grading failed: %s\n", msg);
            return 5;
        }
        l->build_log = slurp(path_of(run, l->id, "build.log"));
        load_records(l, run);
        score(l);
        total += l->score;
        max += l->max;
    }
    int matched = 0, all_passed = 1;
    for (int i = 0; i < nlabs; i++)
        for (int j = 0; j < labs[i].ntests; j++, matched++)
            /* A skipped test (LEAKCHECK=0) did not run: it neither
             * passed nor failed. */
            if (strcmp(labs[i].tests[j].verdict, "PASS") &&
                strcmp(labs[i].tests[j].verdict, "SKIP"))
                all_passed = 0;
    if (filter && *filter) {
        /* grade.sh said so already, with the lab's names (it never gets
         * here): bad usage, no score. */
        if (matched == 0) {
            fprintf(stderr, "grader: no test matches TEST=%s; `make grade "
                    "LAB=NN` prints the names of a lab's tests\n", filter);
            return 2;
        }
        partial = filter;
        brief = 0;
    }
    for (int i = 0; i < nlabs; i++) {
        if (brief)
            print_brief(&labs[i]);
        else
            print_lab(&labs[i], run);
        write_state(state, &labs[i], filter);
    }
    if (brief)
        printf("\n");
    if (summary) {
        FILE *f = fopen(summary, "w");
        if (!f) {
            fprintf(stderr, "grader: cannot write %s\n", summary);
            return 5;
        }
        for (int i = 0; i < nlabs; i++)
            write_summary(f, &labs[i]);
        fprintf(f, "isolation %s\n", isolation);
        if (fclose(f) != 0)
            return 5;
    }
    int bonus = 0, bonus_max = 0;
    for (int i = 0; i < nlabs; i++) {
        bonus += labs[i].bonus;
        bonus_max += labs[i].bonus_max;
    }
    if (partial)
        partial_footer(labs, nlabs, state);
    else if (bonus_max)
        printf("%sScore: %d/%d%s  (bonus %d/%d, reported apart)\n", c_bold(),
               total, max, c_end(), bonus, bonus_max);
    else
        printf("%sScore: %d/%d%s\n", c_bold(), total, max, c_end());
    if (!strcmp(isolation, "uid"))
        printf("Isolation: uid. No namespaces here (a container or a "
               "chroot): your code ran under a user id of its own, with "
               "no rights on the grader's files.\n");
    else if (!strcmp(isolation, "none"))
        printf("Isolation: none. Neither namespaces nor root here: your "
               "code ran with your own rights (fine for practice).\n");
    if (!partial) {
        next_step(labs, nlabs, brief);
        if (brief)
            printf("Each test of a lab, with what went wrong: `make grade "
                   "%sLAB=NN`.\n", again);
    }
    /* Autolab reads the last line of the output as its scores. */
    const char *autolab = getenv("AUTOLAB");
    if (autolab && !strcmp(autolab, "1")) {
        printf("{\"scores\": {");
        for (int i = 0; i < nlabs; i++)
            printf("%s\"%s\": %d", i ? ", " : "", labs[i].id, labs[i].score);
        printf("}}\n");
    }
    if (results && write_results(results, labs, nlabs, NULL, seconds) != 0)
        return 5;
    if (partial)
        return all_passed ? 0 : 1;
    return total == max ? 0 : 1;
}
