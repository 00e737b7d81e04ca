/* mutate.c - the mutants of one C source file, for `make mutants`
 * (grader/selfcheck/mutants.sh): small realistic mistakes the tests should catch.
 *
 *   mutate FILE          lists them, one a line: ID TAB description
 *   mutate FILE WHICH    writes mutant WHICH (its place in the list,
 *                        from 1, or its ID) on standard output
 *
 * A mutant changes one site inside a function body: it deletes a call
 * that releases or reports something (or, where its result is tested,
 * makes it succeed), drops or swaps a flag, flips a relational operator,
 * drops a `+ 1` / `- 1`, turns a failure return into success, or drops
 * an errno save, restore or set. Comments, string and character literals
 * and preprocessor lines are never changed: the lexer below skips them.
 *
 * The ID is FILE:FUNCTION:OPERATOR:N, N counting that operator's sites
 * within that function from 1: an edit elsewhere in the file (another
 * function, or lines added above) leaves it the same, which a line
 * number would not. The description carries the line for the reader.
 *
 * Exit status: 0 done, 1 no such mutant, 2 bad usage or unreadable file. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { IDENT, NUMBER, LITERAL, PUNCT };

struct token {
    enum kind kind;
    size_t start, len;
    int line;
    int func;           /* index in funcs[], or -1 outside any body */
};

struct mutant {
    size_t start, end;  /* the bytes [start, end) become repl */
    char repl[64];
    char op[64];
    int func, line, n;
    char what[96];
};

static const char *path, *file;   /* the file, and its name for IDs */
static char *src;
static size_t srclen;
static struct token *toks;
static size_t ntoks;
static char *funcs[256];
static int nfuncs;
static struct mutant *muts;
static size_t nmuts;

/* Room for one more after COUNT items: the array doubles whenever COUNT
 * reaches a power of two from 16 on, so no capacity needs keeping. */
static void *grow(void *p, size_t count, size_t size)
{
    if (count != 0 && (count < 16 || (count & (count - 1)) != 0))
        return p;
    void *q = realloc(p, (count ? count * 2 : 16) * size);
    if (q == NULL) {
        perror("mutate");
        exit(2);
    }
    return q;
}

static void read_source(void)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "mutate: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    size_t cap = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        if (srclen + 1 >= cap) {
            cap = cap ? cap * 2 : 4096;
            if ((src = realloc(src, cap)) == NULL) {
                perror("mutate");
                exit(2);
            }
        }
        src[srclen++] = (char)c;
    }
    if (ferror(f) || fclose(f) == EOF) {
        fprintf(stderr, "mutate: cannot read %s\n", path);
        exit(2);
    }
    if (src == NULL && (src = malloc(1)) == NULL)
        exit(2);
    src[srclen] = '\0';
}

static void push(enum kind kind, size_t start, size_t end, int line)
{
    toks = grow(toks, ntoks, sizeof *toks);
    toks[ntoks++] = (struct token){ kind, start, end - start, line, -1 };
}

/* Skips a comment starting at I, counting its newlines into LINE. */
static size_t skip_comment(size_t i, int *line)
{
    if (src[i + 1] == '/') {
        while (i < srclen && src[i] != '\n')
            i++;
        return i;
    }
    for (i += 2; i < srclen && !(src[i] == '*' && src[i + 1] == '/'); i++)
        if (src[i] == '\n')
            ++*line;
    return i < srclen ? i + 2 : i;
}

static int is_comment(size_t i)
{
    return src[i] == '/' && (src[i + 1] == '/' || src[i + 1] == '*');
}

static void lex(void)
{
    static const char *const puncts[] = {
        "<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=",
        "==", "!=", "&&", "||", "*=", "/=", "%=", "+=", "-=", "&=", "^=",
        "|=", "##", NULL
    };
    size_t i = 0;
    int line = 1, line_start = 1;
    while (i < srclen) {
        char c = src[i];
        if (c == '\n') {
            line++;
            line_start = 1;
            i++;
        } else if (isspace((unsigned char)c)) {
            i++;
        } else if (is_comment(i)) {
            i = skip_comment(i, &line);
        } else if (c == '#' && line_start) {
            /* A directive, continued lines and its comments included. */
            while (i < srclen && src[i] != '\n') {
                if (src[i] == '\\' && src[i + 1] == '\n') {
                    line++;
                    i += 2;
                } else if (is_comment(i)) {
                    i = skip_comment(i, &line);
                } else {
                    i++;
                }
            }
        } else {
            size_t j = i + 1;
            enum kind kind = PUNCT;
            line_start = 0;
            if (c == '"' || c == '\'') {
                while (j < srclen && src[j] != c && src[j] != '\n')
                    j += src[j] == '\\' ? 2 : 1;
                j = j < srclen ? j + 1 : srclen;
                kind = LITERAL;
            } else if (isalpha((unsigned char)c) || c == '_') {
                while (isalnum((unsigned char)src[j]) || src[j] == '_')
                    j++;
                kind = IDENT;
            } else if (isdigit((unsigned char)c)) {
                while (isalnum((unsigned char)src[j]) || src[j] == '.' ||
                       ((src[j] == '+' || src[j] == '-') &&
                        strchr("eEpP", src[j - 1]) != NULL))
                    j++;
                kind = NUMBER;
            } else {
                for (int p = 0; puncts[p] != NULL; p++) {
                    size_t n = strlen(puncts[p]);
                    if (strncmp(src + i, puncts[p], n) == 0) {
                        j = i + n;
                        break;
                    }
                }
            }
            push(kind, i, j, line);
            i = j;
        }
    }
}

/* Token I's text is TEXT (false past either end). */
static int is(size_t i, const char *text)
{
    return i < ntoks && toks[i].len == strlen(text) &&
           strncmp(src + toks[i].start, text, toks[i].len) == 0;
}

static int is_any(size_t i, const char *const *texts)
{
    for (; *texts != NULL; texts++)
        if (is(i, *texts))
            return 1;
    return 0;
}

static size_t end_of(size_t i)
{
    return toks[i].start + toks[i].len;
}

/* The bracket matching the one at I, searching in direction DIR; ntoks
 * when there is none. */
static size_t match(size_t i, int dir)
{
    const char *open = dir > 0 ? "(" : ")", *close = dir > 0 ? ")" : "(";
    int depth = 0;
    for (size_t j = i; j < ntoks; j += (size_t)dir) {
        if (is(j, open))
            depth++;
        else if (is(j, close) && --depth == 0)
            return j;
        if (j == 0)
            break;
    }
    return ntoks;
}

/* Each token's function: a `{` at file scope right after a `)` opens the
 * body of the function named before the matching `(`. */
static void find_functions(void)
{
    int depth = 0, cur = -1;
    for (size_t i = 0; i < ntoks; i++) {
        if (is(i, "{") && depth++ == 0 && i > 0 && is(i - 1, ")")) {
            size_t open = match(i - 1, -1);
            if (open > 0 && open < ntoks && toks[open - 1].kind == IDENT &&
                nfuncs < (int)(sizeof funcs / sizeof funcs[0])) {
                funcs[nfuncs] = strndup(src + toks[open - 1].start,
                                        toks[open - 1].len);
                if (funcs[nfuncs] == NULL)
                    exit(2);
                cur = nfuncs++;
            }
        }
        toks[i].func = depth > 0 ? cur : -1;
        if (is(i, "}") && depth > 0 && --depth == 0)
            cur = -1;
    }
}

/* Records a mutant at token AT replacing bytes [START, END) by REPL. */
static void add(size_t at, size_t start, size_t end, const char *repl,
                const char *op, const char *fmt, ...)
{
    muts = grow(muts, nmuts, sizeof *muts);
    struct mutant *m = &muts[nmuts];
    *m = (struct mutant){ .start = start, .end = end, .func = toks[at].func,
                          .line = toks[at].line, .n = 1 };
    snprintf(m->repl, sizeof m->repl, "%s", repl);
    snprintf(m->op, sizeof m->op, "%s", op);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->what, sizeof m->what, fmt, ap);
    va_end(ap);
    for (size_t k = 0; k < nmuts; k++)
        if (muts[k].func == m->func && strcmp(muts[k].op, m->op) == 0)
            m->n++;
    nmuts++;
}

/* Does a statement start at token I (so a whole statement can go)? */
static int statement_start(size_t i)
{
    static const char *const before[] = { ";", "{", "}", "else", ":", NULL };
    if (i == 0 || is_any(i - 1, before))
        return 1;
    if (!is(i - 1, ")"))
        return 0;
    size_t open = match(i - 1, -1);
    static const char *const ctl[] = { "if", "while", "for", NULL };
    return open > 0 && open < ntoks && is_any(open - 1, ctl);
}

/* ---- the operators ------------------------------------------------- */

/* Calls that release or report: forgetting one is the classic leak. */
static int deletable(size_t i)
{
    static const char *const calls[] = {
        "free", "close", "mq_close", "mq_unlink", "munmap", "shm_unlink",
        "pthread_mutex_unlock", "pthread_mutex_destroy", "fflush",
        "fprintf", "perror", "fputs", NULL
    };
    return toks[i].kind == IDENT &&
           (is_any(i, calls) ||
            strncmp(src + toks[i].start, "pthread_mutexattr_", 18) == 0);
}

static void delete_call(size_t i)
{
    size_t close = match(i + 1, 1);
    if (close == ntoks)
        return;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)toks[i].len, src + toks[i].start);
    /* Only what goes to stderr is a report; other output is behaviour. */
    if (strcmp(name, "fprintf") == 0 && !is(i + 2, "stderr"))
        return;
    if (strcmp(name, "fputs") == 0 && !is(close - 1, "stderr"))
        return;
    char op[80];
    size_t first = i;
    if (i >= 3 && is(i - 1, ")") && is(i - 2, "void") && is(i - 3, "("))
        first = i - 3;
    if (statement_start(first) && is(close + 1, ";")) {
        snprintf(op, sizeof op, "del-%s", name);
        add(i, toks[first].start, end_of(close + 1), "(void)0;", op,
            "delete the call of %s", name);
        return;
    }
    /* Its result is tested: the call "succeeds" without being made. All
     * of these return 0 on success; the reporting ones are not tested. */
    static const char *const reports[] = { "free", "fprintf", "perror", "fputs", NULL };
    if (first == i && !is_any(i, reports) && !is(i - 1, ".") && !is(i - 1, "->")) {
        snprintf(op, sizeof op, "ok-%s", name);
        add(i, toks[i].start, end_of(close), "0", op,
            "skip %s, as if it succeeded (call -> 0)", name);
    }
}

/* An open or mq flag dropped from an OR-expression (or a lone one -> 0). */
static void drop_flag(size_t i)
{
    static const char *const flags[] = { "O_EXCL", "O_CREAT", "O_NONBLOCK", "O_TRUNC", NULL };
    static const char *const lone_before[] = { "=", "|=", "(", ",", NULL };
    static const char *const lone_after[] = { ";", ")", ",", NULL };
    if (!is_any(i, flags))
        return;
    char op[32], name[16];
    snprintf(name, sizeof name, "%.*s", (int)toks[i].len, src + toks[i].start);
    snprintf(op, sizeof op, "drop-%s", name);
    if (is(i + 1, "|") && i + 2 < ntoks)
        add(i, toks[i].start, toks[i + 2].start, "", op, "drop %s", name);
    else if (i >= 2 && is(i - 1, "|"))
        add(i, end_of(i - 2), end_of(i), "", op, "drop %s", name);
    else if (i >= 1 && is_any(i - 1, lone_before) && is_any(i + 1, lone_after))
        add(i, toks[i].start, end_of(i), "0", op, "drop %s (-> 0)", name);
}

/* One constant for another: a wrong mode, sharing, clock or notification. */
static void swap_constant(size_t i)
{
    static const char *const swaps[][2] = {
        { "O_RDWR", "O_RDONLY" }, { "O_RDWR", "O_WRONLY" },
        { "MAP_SHARED", "MAP_PRIVATE" },
        { "PTHREAD_PROCESS_SHARED", "PTHREAD_PROCESS_PRIVATE" },
        { "PTHREAD_MUTEX_ROBUST", "PTHREAD_MUTEX_STALLED" },
        { "CLOCK_REALTIME", "CLOCK_MONOTONIC" },
        { "CLOCK_MONOTONIC", "CLOCK_REALTIME" },
        { "SIGEV_SIGNAL", "SIGEV_NONE" }, { "SIGEV_THREAD", "SIGEV_NONE" },
        { "EXIT_FAILURE", "EXIT_SUCCESS" },
    };
    for (size_t s = 0; s < sizeof swaps / sizeof swaps[0]; s++) {
        if (!is(i, swaps[s][0]))
            continue;
        char op[80];
        snprintf(op, sizeof op, "%s-to-%s", swaps[s][0], swaps[s][1]);
        add(i, toks[i].start, end_of(i), swaps[s][1], op, "%s -> %s",
            swaps[s][0], swaps[s][1]);
    }
    /* PROT_READ | PROT_WRITE, in either order: each half dropped. */
    if ((is(i, "PROT_READ") && is(i + 2, "PROT_WRITE")) ||
        (is(i, "PROT_WRITE") && is(i + 2, "PROT_READ"))) {
        if (!is(i + 1, "|"))
            return;
        int read_first = is(i, "PROT_READ");
        add(i, toks[i].start, toks[i + 2].start, "",
            read_first ? "drop-PROT_READ" : "drop-PROT_WRITE", "drop %s",
            read_first ? "PROT_READ" : "PROT_WRITE");
        add(i, end_of(i), end_of(i + 2), "",
            read_first ? "drop-PROT_WRITE" : "drop-PROT_READ", "drop %s",
            read_first ? "PROT_WRITE" : "PROT_READ");
    }
}

static void flip_relation(size_t i)
{
    static const char *const flips[][3] = {
        { "<", "<=", "lt-to-le" }, { "<=", "<", "le-to-lt" },
        { ">", ">=", "gt-to-ge" }, { ">=", ">", "ge-to-gt" },
        { "==", "!=", "eq-to-ne" }, { "!=", "==", "ne-to-eq" },
    };
    if (toks[i].kind != PUNCT)
        return;
    for (size_t f = 0; f < sizeof flips / sizeof flips[0]; f++)
        if (is(i, flips[f][0]))
            add(i, toks[i].start, end_of(i), flips[f][1], flips[f][2],
                "%s -> %s", flips[f][0], flips[f][1]);
}

/* A binary `+ 1` or `- 1` dropped: the off-by-one. */
static void drop_one(size_t i)
{
    static const char *const keywords[] = { "return", "case", "sizeof", "else", NULL };
    static const char *const tighter[] = { "*", "/", "%", "[", "(", ".", "->", "++", "--", NULL };
    if (i == 0 || !(is(i, "+") || is(i, "-")) || !is(i + 1, "1") || is_any(i + 2, tighter))
        return;
    size_t p = i - 1;
    int operand = (toks[p].kind == IDENT && !is_any(p, keywords)) ||
                  toks[p].kind == NUMBER || is(p, ")") || is(p, "]");
    if (!operand)
        return;
    /* (mqd_t)-1 is a cast of -1, not a subtraction. */
    if (is(p, ")")) {
        size_t open = match(p, -1);
        int cast = open < p && (open == 0 || toks[open - 1].kind != IDENT);
        for (size_t k = open + 1; cast && k < p; k++)
            cast = toks[k].kind == IDENT || is(k, "*");
        if (cast && open < p)
            return;
    }
    int plus = is(i, "+");
    add(i, end_of(p), end_of(i + 1), "", plus ? "drop-plus-1" : "drop-minus-1",
        "drop `%s 1`", plus ? "+" : "-");
}

/* A failure reported as success. */
static void fail_to_ok(size_t i)
{
    if (is(i, "return") && is(i + 1, "-") && is(i + 2, "1") && is(i + 3, ";"))
        add(i, toks[i + 1].start, end_of(i + 2), "0", "return-0",
            "return 0 instead of -1");
    int in_main = toks[i].func >= 0 && strcmp(funcs[toks[i].func], "main") == 0;
    if (in_main && is(i, "return") && is(i + 1, "1") && is(i + 2, ";"))
        add(i, toks[i + 1].start, end_of(i + 1), "0", "exit-0",
            "main returns 0 instead of 1");
    if (is(i, "exit") && is(i + 1, "(") && is(i + 2, "1") && is(i + 3, ")"))
        add(i, toks[i + 2].start, end_of(i + 2), "0", "exit-0",
            "exit(0) instead of exit(1)");
}

/* errno kept across a cleanup (save, restore) or set on a failure. */
static void errno_ops(size_t i)
{
    if (is(i, "errno") && is(i + 1, "=") && is(i + 3, ";") && statement_start(i)) {
        size_t v = i + 2;
        const char *s = src + toks[v].start;
        int constant = toks[v].kind == NUMBER ||
                       (toks[v].kind == IDENT && s[0] == 'E' && isupper((unsigned char)s[1]));
        if (constant) {
            add(i, toks[i].start, end_of(i + 3), "(void)0;", "drop-errno-set",
                "drop the errno set");
        } else if (toks[v].kind == IDENT) {
            /* (void)saved: the variable is still used, so it compiles. */
            char repl[64];
            snprintf(repl, sizeof repl, "(void)%.*s;", (int)toks[v].len, s);
            add(i, toks[i].start, end_of(i + 3), repl, "drop-errno-restore",
                "drop the errno restore");
        }
        return;
    }
    if (!is(i, "errno") || i < 2 || !is(i - 1, "=") || !is(i + 1, ";") ||
        toks[i - 2].kind != IDENT)
        return;
    if (statement_start(i - 2))   /* saved = errno; */
        add(i, toks[i - 2].start, end_of(i + 1), "(void)0;", "drop-errno-save",
            "drop the errno save");
    else if (i >= 3 && toks[i - 3].kind == IDENT)   /* int saved = errno; */
        add(i, toks[i].start, end_of(i), "0", "drop-errno-save",
            "save 0, not errno");
}

static void find_mutants(void)
{
    for (size_t i = 0; i < ntoks; i++) {
        if (toks[i].func < 0)
            continue;   /* declarations and initialisers: not behaviour */
        if (deletable(i) && is(i + 1, "("))
            delete_call(i);
        drop_flag(i);
        swap_constant(i);
        flip_relation(i);
        drop_one(i);
        fail_to_ok(i);
        errno_ops(i);
    }
}

/* ---- output -------------------------------------------------------- */

static void format_id(char *buf, size_t size, const struct mutant *m)
{
    snprintf(buf, size, "%s:%s:%s:%d", file, m->func >= 0 ? funcs[m->func] : "-",
            m->op, m->n);
}

/* The mutant's line, blanks squeezed, cut short: what the reader sees. */
static void print_line(const struct mutant *m)
{
    size_t a = m->start, b = m->start;
    while (a > 0 && src[a - 1] != '\n')
        a--;
    while (b < srclen && src[b] != '\n')
        b++;
    int shown = 0, blank = 1;
    for (size_t k = a; k < b && shown < 72; k++) {
        int sp = isspace((unsigned char)src[k]);
        if (!(sp && blank)) {
            putchar(sp ? ' ' : src[k]);
            shown++;
        }
        blank = sp;
    }
    if (shown == 72)
        fputs("...", stdout);
}

static void list(void)
{
    for (size_t k = 0; k < nmuts; k++) {
        char id[512];
        format_id(id, sizeof id, &muts[k]);
        printf("%s\tline %d: %s in `", id, muts[k].line, muts[k].what);
        print_line(&muts[k]);
        puts("`");
    }
}

static int write_mutant(const char *which)
{
    char *end;
    errno = 0;
    unsigned long k = strtoul(which, &end, 10);
    if (errno != 0 || *end != '\0' || end == which) {
        /* An ID: find its place. */
        k = 0;
        for (size_t j = 0; j < nmuts && k == 0; j++) {
            char id[512];
            format_id(id, sizeof id, &muts[j]);
            if (strcmp(id, which) == 0)
                k = j + 1;
        }
    }
    if (k < 1 || k > nmuts) {
        fprintf(stderr, "mutate: %s has no mutant %s (%zu in all)\n", path,
                which, nmuts);
        return 1;
    }
    const struct mutant *m = &muts[k - 1];
    fwrite(src, 1, m->start, stdout);
    fputs(m->repl, stdout);
    fwrite(src + m->end, 1, srclen - m->end, stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: mutate FILE [NUMBER | ID]\n");
        return 2;
    }
    path = argv[1];
    file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    read_source();
    lex();
    find_functions();
    find_mutants();
    int rc = argc == 3 ? write_mutant(argv[2]) : (list(), 0);
    if (fflush(stdout) == EOF || ferror(stdout)) {
        perror("mutate: stdout");
        return 2;
    }
    return rc;
}
