/* simreport.c - the C half of `make similarity`: it reads what sim_c
 * (Debian's similarity-tester) printed, and writes what the instructor
 * reads. grader/instructor/similarity.sh runs sim_c and calls this:
 *
 *   simreport strip HANDOUT_RUNS NEWDIR OWNDIR
 *       HANDOUT_RUNS is `sim_c -S -n` over NEWDIR's files, then "/ handout.c": the runs of
 *       each submission's code that are the lab's hand-out (its skeleton).
 *       Writes each NEWDIR/F.c to OWNDIR/F.c with those lines blanked: what
 *       is left is the student's own code, line numbers unchanged.
 *       Why not only sim_c's "/" (old files)? Old files are never compared
 *       among themselves, but two new files that both kept the skeleton
 *       still match each other in it: two untouched skeletons come out as
 *       "100 % of each other's material". Blanking the hand-out first is
 *       what makes handed-out code never count.
 *   simreport pairs THRESHOLD PERCENTAGES
 *       PERCENTAGES is `sim_c -p -e -a` over OWNDIR: lines "X consists for
 *       N % of Y material". Prints "X TAB Y TAB X_IN_Y TAB Y_IN_X" for each
 *       pair of files where either share is at least THRESHOLD, the most
 *       similar first (then by name: the same input gives the same list).
 *   simreport page LAB NAME_A NAME_B FILE_A FILE_B HANDOUT_RUNS PAIR_RUNS
 *                  A_IN_B B_IN_A THRESHOLD PAGE
 *       Writes PAGE: the two submissions' files side by side (FILE_A and
 *       FILE_B, as submitted), the lines they share (PAIR_RUNS, `sim_c -n`
 *       over their own code) marked, the hand-out's lines greyed.
 *
 * Nothing here reads or writes a score: the page and the CSV say so.
 * Exit status: 0 done, 1 an input cannot be read or the page written,
 * 2 bad usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOOL_NAME "simreport"
#include "tool.h"

/* A file as an array of lines (without their newlines). */
struct lines {
    char **line;
    int n;
    char *buf;
};

static void read_lines(const char *path, struct lines *l)
{
    FILE *f = fopen(path, "rb");
    size_t len = 0, cap = 65536, got;
    if (!f)
        die("cannot open %s", path);
    l->buf = xrealloc(NULL, cap + 1);
    while ((got = fread(l->buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap)
            l->buf = xrealloc(l->buf, (cap *= 2) + 1);
    }
    if (ferror(f))
        die("cannot read %s", path);
    if (fclose(f) == EOF)
        die("cannot close %s", path);
    l->buf[len] = '\0';
    l->n = 0;
    l->line = NULL;
    for (char *s = l->buf; *s;) {
        char *e = strchr(s, '\n');
        l->line = xrealloc(l->line, (size_t)(l->n + 1) * sizeof *l->line);
        l->line[l->n++] = s;
        if (!e)
            break;
        *e = '\0';
        s = e + 1;
    }
}

static void free_lines(struct lines *l)
{
    free(l->line);
    free(l->buf);
}

/* From sim_c -n output, a run: "LEFT: line A-B   |RIGHT: line C-D   [N]".
 * Fills the two paths and ranges; 0 if the line is not a run. */
static int parse_run(const char *s, char *left, char *right, size_t n, int *a, int *b,
                     int *c, int *d)
{
    const char *bar = strchr(s, '|'), *p;
    size_t k;
    if (!bar)
        return 0;
    p = strstr(s, ": line ");
    if (!p || p > bar || (k = (size_t)(p - s)) >= n)
        return 0;
    memcpy(left, s, k);
    left[k] = '\0';
    if (sscanf(p, ": line %d-%d", a, b) != 2)
        return 0;
    p = strstr(bar + 1, ": line ");
    if (!p || (k = (size_t)(p - (bar + 1))) >= n)
        return 0;
    memcpy(right, bar + 1, k);
    right[k] = '\0';
    return sscanf(p, ": line %d-%d", c, d) == 2;
}

/* Marks (sets to `mark`) the lines of `path` that a run in RUNS covers:
 * on the left side only, or on either side when `either`. */
static void mark_runs(const struct lines *runs, const char *path, const char *other,
                      char *marks, int nmarks, char mark)
{
    char left[4096], right[4096];
    int a, b, c, d;
    for (int i = 0; i < runs->n; i++) {
        if (!parse_run(runs->line[i], left, right, sizeof left, &a, &b, &c, &d))
            continue;
        if (!strcmp(left, path) && (!other || !strcmp(right, other)))
            ;
        else if (other && !strcmp(right, path) && !strcmp(left, other)) {
            a = c;
            b = d;
        } else
            continue;
        for (int k = a; k <= b; k++)
            if (k >= 1 && k <= nmarks)
                marks[k - 1] = mark;
    }
}

static int is_c(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 2 && !strcmp(d->d_name + n - 2, ".c");
}

static int strip(const char *runs_path, const char *newdir, const char *owndir)
{
    struct lines runs;
    struct dirent **ents;
    int n;
    read_lines(runs_path, &runs);
    n = scandir(newdir, &ents, is_c, by_name);
    if (n < 0)
        die("cannot read %s", newdir);
    for (int k = 0; k < n; k++) {
        char in[4096], outp[4096], tmp[4200];
        struct lines f;
        char *marks;
        FILE *o;
        snprintf(in, sizeof in, "%s/%s", newdir, ents[k]->d_name);
        snprintf(outp, sizeof outp, "%s/%s", owndir, ents[k]->d_name);
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", outp, (long)getpid());
        read_lines(in, &f);
        marks = calloc((size_t)f.n + 1, 1);
        if (!marks)
            die("out of memory");
        mark_runs(&runs, in, NULL, marks, f.n, 1);
        o = fopen(tmp, "w");
        if (!o)
            die("cannot create %s", tmp);
        for (int i = 0; i < f.n; i++)
            fprintf(o, "%s\n", marks[i] ? "" : f.line[i]);
        if (ferror(o) | (fclose(o) == EOF))
            die("cannot write %s", tmp);
        if (rename(tmp, outp) == -1)
            die("cannot rename %s", tmp);
        free(marks);
        free_lines(&f);
        free(ents[k]);
    }
    free(ents);
    free_lines(&runs);
    return 0;
}

struct share {
    char *x, *y;
    int pct;
};

struct pair {
    const char *x, *y;
    int xy, yx;
};

static int by_strength(const void *pa, const void *pb)
{
    const struct pair *a = pa, *b = pb;
    int ma = a->xy > a->yx ? a->xy : a->yx, mb = b->xy > b->yx ? b->xy : b->yx;
    int c;
    if (ma != mb)
        return ma < mb ? 1 : -1;
    if ((c = strcmp(a->x, b->x)))
        return c;
    return strcmp(a->y, b->y);
}

static int share_of(const struct share *s, int n, const char *x, const char *y)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(s[i].x, x) && !strcmp(s[i].y, y))
            return s[i].pct;
    return 0;
}

static int pairs(const char *threshold, const char *pct_path)
{
    struct lines in;
    struct share *s = NULL;
    struct pair *p = NULL;
    int ns = 0, np = 0, t = atoi(threshold);
    read_lines(pct_path, &in);
    for (int i = 0; i < in.n; i++) {
        char *line = in.line[i], *mid = strstr(line, " consists for "), *end;
        int pct;
        if (!mid || !(end = strstr(mid, " % of ")))
            continue;
        pct = atoi(mid + strlen(" consists for "));
        *mid = '\0';
        mid = end + strlen(" % of ");
        end = strstr(mid, " material");
        if (!end)
            continue;
        *end = '\0';
        s = xrealloc(s, (size_t)(ns + 1) * sizeof *s);
        s[ns++] = (struct share){line, mid, pct};
    }
    /* Each unordered pair once, x before y by name. */
    for (int i = 0; i < ns; i++) {
        const char *x = s[i].x, *y = s[i].y;
        int known = 0;
        if (strcmp(x, y) > 0) {
            x = s[i].y;
            y = s[i].x;
        }
        if (!strcmp(x, y))
            continue;
        for (int k = 0; k < np && !known; k++)
            known = !strcmp(p[k].x, x) && !strcmp(p[k].y, y);
        if (known)
            continue;
        p = xrealloc(p, (size_t)(np + 1) * sizeof *p);
        p[np] = (struct pair){x, y, share_of(s, ns, x, y), share_of(s, ns, y, x)};
        if (p[np].xy >= t || p[np].yx >= t)
            np++;
    }
    qsort(p, (size_t)np, sizeof *p, by_strength);
    for (int k = 0; k < np; k++)
        printf("%s\t%s\t%d\t%d\n", p[k].x, p[k].y, p[k].xy, p[k].yx);
    free(p);
    free(s);
    free_lines(&in);
    if (fflush(stdout) == EOF)
        die("cannot write the pairs");
    return 0;
}

static FILE *out;

static void put_text(const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\t': fputs("    ", out); break;
        default: fputc((unsigned char)*s < 0x20 ? '?' : *s, out);
        }
    }
}

static void column(const char *title, const char *file, const char *other,
                   const struct lines *hand, const struct lines *runs)
{
    struct lines f;
    char *marks;
    read_lines(file, &f);
    marks = calloc((size_t)f.n + 1, 1);
    if (!marks)
        die("out of memory");
    /* The hand-out runs name the file as the shell gave it to sim_c; the
     * pair runs name the stripped copies: the same file names, own/ for new/. */
    mark_runs(hand, file, NULL, marks, f.n, 'h');
    {
        char own[4096], oth[4096];
        const char *slash = strstr(file, "new/"), *oslash = strstr(other, "new/");
        snprintf(own, sizeof own, "own/%s", slash ? slash + 4 : file);
        snprintf(oth, sizeof oth, "own/%s", oslash ? oslash + 4 : other);
        mark_runs(runs, own, oth, marks, f.n, 's');
    }
    fprintf(out, "<div class=\"col\"><h2>");
    put_text(title);
    fprintf(out, "</h2>\n<pre>");
    for (int i = 0; i < f.n; i++) {
        const char *cls = marks[i] == 's' ? "same" : marks[i] == 'h' ? "hand" : "own";
        fprintf(out, "<span class=\"%s\"><span class=\"ln\">%4d</span> ", cls, i + 1);
        put_text(f.line[i]);
        fprintf(out, "</span>\n");
    }
    fprintf(out, "</pre></div>\n");
    free(marks);
    free_lines(&f);
}

static int page(char **a)
{
    /* LAB NAME_A NAME_B FILE_A FILE_B HANDOUT_RUNS PAIR_RUNS A_IN_B B_IN_A
     * THRESHOLD PAGE */
    struct lines hand, runs;
    char tmp[4200];
    read_lines(a[5], &hand);
    read_lines(a[6], &runs);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", a[10], (long)getpid());
    out = fopen(tmp, "w");
    if (!out)
        die("cannot create %s", tmp);
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<title>");
    put_text(a[0]);
    fprintf(out, ": ");
    put_text(a[1]);
    fprintf(out, " and ");
    put_text(a[2]);
    fprintf(out, "</title>\n<style>\n"
                 "body { font-family: sans-serif; margin: 1em; }\n"
                 ".cols { display: flex; gap: 1em; }\n"
                 ".col { flex: 1; min-width: 0; overflow-x: auto; }\n"
                 "pre { font-size: 12px; line-height: 1.35; }\n"
                 ".same { background: #ffe9a8; }\n"
                 ".hand { color: #999; }\n"
                 ".ln { color: #999; }\n"
                 "</style>\n</head>\n<body>\n<h1>");
    put_text(a[0]);
    fprintf(out, ": ");
    put_text(a[1]);
    fprintf(out, " and ");
    put_text(a[2]);
    fprintf(out, "</h1>\n<p>%s%% of the first one's own code is found in the second, "
                 "%s%% of the second one's in the first (sim_c; listed at %s%% or "
                 "more). <span class=\"same\">Marked</span>: the runs they share. "
                 "<span class=\"hand\">Grey</span>: the lab's hand-out, which never "
                 "counts. Comments, layout and names do not hide a run: sim_c "
                 "compares tokens.</p>\n<p><strong>This never changes a score.</strong> "
                 "Similar code has innocent causes too (the notes' examples, a "
                 "common textbook pattern, a short lab): it is a reason to read, "
                 "not a verdict.</p>\n<div class=\"cols\">\n", a[7], a[8], a[9]);
    column(a[1], a[3], a[4], &hand, &runs);
    column(a[2], a[4], a[3], &hand, &runs);
    fprintf(out, "</div>\n</body>\n</html>\n");
    if (ferror(out) | (fclose(out) == EOF)) {
        unlink(tmp);
        die("cannot write %s", tmp);
    }
    if (rename(tmp, a[10]) == -1)
        die("cannot rename %s", tmp);
    free_lines(&hand);
    free_lines(&runs);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "strip"))
        return strip(argv[2], argv[3], argv[4]);
    if (argc == 4 && !strcmp(argv[1], "pairs"))
        return pairs(argv[2], argv[3]);
    if (argc == 13 && !strcmp(argv[1], "page"))
        return page(argv + 2);
    fprintf(stderr, "usage: simreport strip HANDOUT_RUNS NEWDIR OWNDIR\n"
                    "       simreport pairs THRESHOLD PERCENTAGES\n"
                    "       simreport page LAB NAME_A NAME_B FILE_A FILE_B HANDOUT_RUNS "
                    "PAIR_RUNS A_IN_B B_IN_A THRESHOLD PAGE\n");
    return 2;
}
