/* plot.c - draw ipcbench's CSV as an SVG picture, with nothing but libc.
 *
 * usage: plot results.csv results.svg
 *
 * Six panels, one line per transport against the message size, every
 * axis logarithmic (the values span several powers of ten):
 *   messages per second, bytes per second        (two processes, one way)
 *   round trip: median, 99th percentile          (two processes, ping-pong)
 *   cost per message: one process alone, and the CPU time both processes
 *   spend per message when they run together
 * The title names the machine the CSV came from (its cpu, cores, kernel
 * and date columns), not the machine that draws it.
 *
 * The output is plain SVG 1.1: no script, no external font or file, a
 * generic font family and a white background, so that a code host shows
 * it as an image in light and dark mode alike.
 *
 * Build: cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror plot.c
 * (not even -lm: the few logarithms it needs are computed here)
 */
#include <errno.h>
#include <math.h> /* NAN and isnan only: macros, no libm */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *prog = "plot";

static _Noreturn void die(const char *fmt, ...)
{
    int e = errno;
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (e)
        fprintf(stderr, ": %s", strerror(e));
    fputc('\n', stderr);
    exit(1);
}

/* ---- a little arithmetic without libm ------------------------------ */

#define LN10 2.302585092994046
#define LN2 0.6931471805599453

/* Natural logarithm of x > 0: split off the binary exponent, then the
 * series of atanh around 1. Good to 1e-12, ample for pixels. */
static double ln(double x)
{
    int e = 0;
    double y, y2, term, sum = 0;
    while (x > 2) {
        x /= 2;
        e++;
    }
    while (x < 1) {
        x *= 2;
        e--;
    }
    y = (x - 1) / (x + 1);
    y2 = y * y;
    term = y;
    for (int k = 1; k < 60; k += 2) {
        sum += term / k;
        term *= y2;
    }
    return 2 * sum + e * LN2;
}

static double log10_(double x) { return ln(x) / LN10; }

static double pow10_(int n)
{
    double v = 1;
    for (; n > 0; n--)
        v *= 10;
    for (; n < 0; n++)
        v /= 10;
    return v;
}

static int floor_int(double x)
{
    int i = (int)x;
    return (double)i > x ? i - 1 : i;
}

static int is_num(double x) { return !isnan(x); }

/* ---- the data -------------------------------------------------------- */

#define MAXT 12
#define MAXS 16

enum metric { M_MPS, M_BPS, M_RTT_MED, M_RTT_P99, M_SOLO, M_CPU, M_COUNT };

struct data {
    char transport[MAXT][32];
    char skipped[MAXT][128];   /* "64 KiB: above msgsize_max 8192" */
    int nt;
    double size[MAXS];
    int ns;
    double v[M_COUNT][MAXT][MAXS];  /* base units: 1/s, B/s, s; NaN if none */
    char cpu[160], kernel[160], date[64], rounds[16], syscall_ns[32], others[16];
    long cores;
};

static int split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    line[strcspn(line, "\r\n")] = '\0';
    for (;;) {
        if (n == max)
            return -1;
        f[n++] = p;
        p = strchr(p, ',');
        if (!p)
            return n;
        *p++ = '\0';
    }
}

static int find_col(char **h, int nh, const char *name)
{
    for (int i = 0; i < nh; i++)
        if (strcmp(h[i], name) == 0)
            return i;
    errno = 0;
    die("the CSV has no column \"%s\" (made by an older ipcbench?)", name);
}

static double num(const char *s)
{
    char *end;
    double v;
    if (!*s)
        return NAN;
    errno = 0;
    v = strtod(s, &end);
    if (*end || errno || !(v > 0))
        return NAN;
    return v;
}

static void size_label(double b, char *out, size_t n)
{
    if (b >= 1048576 && (long)b % 1048576 == 0)
        snprintf(out, n, "%ld MiB", (long)b / 1048576);
    else if (b >= 1024 && (long)b % 1024 == 0)
        snprintf(out, n, "%ld KiB", (long)b / 1024);
    else
        snprintf(out, n, "%ld B", (long)b);
}

static void read_csv(const char *path, struct data *d)
{
    FILE *f = fopen(path, "r");
    char hline[2048], line[2048];
    char *h[64], *c[64];
    int nh, ct, csz, cst, cm[M_COUNT], ccpu, ccores, ckern, cdate, crounds, csys, coth;
    static const char *mcol[M_COUNT] = {"msgs_per_s", "mb_per_s", "rtt_median_us",
                                        "rtt_p99_us", "one_process_ns_per_msg",
                                        "cpu_ns_per_msg"};
    static const double mscale[M_COUNT] = {1, 1e6, 1e-6, 1e-6, 1e-9, 1e-9};
    int rows = 0;

    memset(d, 0, sizeof *d);
    if (!f)
        die("cannot open %s", path);
    if (!fgets(hline, sizeof hline, f)) {
        errno = 0;
        die("%s is empty", path);
    }
    nh = split(hline, h, 64);
    if (nh < 0 || strchr(hline, '"')) {
        errno = 0;
        die("%s: cannot read its header line", path);
    }
    ct = find_col(h, nh, "transport");
    csz = find_col(h, nh, "size_bytes");
    cst = find_col(h, nh, "status");
    for (int m = 0; m < M_COUNT; m++)
        cm[m] = find_col(h, nh, mcol[m]);
    ccpu = find_col(h, nh, "cpu");
    ccores = find_col(h, nh, "cores");
    ckern = find_col(h, nh, "kernel");
    cdate = find_col(h, nh, "date");
    crounds = find_col(h, nh, "rounds");
    csys = find_col(h, nh, "syscall_ns");
    coth = find_col(h, nh, "others_busy_pct");
    for (int m = 0; m < M_COUNT; m++)
        for (int t = 0; t < MAXT; t++)
            for (int s = 0; s < MAXS; s++)
                d->v[m][t][s] = NAN;

    while (fgets(line, sizeof line, f)) {
        int n, t, s;
        double size;
        if (line[0] == '\n' || line[0] == '\0')
            continue;
        errno = 0;
        if (strchr(line, '"'))
            die("%s: quoted fields are not supported", path);
        n = split(line, c, 64);
        if (n != nh)
            die("%s: a row has %d fields, the header %d", path, n, nh);
        rows++;
        for (t = 0; t < d->nt && strcmp(d->transport[t], c[ct]) != 0; t++)
            ;
        if (t == d->nt) {
            if (d->nt == MAXT)
                die("%s: more than %d transports", path, MAXT);
            snprintf(d->transport[t], sizeof d->transport[t], "%s", c[ct]);
            d->nt++;
        }
        size = num(c[csz]);
        if (!is_num(size))
            die("%s: bad size_bytes \"%s\"", path, c[csz]);
        for (s = 0; s < d->ns && d->size[s] != size; s++)
            ;
        if (s == d->ns) {
            if (d->ns == MAXS)
                die("%s: more than %d sizes", path, MAXS);
            /* keep the sizes in ascending order */
            while (s > 0 && d->size[s - 1] > size) {
                d->size[s] = d->size[s - 1];
                for (int m = 0; m < M_COUNT; m++)
                    for (int tt = 0; tt < MAXT; tt++)
                        d->v[m][tt][s] = d->v[m][tt][s - 1];
                s--;
            }
            d->size[s] = size;
            for (int m = 0; m < M_COUNT; m++)
                for (int tt = 0; tt < MAXT; tt++)
                    d->v[m][tt][s] = NAN;
            d->ns++;
        }
        if (strcmp(c[cst], "ok") == 0) {
            for (int m = 0; m < M_COUNT; m++) {
                double v = num(c[cm[m]]);
                d->v[m][t][s] = is_num(v) ? v * mscale[m] : v;
            }
        } else if (strncmp(c[cst], "skipped", 7) == 0) {
            char lab[32];
            const char *why = strchr(c[cst], ':');
            size_label(size, lab, sizeof lab);
            snprintf(d->skipped[t], sizeof d->skipped[t], "no %s point%s", lab,
                     why ? why : "");
        }
        if (rows == 1) {
            snprintf(d->cpu, sizeof d->cpu, "%s", c[ccpu]);
            snprintf(d->kernel, sizeof d->kernel, "%s", c[ckern]);
            snprintf(d->date, sizeof d->date, "%s", c[cdate]);
            snprintf(d->rounds, sizeof d->rounds, "%s", c[crounds]);
            snprintf(d->syscall_ns, sizeof d->syscall_ns, "%s", c[csys]);
            snprintf(d->others, sizeof d->others, "%s", c[coth]);
            d->cores = atol(c[ccores]);
        }
    }
    if (ferror(f))
        die("cannot read %s", path);
    fclose(f);
    if (rows == 0) {
        errno = 0;
        die("%s has no data rows", path);
    }
}

/* ---- SVG output ------------------------------------------------------ */

static FILE *out;

static void put(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
}

/* Text content, with the five XML specials escaped. */
static void put_text(const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': put("&amp;"); break;
        case '<': put("&lt;"); break;
        case '>': put("&gt;"); break;
        case '"': put("&quot;"); break;
        case '\'': put("&apos;"); break;
        default: fputc(*s, out);
        }
    }
}

static void text(double x, double y, const char *anchor, const char *style, const char *s)
{
    put("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>", x, y, anchor, style);
    put_text(s);
    put("</text>\n");
}

/* Okabe and Ito's palette: told apart with every common colour blindness. */
static const char *const colour[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                     "#E69F00", "#56B4E9", "#000000", "#F0E442"};

static void marker(int t, double x, double y)
{
    const char *c = colour[t % 8];
    switch (t % 5) {
    case 0:
        put("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\"/>\n", x, y, c);
        break;
    case 1:
        put("<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"%s\"/>\n", x - 4,
            y - 4, c);
        break;
    case 2:
        put("<path d=\"M%.1f %.1fl5 9h-10z\" fill=\"%s\"/>\n", x, y - 5.5, c);
        break;
    case 3:
        put("<path d=\"M%.1f %.1fl5.5 5.5l-5.5 5.5l-5.5 -5.5z\" fill=\"%s\"/>\n", x, y - 5.5,
            c);
        break;
    default:
        put("<path d=\"M%.1f %.1fl5 -9h-10z\" fill=\"white\" stroke=\"%s\" "
            "stroke-width=\"2\"/>\n", x, y + 5.5, c);
        break;
    }
}

/* A value with an SI prefix: 2e-6 "s" -> "2 µs", 3e8 "B/s" -> "300 MB/s". */
static void si(double v, const char *unit, int space, char *buf, size_t n)
{
    static const char *const pre[] = {"p", "n", "\xC2\xB5", "m", "", "k", "M", "G", "T"};
    int e = floor_int(log10_(v) / 3 + 1e-9);
    double m;
    if (e < -4)
        e = -4;
    if (e > 4)
        e = 4;
    m = v / pow10_(3 * e);
    snprintf(buf, n, "%.3g%s%s%s", m, space ? " " : "", pre[e + 4], unit);
}

struct panel {
    const char *title;
    const char *axis;    /* the y axis title */
    const char *unit;    /* SI unit for tick labels */
    int space;           /* a space between number and unit */
    enum metric m;
    int group;           /* panels of one group share a y scale */
};

static void y_range(const struct data *d, const struct panel *ps, int np, int group,
                    int *lo, int *hi)
{
    double mn = 0, mx = 0;
    int any = 0;
    for (int i = 0; i < np; i++) {
        if (ps[i].group != group)
            continue;
        for (int t = 0; t < d->nt; t++)
            for (int s = 0; s < d->ns; s++) {
                double v = d->v[ps[i].m][t][s];
                if (!is_num(v))
                    continue;
                if (!any || v < mn)
                    mn = v;
                if (!any || v > mx)
                    mx = v;
                any = 1;
            }
    }
    if (!any) {
        *lo = 0;
        *hi = 1;
        return;
    }
    *lo = floor_int(log10_(mn) + 1e-9);
    *hi = floor_int(log10_(mx) - 1e-9) + 1;
    if (*hi <= *lo)
        *hi = *lo + 1;
}

static void draw_panel(const struct data *d, const struct panel *p, int lo, int hi,
                       double x0, double y0, double w, double h)
{
    /* the plot area inside the panel's box */
    double px = x0 + 84, py = y0 + 30, pw = w - 84 - 18, ph = h - 30 - 56;
    double xl = log10_(d->size[0]) - 0.25, xr = log10_(d->size[d->ns - 1]) + 0.25;
    char buf[64];
#define X(b) (px + (log10_(b) - xl) / (xr - xl) * pw)
#define Y(v) (py + ph - (log10_(v) - lo) / (double)(hi - lo) * ph)

    text(x0 + w / 2, y0 + 18, "middle", "font-size=\"14\" font-weight=\"bold\"", p->title);
    put("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafa\" "
        "stroke=\"#999\"/>\n", px, py, pw, ph);
    /* horizontal grid: every power of ten, lighter lines at 2 and 5 */
    for (int e = lo; e <= hi; e++) {
        static const int mult[] = {1, 2, 5};
        for (int k = 0; k < 3 && (e < hi || k == 0); k++) {
            double v = pow10_(e) * mult[k], y = Y(v);
            int major = k == 0;
            put("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                px, y, px + pw, y, major ? "#bbb" : "#e4e4e4");
            if (major || hi - lo <= 2) {
                si(v, p->unit, p->space, buf, sizeof buf);
                text(px - 6, y + 4, "end", major ? "font-size=\"12\"" :
                     "font-size=\"11\" fill=\"#666\"", buf);
            }
        }
    }
    /* vertical grid: the measured sizes */
    for (int s = 0; s < d->ns; s++) {
        double x = X(d->size[s]);
        put("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>\n", x,
            py, x, py + ph);
        size_label(d->size[s], buf, sizeof buf);
        text(x, py + ph + 17, "middle", "font-size=\"12\"", buf);
    }
    text(px + pw / 2, py + ph + 38, "middle", "font-size=\"12\" fill=\"#333\"",
         "message size (log scale)");
    put("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333\" "
        "transform=\"rotate(-90 %.1f %.1f)\">", x0 + 16, py + ph / 2, x0 + 16, py + ph / 2);
    put_text(p->axis);
    put("</text>\n");

    /* one line per transport, broken where a size has no value */
    for (int t = 0; t < d->nt; t++) {
        int open = 0;
        for (int s = 0; s < d->ns; s++) {
            double v = d->v[p->m][t][s];
            if (!is_num(v)) {
                if (open)
                    put("\"/>\n");
                open = 0;
                continue;
            }
            if (!open)
                put("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    "stroke-linejoin=\"round\" points=\"", colour[t % 8]);
            put("%s%.1f,%.1f", open ? " " : "", X(d->size[s]), Y(v));
            open = 1;
        }
        if (open)
            put("\"/>\n");
        for (int s = 0; s < d->ns; s++) {
            double v = d->v[p->m][t][s];
            if (is_num(v))
                marker(t, X(d->size[s]), Y(v));
        }
    }
#undef X
#undef Y
}

/* What each transport is, for the legend. */
static const char *describe(const char *key)
{
    static const char *const known[][2] = {
        {"mq", "POSIX message queue, mq_send / mq_receive"},
        {"shm+sem", "shared memory ring, two semaphores in the mapping"},
        {"shm+mq", "shared memory ring, one small mq message per slot as notification"},
        {"pipe", "pipe, write / read"},
        {"unix-stream", "AF_UNIX SOCK_STREAM socketpair, write / read"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i][0], key) == 0)
            return known[i][1];
    return "";
}

static void write_svg(const struct data *d, const char *path)
{
    static const struct panel ps[] = {
        {"Throughput: messages per second", "messages per second (higher is better)", "/s",
         0, M_MPS, 0},
        {"Throughput: bytes per second", "bytes per second (higher is better)", "B/s", 1,
         M_BPS, 1},
        {"Round trip: median", "round-trip time (lower is better)", "s", 1, M_RTT_MED, 2},
        {"Round trip: 99th percentile", "round-trip time (lower is better)", "s", 1,
         M_RTT_P99, 2},
        {"Cost per message: one process alone", "time per send + receive", "s", 1, M_SOLO, 3},
        {"CPU per message: two processes", "CPU time of both processes", "s", 1, M_CPU, 3},
    };
    enum { NP = sizeof ps / sizeof ps[0] };
    const double W = 980, PW = 490, PH = 300;
    double legend_y = 100, grid_y, H;
    int legend_rows = d->nt;
    char tmp[4096], line[512];

    grid_y = legend_y + legend_rows * 22 + 14;
    H = grid_y + 3 * PH + 70;
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    out = fopen(tmp, "w");
    if (!out)
        die("cannot create %s", tmp);

    put("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
        "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n", W, H, W, H);
    snprintf(line, sizeof line, "POSIX IPC throughput and latency on %s, %ld cores, %s, %s",
             d->cpu, d->cores, d->kernel, d->date);
    put("<title>");
    put_text(line);
    put("</title>\n");
    put("<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    text(W / 2, 30, "middle", "font-size=\"20\" font-weight=\"bold\"",
         "Message queue, shared memory, pipe and Unix socket between two processes");
    snprintf(line, sizeof line, "measured on %s, %ld cores, %s, %s", d->cpu, d->cores,
             d->kernel, d->date);
    text(W / 2, 54, "middle", "font-size=\"15\"", line);
    snprintf(line, sizeof line,
             "medians of %s rounds; a system call (getppid) costs %s ns here; other programs "
             "kept the cores %s%% busy meanwhile", d->rounds,
             d->syscall_ns[0] ? d->syscall_ns : "?", d->others[0] ? d->others : "?");
    text(W / 2, 76, "middle", "font-size=\"13\" fill=\"#444\"", line);

    /* the legend */
    for (int t = 0; t < d->nt; t++) {
        double x = 150, y = legend_y + t * 22;
        const char *desc = describe(d->transport[t]);
        put("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
            "stroke-width=\"2\"/>\n", x, y, x + 30, y, colour[t % 8]);
        marker(t, x + 15, y);
        put("<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\"><tspan font-weight=\"bold\">", x + 40,
            y + 4.5);
        put_text(d->transport[t]);
        put("</tspan>");
        if (*desc || d->skipped[t][0]) {
            put(" ");
            put_text(desc);
            if (d->skipped[t][0]) {
                put(" (");
                put_text(d->skipped[t]);
                put(")");
            }
        }
        put("</text>\n");
    }

    for (int i = 0; i < NP; i++) {
        int lo, hi;
        y_range(d, ps, NP, ps[i].group, &lo, &hi);
        draw_panel(d, &ps[i], lo, hi, (i % 2) * PW, grid_y + (i / 2) * PH, PW, PH);
    }
    text(W / 2, H - 40, "middle", "font-size=\"12\" fill=\"#444\"",
         "All axes are logarithmic. Throughput: one way; mq and the rings hold at most 10 "
         "messages. Round trip: one message there and back.");
    text(W / 2, H - 22, "middle", "font-size=\"12\" fill=\"#444\"",
         "One process alone: send and receive with nobody to wake. CPU per message: user + "
         "system time of both processes. Made by make bench-ipc.");
    put("</svg>\n");
    if (ferror(out) | (fclose(out) == EOF)) {
        unlink(tmp);
        die("cannot write %s", tmp);
    }
    if (rename(tmp, path) == -1) {
        int e = errno;
        unlink(tmp);
        errno = e;
        die("cannot rename %s to %s", tmp, path);
    }
}

int main(int argc, char **argv)
{
    static struct data d;
    if (argc != 3) {
        fprintf(stderr, "usage: plot results.csv results.svg\n");
        return 2;
    }
    read_csv(argv[1], &d);
    write_svg(&d, argv[2]);
    return 0;
}
