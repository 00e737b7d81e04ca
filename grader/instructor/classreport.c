/* classreport.c - the class report of a batch: what the class missed, at
 * a glance. Written by `make batch` after the gradebook, and again by
 * `make similarity` (which adds its section).
 *
 *   classreport OUT [NOTES_URL]
 *
 * Reads (all written by grader/instructor/batch.sh, except the last):
 *   OUT/gradebook.csv                    the scores: the histograms
 *   OUT/submissions/NAME/summary.txt     "lab ID SCORE MAX STATE": which
 *                                        labs built, so that their tests ran
 *   OUT/submissions/NAME/results.json    each test, passed or failed, and
 *                                        its message ("likely:", "read:")
 *   OUT/similarity.csv                   pairs above the threshold, from
 *                                        make similarity (optional)
 * Writes OUT/report.html (the figures inline), OUT/report.md (the same
 * tables; the figures as OUT/report/one .svg file each beside it).
 *
 * The figures are plain SVG 1.1 made here, as notes/bench/plot.c makes
 * its own: no script, no external file or font, a white background. Every
 * bar carries its numbers in data- attributes and every figure has a
 * table with the same numbers, so a script (check-class-report.sh) can
 * compare them with the gradebook, and a screen reader can read them.
 *
 * NOTES_URL is where the notes' "read: notes/X.md#a" links point:
 * batch.sh passes file://ROOT/notes, or CLASSREPORT_NOTES (the course's
 * published copy); without it, "../notes" (OUT beside a checkout).
 *
 * Exit status: 0 written, 1 cannot read the gradebook or write the report.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOOL_NAME "classreport"
#include "tool.h"

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* A whole file, NUL-terminated; NULL if it cannot be read (optional
 * inputs: a submission that was never graded has no summary). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    if (!f)
        return NULL;
    do {
        if (cap - len < 4096) {
            cap = cap ? 2 * cap : 65536;
            buf = xrealloc(buf, cap + 1);
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    /* A read error, or one reported only at close, loses the file. */
    if (ferror(f) | (fclose(f) == EOF)) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/* ---- the gradebook ------------------------------------------------- */

#define MAXLABS 16
#define BUCKETS 11   /* 0-9, 10-19, ..., 90-99, 100 */

struct row {
    char *name, *status, *reason;
    int score[MAXLABS];
};

static char *lab[MAXLABS];
static int nlabs;
static struct row *rows;
static int nrows;

/* One CSV record from *p (RFC 4180 quoting, as batch.sh's csv() writes
 * it); fields are new strings. Returns the number of fields, 0 at the end. */
static int csv_record(const char **p, char **field, int max)
{
    const char *s = *p;
    int n = 0;
    if (!*s)
        return 0;
    for (;;) {
        size_t cap = 64, len = 0;
        char *f = xmalloc(cap);
        if (*s == '"') {
            s++;
            for (; *s; s++) {
                if (*s == '"' && s[1] == '"')
                    s++;
                else if (*s == '"') {
                    s++;
                    break;
                }
                if (len + 2 > cap)
                    f = xrealloc(f, cap *= 2);
                f[len++] = *s;
            }
        }
        for (; *s && *s != ',' && *s != '\n' && *s != '\r'; s++) {
            if (len + 2 > cap)
                f = xrealloc(f, cap *= 2);
            f[len++] = *s;
        }
        f[len] = '\0';
        if (n < max)
            field[n++] = f;
        else
            free(f);
        if (*s == ',') {
            s++;
            continue;
        }
        while (*s == '\r' || *s == '\n')
            s++;
        break;
    }
    *p = s;
    return n;
}

static void read_gradebook(const char *out)
{
    char path[4096], *text;
    const char *p;
    char *f[MAXLABS + 16];
    int n, total_col = -1;
    snprintf(path, sizeof path, "%s/gradebook.csv", out);
    text = slurp(path);
    if (!text)
        die("cannot read %s", path);
    p = text;
    n = csv_record(&p, f, MAXLABS + 16);
    errno = 0;   /* the messages below are about the content, not a call */
    if (n < 6 || strcmp(f[0], "submission"))
        die("%s: not a gradebook (its header does not start with submission)", path);
    for (int i = 1; i < n; i++) {
        if (!strcmp(f[i], "total")) {
            total_col = i;
            break;
        }
        if (nlabs == MAXLABS)
            die("%s: more than %d labs", path, MAXLABS);
        lab[nlabs++] = xstrdup(f[i]);
    }
    if (total_col < 0 || n < total_col + 4) {
        errno = 0;
        die("%s: no total, max, status and reason columns", path);
    }
    for (int i = 0; i < n; i++)
        free(f[i]);
    for (;;) {
        n = csv_record(&p, f, MAXLABS + 16);
        if (n == 0)
            break;
        if (n < nlabs + 5) {
            errno = 0;
            die("%s: a row with %d fields, expected %d", path, n, nlabs + 6);
        }
        rows = xrealloc(rows, (size_t)(nrows + 1) * sizeof *rows);
        struct row *r = &rows[nrows++];
        r->name = f[0];
        for (int l = 0; l < nlabs; l++) {
            r->score[l] = atoi(f[1 + l]);
            free(f[1 + l]);
        }
        /* total, max, status, reason, isolation */
        free(f[1 + nlabs]);
        free(f[2 + nlabs]);
        r->status = f[3 + nlabs];
        r->reason = f[4 + nlabs];
        for (int i = 5 + nlabs; i < n; i++)
            free(f[i]);
    }
    free(text);
}

static int lab_index(const char *id)
{
    for (int l = 0; l < nlabs; l++)
        if (!strcmp(lab[l], id))
            return l;
    return -1;
}

/* ---- the tests, from each submission's results.json ------------------ */

struct test {
    int lab;
    char *name;      /* "suite/name", " (bonus)" kept */
    int graded;      /* submissions whose lab built, so the test ran */
    int failed;
};

struct cause {
    int lab;
    char *likely, *note;
    int failures, subs, last_sub;
};

static struct test *tests;
static int ntests;
static struct cause *causes;
static int ncauses;
static int submitted[MAXLABS];   /* submissions with the lab in summary.txt */
static int built[MAXLABS];       /* ... and built: its tests ran           */

static struct test *find_test(int l, const char *name)
{
    for (int i = 0; i < ntests; i++)
        if (tests[i].lab == l && !strcmp(tests[i].name, name))
            return &tests[i];
    tests = xrealloc(tests, (size_t)(ntests + 1) * sizeof *tests);
    tests[ntests] = (struct test){l, xstrdup(name), 0, 0};
    return &tests[ntests++];
}

/* Append one code point as UTF-8. */
static size_t put_utf8(char *o, unsigned c)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | c >> 6);
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    o[0] = (char)(0xE0 | c >> 12);
    o[1] = (char)(0x80 | (c >> 6 & 0x3F));
    o[2] = (char)(0x80 | (c & 0x3F));
    return 3;
}

/* The JSON string value of "key": in line, decoded; NULL if absent.
 * report.c and batch.sh write one test per line, keys in a fixed order. */
static char *json_string(const char *line, const char *key)
{
    char pat[64];
    const char *s;
    char *o, *v;
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    s = strstr(line, pat);
    if (!s)
        return NULL;
    s += strlen(pat);
    v = o = xmalloc(strlen(s) * 3 + 1);
    for (; *s && *s != '"'; s++) {
        if (*s != '\\') {
            *o++ = *s;
            continue;
        }
        s++;
        switch (*s) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': case 'f': *o++ = ' '; break;
        case 'u': {
            unsigned c = 0;
            int k;
            for (k = 1; k <= 4 && s[k]; k++) {
                char h = s[k];
                c = c * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
            }
            s += k - 1;
            o += put_utf8(o, c ? c : ' ');
            break;
        }
        case '\0': s--; break;
        default: *o++ = *s;
        }
    }
    *o = '\0';
    return v;
}

/* From a failure message, its "likely:" cause and "read: notes/..." note:
 * the text after the label up to the end of its line, trimmed. */
static char *message_field(const char *msg, const char *label)
{
    const char *s = msg;
    size_t ll = strlen(label);
    while (s && *s) {
        const char *b = s;
        while (*b == ' ')
            b++;
        if (!strncmp(b, label, ll)) {
            const char *e;
            b += ll;
            while (*b == ' ')
                b++;
            e = b + strcspn(b, "\n");
            while (e > b && e[-1] == ' ')
                e--;
            char *v = xmalloc((size_t)(e - b) + 1);
            memcpy(v, b, (size_t)(e - b));
            v[e - b] = '\0';
            return v;
        }
        s = strchr(s, '\n');
        if (s)
            s++;
    }
    return NULL;
}

static void add_cause(int l, char *likely, char *note, int sub)
{
    for (int i = 0; i < ncauses; i++) {
        struct cause *c = &causes[i];
        if (c->lab == l && !strcmp(c->likely, likely) && !strcmp(c->note, note)) {
            c->failures++;
            if (c->last_sub != sub) {
                c->subs++;
                c->last_sub = sub;
            }
            free(likely);
            free(note);
            return;
        }
    }
    causes = xrealloc(causes, (size_t)(ncauses + 1) * sizeof *causes);
    causes[ncauses++] = (struct cause){l, likely, note, 1, 1, sub};
}

static int not_hidden(const struct dirent *d) { return d->d_name[0] != '.'; }

static void read_submissions(const char *out)
{
    char path[4096];
    struct dirent **ents;
    int n;
    snprintf(path, sizeof path, "%s/submissions", out);
    n = scandir(path, &ents, not_hidden, by_name);
    if (n < 0) {
        if (errno == ENOENT)
            return;
        die("cannot read %s", path);
    }
    for (int k = 0; k < n; k++) {
        int ran[MAXLABS] = {0};
        char *sum, *json, *line;
        snprintf(path, sizeof path, "%s/submissions/%s/summary.txt", out, ents[k]->d_name);
        sum = slurp(path);
        for (line = sum ? strtok(sum, "\n") : NULL; line; line = strtok(NULL, "\n")) {
            char id[128], state[64];
            int sc, mx, l;
            if (sscanf(line, "lab %127s %d %d %63s", id, &sc, &mx, state) != 4)
                continue;
            if ((l = lab_index(id)) < 0)
                continue;
            submitted[l]++;
            if (!strcmp(state, "built")) {
                built[l]++;
                ran[l] = 1;
            }
        }
        free(sum);
        snprintf(path, sizeof path, "%s/submissions/%s/results.json", out, ents[k]->d_name);
        json = slurp(path);
        for (line = json ? strtok(json, "\n") : NULL; line; line = strtok(NULL, "\n")) {
            char *name = json_string(line, "name"), *status, *colon;
            int l;
            if (!name)
                continue;
            colon = strstr(name, ": ");
            if (!colon) {
                free(name);
                continue;
            }
            *colon = '\0';
            l = lab_index(name);
            status = json_string(line, "status");
            if (l >= 0 && ran[l] && status) {
                struct test *t = find_test(l, colon + 2);
                t->graded++;
                if (!strcmp(status, "failed")) {
                    char *msg = json_string(line, "output");
                    char *likely = message_field(msg, "likely:");
                    char *note = message_field(msg, "read:");
                    t->failed++;
                    if (!likely)
                        likely = xstrdup("(no likely line: see the note)");
                    if (!note)
                        note = xstrdup("");
                    add_cause(l, likely, note, k);
                    free(msg);
                }
            }
            free(status);
            free(name);
        }
        free(json);
        free(ents[k]);
    }
    free(ents);
}

/* ---- similarity.csv, from make similarity ---------------------------- */

struct pair {
    char *lab, *a, *b, *page;
    int a_in_b, b_in_a;
};
static struct pair *pairs;
static int npairs;
static int have_similarity;
static char sim_threshold[32] = "?";

static void read_similarity(const char *out)
{
    char path[4096], *text, *f[16];
    const char *p;
    int n;
    snprintf(path, sizeof path, "%s/similarity.csv", out);
    text = slurp(path);
    if (!text)
        return;
    have_similarity = 1;
    p = text;
    /* lab,a,b,a_in_b_pct,b_in_a_pct,threshold_pct,page */
    n = csv_record(&p, f, 16);
    for (int i = 0; i < n; i++)
        free(f[i]);
    while ((n = csv_record(&p, f, 16)) > 0) {
        if (n >= 7) {
            pairs = xrealloc(pairs, (size_t)(npairs + 1) * sizeof *pairs);
            pairs[npairs++] = (struct pair){f[0], f[1], f[2], f[6], atoi(f[3]), atoi(f[4])};
            snprintf(sim_threshold, sizeof sim_threshold, "%s", f[5]);
            free(f[3]);
            free(f[4]);
            free(f[5]);
            for (int i = 7; i < n; i++)
                free(f[i]);
        } else {
            for (int i = 0; i < n; i++)
                free(f[i]);
        }
    }
    free(text);
    /* The threshold even when no pair reached it: similarity.sh writes it
     * in OUT/similarity-threshold. */
    snprintf(path, sizeof path, "%s/similarity-threshold", out);
    text = slurp(path);
    if (text) {
        text[strcspn(text, "\n")] = '\0';
        snprintf(sim_threshold, sizeof sim_threshold, "%s", text);
        free(text);
    }
}

/* ---- output ------------------------------------------------------------ */

static FILE *out;

static void put(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
}

/* Text for HTML and SVG alike: the five XML specials escaped, control
 * bytes (a submission's name may hold anything) shown as '?'. */
static void put_text(const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': put("&amp;"); break;
        case '<': put("&lt;"); break;
        case '>': put("&gt;"); break;
        case '"': put("&quot;"); break;
        case '\'': put("&#39;"); break;
        default: fputc((unsigned char)*s < 0x20 ? '?' : *s, out);
        }
    }
}

/* Text for a Markdown table cell: no newline, no '|', no markup ('_'
 * inside words is no markup on the code hosts: test names stay legible). */
static void put_md(const char *s)
{
    for (; *s; s++) {
        if (*s == '|' || *s == '\\' || *s == '*' || *s == '`' || *s == '<' ||
            *s == '[' || *s == ']')
            fputc('\\', out);
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, out);
    }
}

static void text(double x, double y, const char *anchor, const char *style, const char *s)
{
    put("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>", x, y, anchor, style);
    put_text(s);
    put("</text>\n");
}

static int bucket_of(int score)
{
    if (score >= 100)
        return BUCKETS - 1;
    return score < 0 ? 0 : score / 10;
}

static void bucket_label(int b, char *buf, size_t n)
{
    if (b == BUCKETS - 1)
        snprintf(buf, n, "100");
    else
        snprintf(buf, n, "%d-%d", 10 * b, 10 * b + 9);
}

static void hist_counts(int l, int *count)
{
    memset(count, 0, BUCKETS * sizeof *count);
    for (int r = 0; r < nrows; r++)
        count[bucket_of(rows[r].score[l])]++;
}

/* A round step for an axis up to max: 1, 2, 5, 10, 20, ... */
static int axis_step(int max)
{
    int step = 1;
    for (;;) {
        if (max / step <= 6)
            return step;
        if (max / (step * 2) <= 6)
            return step * 2;
        if (max / (step * 5) <= 6)
            return step * 5;
        step *= 10;
    }
}

/* Okabe and Ito's blue and vermillion, as in notes/bench/plot.c. */
#define BLUE "#0072B2"
#define RED "#D55E00"

static void svg_histogram(int l)
{
    const double W = 620, H = 300, px = 60, py = 44, pw = W - px - 20, ph = H - py - 62;
    int count[BUCKETS], max = 0, step;
    char buf[256];
    hist_counts(l, count);
    for (int b = 0; b < BUCKETS; b++)
        if (count[b] > max)
            max = count[b];
    step = axis_step(max ? max : 1);
    int top = ((max ? max : 1) + step - 1) / step * step;
    put("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
        "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" "
        "class=\"figure histogram\" data-lab=\"%s\" data-submissions=\"%d\">\n",
        W, H, W, H, lab[l], nrows);
    snprintf(buf, sizeof buf, "%s: scores of %d submissions", lab[l], nrows);
    put("<title>");
    put_text(buf);
    put("</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    text(W / 2, 24, "middle", "font-size=\"16\" font-weight=\"bold\"", buf);
    put("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafa\" "
        "stroke=\"#999\"/>\n", px, py, pw, ph);
    for (int v = 0; v <= top; v += step) {
        double y = py + ph - (double)v / top * ph;
        put("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", px,
            y, px + pw, y);
        snprintf(buf, sizeof buf, "%d", v);
        text(px - 6, y + 4, "end", "font-size=\"12\"", buf);
    }
    double bw = pw / BUCKETS;
    for (int b = 0; b < BUCKETS; b++) {
        double h = (double)count[b] / top * ph, x = px + b * bw;
        bucket_label(b, buf, sizeof buf);
        put("<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            "fill=\"%s\" data-lab=\"%s\" data-bucket=\"%s\" data-count=\"%d\"/>\n",
            x + 3, py + ph - h, bw - 6, h, b == BUCKETS - 1 ? BLUE : "#56B4E9", lab[l], buf,
            count[b]);
        text(x + bw / 2, py + ph + 17, "middle", "font-size=\"11\"", buf);
        if (count[b]) {
            char c[16];
            snprintf(c, sizeof c, "%d", count[b]);
            text(x + bw / 2, py + ph - h - 4, "middle", "font-size=\"12\"", c);
        }
    }
    text(px + pw / 2, py + ph + 38, "middle", "font-size=\"12\" fill=\"#333\"",
         "score out of 100 (a lab not submitted counts as 0)");
    put("<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333\" "
        "transform=\"rotate(-90 16 %.1f)\">submissions</text>\n", py + ph / 2, py + ph / 2);
    put("</svg>\n");
}

/* The lab's tests, the most failed first (then by name: the same batch
 * gives the same report). */
static int by_failed_share(const void *pa, const void *pb)
{
    const struct test *a = *(struct test *const *)pa, *b = *(struct test *const *)pb;
    /* a->failed / a->graded against b's, without division */
    long x = (long)a->failed * (b->graded ? b->graded : 1);
    long y = (long)b->failed * (a->graded ? a->graded : 1);
    if (x != y)
        return x < y ? 1 : -1;
    return strcmp(a->name, b->name);
}

static int lab_tests(int l, struct test ***list)
{
    int n = 0;
    *list = xmalloc((size_t)(ntests ? ntests : 1) * sizeof **list);
    for (int i = 0; i < ntests; i++)
        if (tests[i].lab == l)
            (*list)[n++] = &tests[i];
    qsort(*list, (size_t)n, sizeof **list, by_failed_share);
    return n;
}

static int pct(int part, int whole) { return whole ? (200 * part + whole) / (2 * whole) : 0; }

static void svg_failures(int l)
{
    struct test **t;
    int n = lab_tests(l, &t);
    const double W = 980, lw = 470, bx = lw + 10, bwmax = 380, rh = 20, top = 50;
    double H = top + n * rh + 40;
    char buf[512];
    put("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
        "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" "
        "class=\"figure failures\" data-lab=\"%s\" data-graded=\"%d\">\n",
        W, H, W, H, lab[l], built[l]);
    snprintf(buf, sizeof buf, "%s: share of the %d graded submissions that failed each test",
             lab[l], built[l]);
    put("<title>");
    put_text(buf);
    put("</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    text(W / 2, 24, "middle", "font-size=\"16\" font-weight=\"bold\"", buf);
    for (int k = 0; k <= 4; k++) {
        double x = bx + bwmax * k / 4;
        put("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", x,
            top - 4, x, top + n * rh);
        snprintf(buf, sizeof buf, "%d%%", 25 * k);
        text(x, top + n * rh + 16, "middle", "font-size=\"11\"", buf);
    }
    for (int i = 0; i < n; i++) {
        double y = top + i * rh, w = t[i]->graded ? bwmax * t[i]->failed / t[i]->graded : 0;
        text(lw, y + 14, "end", "font-size=\"12\"", t[i]->name);
        put("<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            "fill=\"%s\" data-lab=\"%s\" data-test=\"", bx, y + 3, w, rh - 6, RED, lab[l]);
        put_text(t[i]->name);
        put("\" data-failed=\"%d\" data-graded=\"%d\"/>\n", t[i]->failed, t[i]->graded);
        snprintf(buf, sizeof buf, "%d/%d (%d%%)", t[i]->failed, t[i]->graded,
                 pct(t[i]->failed, t[i]->graded));
        text(bx + w + 6, y + 14, "start", "font-size=\"11\" fill=\"#333\"", buf);
    }
    if (!n)
        text(W / 2, top + 20, "middle", "font-size=\"13\"",
             "no submission of this lab built: no test ran");
    put("</svg>\n");
    free(t);
}

/* Writes FIGURE into OUT/report/NAME.svg for report.md (Markdown shows an
 * SVG file as an image), by running it again with out pointing there. */
static void figure_file(const char *dir, const char *name, void (*fig)(int), int l)
{
    char path[4096], tmp[4200];
    FILE *saved = out;
    snprintf(path, sizeof path, "%s/report/%s.svg", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    out = fopen(tmp, "w");
    if (!out)
        die("cannot create %s", tmp);
    fig(l);
    if (ferror(out) | (fclose(out) == EOF))
        die("cannot write %s", tmp);
    if (rename(tmp, path) == -1)
        die("cannot rename %s", tmp);
    out = saved;
}

static int by_subs(const void *pa, const void *pb)
{
    const struct cause *a = pa, *b = pb;
    if (a->subs != b->subs)
        return a->subs < b->subs ? 1 : -1;
    if (a->failures != b->failures)
        return a->failures < b->failures ? 1 : -1;
    if (a->lab != b->lab)
        return a->lab - b->lab;
    return strcmp(a->likely, b->likely);
}

#define TOP_CAUSES 20

static const char *notes_url;

/* "notes/01-mq-basics.md#closing" -> NOTES_URL/01-mq-basics.md#closing */
static void put_note_href(const char *note)
{
    const char *leaf = !strncmp(note, "notes/", 6) ? note + 6 : note;
    put_text(notes_url);
    put("/");
    put_text(leaf);
}

static int ungraded(const struct row *r) { return strcmp(r->status, "ok") != 0; }

static void write_html(const char *dir)
{
    int nbad = 0;
    put("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Class report</title>\n<style>\n"
        "body { font-family: sans-serif; max-width: 1000px; margin: 1em auto; color: #222; }\n"
        "table { border-collapse: collapse; margin: 0.5em 0 1.5em; }\n"
        "td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }\n"
        "td.n { text-align: right; }\n"
        "svg { display: block; margin: 0.5em 0; }\n"
        "details { margin-bottom: 1em; }\n"
        "</style>\n</head>\n<body>\n");
    put("<h1>Class report</h1>\n<p>%d submissions, %d lab%s: ", nrows, nlabs,
        nlabs == 1 ? "" : "s");
    for (int l = 0; l < nlabs; l++)
        put("%s<a href=\"#lab-%s\">%s</a>", l ? ", " : "", lab[l], lab[l]);
    put(". Every number here comes from <code>gradebook.csv</code> and the submissions' "
        "<code>results.json</code> beside this file. A test's share counts the submissions "
        "whose lab was built (the tests ran); the others are listed under "
        "<a href=\"#ungraded\">could not be graded</a>.</p>\n");

    for (int l = 0; l < nlabs; l++) {
        int count[BUCKETS];
        struct test **t;
        int n;
        char b[32];
        put("<h2 id=\"lab-%s\">%s</h2>\n", lab[l], lab[l]);
        put("<p>%d of %d submissions handed this lab in; it built for %d.</p>\n",
            submitted[l], nrows, built[l]);
        svg_histogram(l);
        hist_counts(l, count);
        put("<details><summary>the scores as a table</summary>\n<table class=\"histogram\" "
            "data-lab=\"%s\">\n<tr><th>score</th><th>submissions</th></tr>\n", lab[l]);
        for (int k = 0; k < BUCKETS; k++) {
            bucket_label(k, b, sizeof b);
            put("<tr><td>%s</td><td class=\"n\">%d</td></tr>\n", b, count[k]);
        }
        put("</table></details>\n");
        svg_failures(l);
        n = lab_tests(l, &t);
        put("<details><summary>the tests as a table</summary>\n<table class=\"failures\" "
            "data-lab=\"%s\">\n<tr><th>test</th><th>failed</th><th>graded</th>"
            "<th>share</th></tr>\n", lab[l]);
        for (int i = 0; i < n; i++) {
            put("<tr><td>");
            put_text(t[i]->name);
            put("</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d%%"
                "</td></tr>\n", t[i]->failed, t[i]->graded, pct(t[i]->failed, t[i]->graded));
        }
        put("</table></details>\n");
        free(t);
    }

    put("<h2 id=\"causes\">The most common likely causes</h2>\n"
        "<p>The \"likely:\" line of each failed test's message, counted over the "
        "submissions whose lab built; each with the note section it points to. "
        "The %d most common of %d.</p>\n",
        ncauses < TOP_CAUSES ? ncauses : TOP_CAUSES, ncauses);
    put("<table class=\"causes\">\n<tr><th>submissions</th><th>failed tests</th>"
        "<th>lab</th><th>likely</th><th>note</th></tr>\n");
    for (int i = 0; i < ncauses && i < TOP_CAUSES; i++) {
        struct cause *c = &causes[i];
        put("<tr><td class=\"n\">%d</td><td class=\"n\">%d</td><td>%s</td><td>", c->subs,
            c->failures, lab[c->lab]);
        put_text(c->likely);
        put("</td><td>");
        if (*c->note) {
            put("<a href=\"");
            put_note_href(c->note);
            put("\">");
            put_text(c->note);
            put("</a>");
        }
        put("</td></tr>\n");
    }
    put("</table>\n");

    for (int r = 0; r < nrows; r++)
        nbad += ungraded(&rows[r]);
    put("<h2 id=\"ungraded\">Could not be graded in full</h2>\n"
        "<p>%d of %d submissions have a status other than <code>ok</code> "
        "(grader/instructor/INSTRUCTORS.md explains each).</p>\n", nbad, nrows);
    put("<table class=\"ungraded\">\n<tr><th>submission</th><th>status</th><th>why</th>"
        "</tr>\n");
    for (int r = 0; r < nrows; r++) {
        if (!ungraded(&rows[r]))
            continue;
        put("<tr data-submission=\"");
        put_text(rows[r].name);
        put("\" data-status=\"");
        put_text(rows[r].status);
        put("\"><td>");
        put_text(rows[r].name);
        put("</td><td>");
        put_text(rows[r].status);
        put("</td><td>");
        put_text(rows[r].reason);
        put("</td></tr>\n");
    }
    put("</table>\n");

    put("<h2 id=\"similarity\">Similarity</h2>\n");
    if (!have_similarity) {
        put("<p>Not measured for this batch: <code>make similarity SUBMISSIONS=DIR "
            "OUT=DIR</code> adds it.</p>\n");
    } else {
        put("<p>Pairs of submissions whose student files of a lab share at least %s%% of "
            "their own code (sim_c, Debian's similarity-tester; the lab's hand-out code "
            "never counts). <strong>This never changes a score</strong>: it is a "
            "pointer for a person to read the two files side by side, nothing more. "
            "%d pair%s.</p>\n", sim_threshold, npairs, npairs == 1 ? "" : "s");
        put("<table class=\"similarity\">\n<tr><th>lab</th><th>submission A</th>"
            "<th>submission B</th><th>A found in B</th><th>B found in A</th>"
            "<th>side by side</th></tr>\n");
        for (int i = 0; i < npairs; i++) {
            struct pair *p = &pairs[i];
            put("<tr data-lab=\"");
            put_text(p->lab);
            put("\" data-a=\"");
            put_text(p->a);
            put("\" data-b=\"");
            put_text(p->b);
            put("\"><td>");
            put_text(p->lab);
            put("</td><td>");
            put_text(p->a);
            put("</td><td>");
            put_text(p->b);
            put("</td><td class=\"n\">%d%%</td><td class=\"n\">%d%%</td><td><a href=\"",
                p->a_in_b, p->b_in_a);
            put_text(p->page);
            put("\">the files</a></td></tr>\n");
        }
        put("</table>\n");
    }
    (void)dir;
    put("<p>Made by <code>make batch</code> (grader/instructor/classreport.c).</p>\n"
        "</body>\n</html>\n");
}

static void write_md(const char *dir)
{
    int nbad = 0;
    char name[256], b[32];
    put("# Class report\n\n%d submissions, %d lab%s. Every number comes from "
        "`gradebook.csv` and the submissions' `results.json`. A test's share counts "
        "the submissions whose lab was built (the tests ran). `report.html` has the "
        "same, with the figures inline.\n\n", nrows, nlabs, nlabs == 1 ? "" : "s");
    for (int l = 0; l < nlabs; l++) {
        int count[BUCKETS];
        struct test **t;
        int n;
        put("## %s\n\n%d of %d submissions handed this lab in; it built for %d.\n\n",
            lab[l], submitted[l], nrows, built[l]);
        snprintf(name, sizeof name, "%s-scores", lab[l]);
        figure_file(dir, name, svg_histogram, l);
        put("![%s: scores](report/%s.svg)\n\n| score | submissions |\n|---|---:|\n", lab[l],
            name);
        hist_counts(l, count);
        for (int k = 0; k < BUCKETS; k++) {
            bucket_label(k, b, sizeof b);
            put("| %s | %d |\n", b, count[k]);
        }
        snprintf(name, sizeof name, "%s-failures", lab[l]);
        figure_file(dir, name, svg_failures, l);
        put("\n![%s: failed tests](report/%s.svg)\n\n| test | failed | graded | share |\n"
            "|---|---:|---:|---:|\n", lab[l], name);
        n = lab_tests(l, &t);
        for (int i = 0; i < n; i++) {
            put("| ");
            put_md(t[i]->name);
            put(" | %d | %d | %d%% |\n", t[i]->failed, t[i]->graded,
                pct(t[i]->failed, t[i]->graded));
        }
        put("\n");
        free(t);
    }
    put("## The most common likely causes\n\n| submissions | failed tests | lab | likely | "
        "note |\n|---:|---:|---|---|---|\n");
    for (int i = 0; i < ncauses && i < TOP_CAUSES; i++) {
        struct cause *c = &causes[i];
        put("| %d | %d | %s | ", c->subs, c->failures, lab[c->lab]);
        put_md(c->likely);
        put(" | ");
        if (*c->note) {
            put("[");
            put_md(c->note);
            put("](");
            put_note_href(c->note);
            put(")");
        }
        put(" |\n");
    }
    for (int r = 0; r < nrows; r++)
        nbad += ungraded(&rows[r]);
    put("\n## Could not be graded in full\n\n%d of %d submissions have a status other "
        "than `ok`.\n\n| submission | status | why |\n|---|---|---|\n", nbad, nrows);
    for (int r = 0; r < nrows; r++) {
        if (!ungraded(&rows[r]))
            continue;
        put("| ");
        put_md(rows[r].name);
        put(" | %s | ", rows[r].status);
        put_md(rows[r].reason);
        put(" |\n");
    }
    put("\n## Similarity\n\n");
    if (!have_similarity) {
        put("Not measured for this batch: `make similarity SUBMISSIONS=DIR OUT=DIR` adds "
            "it.\n");
    } else {
        put("Pairs whose student files of a lab share at least %s%% of their own code "
            "(sim_c; the hand-out code never counts). **This never changes a score.** "
            "%d pair%s.\n\n| lab | A | B | A found in B | B found in A | side by side |\n"
            "|---|---|---|---:|---:|---|\n", sim_threshold, npairs, npairs == 1 ? "" : "s");
        for (int i = 0; i < npairs; i++) {
            put("| %s | ", pairs[i].lab);
            put_md(pairs[i].a);
            put(" | ");
            put_md(pairs[i].b);
            put(" | %d%% | %d%% | [the files](%s) |\n", pairs[i].a_in_b, pairs[i].b_in_a,
                pairs[i].page);
        }
    }
}

static void write_file(const char *dir, const char *leaf, void (*body)(const char *))
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, leaf);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    out = fopen(tmp, "w");
    if (!out)
        die("cannot create %s", tmp);
    body(dir);
    if (ferror(out) | (fclose(out) == EOF)) {
        unlink(tmp);
        die("cannot write %s", tmp);
    }
    if (rename(tmp, path) == -1)
        die("cannot rename %s to %s", tmp, path);
}

int main(int argc, char **argv)
{
    char path[4096];
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: classreport OUT [NOTES_URL]\n");
        return 2;
    }
    notes_url = argc == 3 ? argv[2] : "../notes";
    read_gradebook(argv[1]);
    read_submissions(argv[1]);
    read_similarity(argv[1]);
    qsort(causes, (size_t)ncauses, sizeof *causes, by_subs);
    snprintf(path, sizeof path, "%s/report", argv[1]);
    if (mkdir(path, 0755) == -1 && errno != EEXIST)
        die("cannot create %s", path);
    write_file(argv[1], "report.md", write_md);
    write_file(argv[1], "report.html", write_html);
    return 0;
}
