/* jsoncheck.c - is FILE one valid JSON value (RFC 8259, UTF-8)?
 *
 *   jsoncheck FILE [KEY...]
 *
 * With KEYs, also requires each to appear as an object key somewhere.
 * Used by `make test` on every results.json the grader writes, since the
 * student's output ends up inside it. Exit 0 valid, 1 invalid, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char *p, *end;
static const char *why = "";

static void ws(void)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
}

static int fail(const char *reason)
{
    why = reason;
    return 0;
}

static int utf8(void)
{
    unsigned char c = *p;
    int extra = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 && c <= 0xef ? 2
              : c >= 0xc2 && c <= 0xdf ? 1 : -1;
    if (extra < 0 || end - p <= extra)
        return fail("invalid UTF-8");
    for (int k = 1; k <= extra; k++)
        if ((p[k] & 0xc0) != 0x80)
            return fail("invalid UTF-8");
    p += extra + 1;
    return 1;
}

static int string(void)
{
    if (*p++ != '"')
        return fail("expected a string");
    while (p < end && *p != '"') {
        if (*p < 0x20)
            return fail("control byte inside a string");
        if (*p == '\\') {
            p++;
            if (p >= end || !strchr("\"\\/bfnrtu", *p))
                return fail("bad escape");
            if (*p == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (p + k >= end || !strchr("0123456789abcdefABCDEF", p[k]))
                        return fail("bad \\u escape");
                p += 4;
            }
            p++;
        } else if (*p >= 0x80) {
            if (!utf8())
                return 0;
        } else {
            p++;
        }
    }
    if (p >= end)
        return fail("unterminated string");
    p++;
    return 1;
}

static int value(int depth);

static int number(void)
{
    const unsigned char *start = p;
    if (*p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (p < end && *p >= '1' && *p <= '9')
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    else
        return fail("bad number");
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9')
            return fail("bad number");
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || *p < '0' || *p > '9')
            return fail("bad number");
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    return p > start;
}

static int sequence(int depth, char close, int object)
{
    p++;
    ws();
    if (p < end && *p == close) {
        p++;
        return 1;
    }
    for (;;) {
        ws();
        if (object) {
            if (p >= end || *p != '"' || !string())
                return fail("expected a key");
            ws();
            if (p >= end || *p++ != ':')
                return fail("expected ':'");
        }
        if (!value(depth + 1))
            return 0;
        ws();
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == close) {
            p++;
            return 1;
        }
        return fail("expected ',' or a closing bracket");
    }
}

static int literal(const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - p) < n || memcmp(p, word, n))
        return fail("bad literal");
    p += n;
    return 1;
}

static int value(int depth)
{
    ws();
    if (p >= end)
        return fail("unexpected end");
    if (depth > 64)
        return fail("nested too deep");
    switch (*p) {
    case '{': return sequence(depth, '}', 1);
    case '[': return sequence(depth, ']', 0);
    case '"': return string();
    case 't': return literal("true");
    case 'f': return literal("false");
    case 'n': return literal("null");
    default:  return number();
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: jsoncheck FILE [KEY...]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    static unsigned char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    p = buf;
    end = buf + n;
    int ok = value(0);
    ws();
    if (ok && p != end)
        ok = fail("text after the value");
    if (!ok) {
        fprintf(stderr, "%s: invalid JSON at byte %ld: %s\n", argv[1],
                (long)(p - buf), why);
        return 1;
    }
    for (int i = 2; i < argc; i++) {
        char key[256];
        snprintf(key, sizeof key, "\"%s\":", argv[i]);
        buf[n < sizeof buf ? n : sizeof buf - 1] = '\0';
        if (!strstr((char *)buf, key)) {
            fprintf(stderr, "%s: no key %s\n", argv[1], argv[i]);
            return 1;
        }
    }
    return 0;
}
