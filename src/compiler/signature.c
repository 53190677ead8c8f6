/* Numba's signature syntax: "float64(int64, float32[::1])" parsed into types, and printed back. */
#include "compiler/types.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct parser {
    const char *text;
    const char *p;
    char *err;
    size_t errlen;
    int failed; /* the first error wins: later ones would only echo it */
} parser;

static void fail(parser *ps, const char *at, const char *fmt, ...)
{
    if (ps->failed)
        return;
    ps->failed = 1;
    if (!ps->err || !ps->errlen)
        return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(ps->err, ps->errlen, "%s at column %d", msg, (int)(at - ps->text));
}

static void skip_space(parser *ps)
{
    while (isspace((unsigned char)*ps->p))
        ps->p++;
}

/* Consumes c (after any blanks) when it comes next. */
static int accept(parser *ps, char c)
{
    skip_space(ps);
    if (*ps->p != c)
        return 0;
    ps->p++;
    return 1;
}

/* What the parser found, for "expected X, found Y" messages. */
static const char *found(const parser *ps, char *buf, size_t size)
{
    if (!*ps->p)
        return "the end";
    snprintf(buf, size, "'%c'", *ps->p);
    return buf;
}

static int expect(parser *ps, char c)
{
    if (accept(ps, c))
        return 1;
    char buf[8];
    fail(ps, ps->p, "expected '%c', found %s", c, found(ps, buf, sizeof buf));
    return 0;
}

/* ident = [A-Za-z_][A-Za-z0-9_]* ; copied into buf, empty when none. */
static const char *ident(parser *ps, char *buf, size_t size)
{
    skip_space(ps);
    size_t n = 0;
    if (isalpha((unsigned char)*ps->p) || *ps->p == '_')
        while (isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_')
            n++;
    if (n >= size)
        n = size - 1;
    memcpy(buf, ps->p, n);
    buf[n] = 0;
    ps->p += n;
    return buf;
}

/* number = [0-9]+ ; -1 (and an error) when none. */
static int number(parser *ps)
{
    skip_space(ps);
    if (!isdigit((unsigned char)*ps->p)) {
        fail(ps, ps->p, "expected a number");
        return -1;
    }
    int n = 0;
    while (isdigit((unsigned char)*ps->p) && n < 1000000)
        n = n * 10 + (*ps->p++ - '0');
    return n;
}

typedef struct alias {
    const char *name;
    kn_kind kind;
    int bits;
} alias;

/* numba.types' names for scalars, with NumPy's short codes. */
static const alias aliases[] = {
    {"void", KN_VOID, 0},     {"none", KN_VOID, 0},      {"bool", KN_BOOL, 8},
    {"bool_", KN_BOOL, 8},    {"boolean", KN_BOOL, 8},   {"b1", KN_BOOL, 8},
    {"int8", KN_INT, 8},      {"i1", KN_INT, 8},         {"char", KN_INT, 8},
    {"int16", KN_INT, 16},    {"i2", KN_INT, 16},        {"int32", KN_INT, 32},
    {"i4", KN_INT, 32},       {"intc", KN_INT, 32},      {"int64", KN_INT, 64},
    {"i8", KN_INT, 64},       {"intp", KN_INT, 64},      {"int_", KN_INT, 64},
    {"ssize_t", KN_INT, 64},  {"uint8", KN_UINT, 8},     {"u1", KN_UINT, 8},
    {"byte", KN_UINT, 8},     {"uint16", KN_UINT, 16},   {"u2", KN_UINT, 16},
    {"uint32", KN_UINT, 32},  {"u4", KN_UINT, 32},       {"uintc", KN_UINT, 32},
    {"uint64", KN_UINT, 64},  {"u8", KN_UINT, 64},       {"uintp", KN_UINT, 64},
    {"size_t", KN_UINT, 64},  {"float32", KN_FLOAT, 32}, {"f4", KN_FLOAT, 32},
    {"float_", KN_FLOAT, 32}, {"single", KN_FLOAT, 32},  {"float64", KN_FLOAT, 64},
    {"f8", KN_FLOAT, 64},     {"double", KN_FLOAT, 64},  {"complex128", KN_COMPLEX, 128},
    {"c16", KN_COMPLEX, 128},
};

/* Python's own names are not numba.types names; say which one was meant. */
static const char *hint_for(const char *name)
{
    static const char *const hints[][2] = {
        {"int", "int64"},
        {"float", "float64"},
        {"complex", "complex128"},
        {"complex64", "complex128 (Kiln has no complex64)"},
        {"c8", "complex128 (Kiln has no complex64)"},
        {"float16", "float32 (Kiln has no float16)"},
    };
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (!strcmp(name, hints[i][0]))
            return hints[i][1];
    return NULL;
}

static const kn_type *scalar_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        const alias *a = &aliases[i];
        if (strcmp(name, a->name))
            continue;
        switch (a->kind) {
        case KN_VOID:
            return kn_type_void();
        case KN_BOOL:
            return kn_type_bool();
        case KN_INT:
            return kn_type_int(a->bits);
        case KN_UINT:
            return kn_type_uint(a->bits);
        case KN_FLOAT:
            return kn_type_float(a->bits);
        default:
            return kn_type_complex128();
        }
    }
    return NULL;
}

static const kn_type *parse_type(parser *ps);

// element = type, and not void: tuples and arrays hold values.
static const kn_type *parse_element(parser *ps)
{
    skip_space(ps);
    const char *at = ps->p;
    const kn_type *t = parse_type(ps);
    if (t && t->kind == KN_VOID) {
        fail(ps, at, "%s cannot be an element type", t->name);
        return NULL;
    }
    return t;
}

// UniTuple(type, n) | UniTuple(type x n)   (the second is how the name prints)
static const kn_type *parse_unituple(parser *ps)
{
    const kn_type *elem = parse_element(ps);
    if (!elem)
        return NULL;
    char word[8];
    if (!accept(ps, ',') && strcmp(ident(ps, word, sizeof word), "x")) {
        char buf[8];
        fail(ps, ps->p, "expected ',' or 'x' in UniTuple, found %s", found(ps, buf, sizeof buf));
        return NULL;
    }
    const char *at = ps->p;
    int n = number(ps);
    if (n < 0 || !expect(ps, ')'))
        return NULL;
    if (n > 1024) {
        fail(ps, at, "UniTuple of %d elements is too long", n);
        return NULL;
    }
    const kn_type *fields[n > 0 ? n : 1];
    for (int i = 0; i < n; i++)
        fields[i] = elem;
    return kn_type_tuple(fields, n);
}

// Tuple(type, type, ...) | Tuple()
static const kn_type *parse_tuple(parser *ps)
{
    const kn_type *fields[64];
    int n = 0;
    if (accept(ps, ')'))
        return kn_type_tuple(fields, 0);
    do {
        if (n == 64) {
            fail(ps, ps->p, "Tuple has more than 64 elements");
            return NULL;
        }
        if (!(fields[n++] = parse_element(ps)))
            return NULL;
    } while (accept(ps, ','));
    return expect(ps, ')') ? kn_type_tuple(fields, n) : NULL;
}

// array(dtype, Nd, C|F|A)   (the form the name prints in)
static const kn_type *parse_array_name(parser *ps)
{
    skip_space(ps);
    const char *at = ps->p;
    const kn_type *dtype = parse_element(ps);
    if (!dtype || !expect(ps, ','))
        return NULL;
    if (dtype->kind == KN_TUPLE || dtype->kind == KN_ARRAY) {
        fail(ps, at, "arrays of %s are not supported", dtype->name);
        return NULL;
    }
    int ndim = number(ps);
    char word[8];
    if (ndim < 0 || strcmp(ident(ps, word, sizeof word), "d") || !expect(ps, ',')) {
        fail(ps, ps->p, "expected the dimensions as in 'array(int64, 2d, C)'");
        return NULL;
    }
    const char *lat = ps->p;
    ident(ps, word, sizeof word);
    if (strcmp(word, "C") && strcmp(word, "F") && strcmp(word, "A")) {
        fail(ps, lat, "expected the layout C, F or A");
        return NULL;
    }
    return expect(ps, ')') ? kn_type_array(dtype, ndim, word[0]) : NULL;
}

/*
 * dims = dim {"," dim} "]"   with dim = ":" | "::1"
 * "::1" marks the contiguous dimension: the last one for C order, the first
 * one (of several) for Fortran order; without one the layout is A.
 */
static const kn_type *parse_dims(parser *ps, const kn_type *dtype, const char *at)
{
    int ndim = 0, unit_at = -1;
    const char *unit_pos = NULL;
    do {
        skip_space(ps);
        const char *dim = ps->p;
        if (!expect(ps, ':'))
            return NULL;
        if (accept(ps, ':')) {
            if (!expect(ps, '1'))
                return NULL;
            if (unit_pos) {
                fail(ps, dim, "only one dimension can be '::1'");
                return NULL;
            }
            unit_at = ndim;
            unit_pos = dim;
        }
        ndim++;
    } while (accept(ps, ','));
    if (!expect(ps, ']'))
        return NULL;
    if (dtype->kind == KN_TUPLE || dtype->kind == KN_ARRAY || dtype->kind == KN_VOID) {
        fail(ps, at, "arrays of %s are not supported", dtype->name);
        return NULL;
    }
    char layout = 'A';
    if (unit_at == ndim - 1)
        layout = 'C';
    else if (unit_at == 0)
        layout = 'F';
    else if (unit_pos) {
        fail(ps, unit_pos, "'::1' must mark the first (F) or the last (C) dimension");
        return NULL;
    }
    return kn_type_array(dtype, ndim, layout);
}

// type = name ["[" dims] | "UniTuple(" ... ")" | "Tuple(" ... ")" | "array(" ... ")"
static const kn_type *parse_type(parser *ps)
{
    skip_space(ps);
    const char *at = ps->p;
    char name[64];
    if (!*ident(ps, name, sizeof name)) {
        char buf[8];
        fail(ps, at, "expected a type, found %s", found(ps, buf, sizeof buf));
        return NULL;
    }
    const kn_type *t;
    if (!strcmp(name, "UniTuple") && accept(ps, '('))
        t = parse_unituple(ps);
    else if (!strcmp(name, "Tuple") && accept(ps, '('))
        t = parse_tuple(ps);
    else if (!strcmp(name, "array") && accept(ps, '('))
        t = parse_array_name(ps);
    else if (!(t = scalar_by_name(name))) {
        const char *hint = hint_for(name);
        if (hint)
            fail(ps, at, "unknown type '%s' (did you mean %s?)", name, hint);
        else
            fail(ps, at, "unknown type '%s'", name);
        return NULL;
    }
    if (!t || !accept(ps, '['))
        return t;
    return parse_dims(ps, t, at);
}

static int at_end(parser *ps)
{
    skip_space(ps);
    if (!*ps->p)
        return 1;
    fail(ps, ps->p, "unexpected '%c' after the type", *ps->p);
    return 0;
}

/* After an argument: a comma and another one, or a trailing comma before ")", as in (int64,). */
static int another_argument(parser *ps)
{
    if (!accept(ps, ','))
        return 0;
    skip_space(ps);
    return *ps->p != ')';
}

// args = "(" [type {"," type} [","]] ")"
static int parse_args(parser *ps, kn_signature *sig)
{
    if (!expect(ps, '('))
        return -1;
    if (accept(ps, ')'))
        return 0;
    do {
        skip_space(ps);
        const char *at = ps->p;
        if (sig->nargs == 32) {
            fail(ps, at, "too many arguments (at most 32)");
            return -1;
        }
        const kn_type *t = parse_type(ps);
        if (!t)
            return -1;
        if (t->kind == KN_VOID) {
            fail(ps, at, "an argument cannot be %s", t->name);
            return -1;
        }
        sig->args[sig->nargs++] = t;
    } while (another_argument(ps));
    return expect(ps, ')') ? 0 : -1;
}

// signature = [type] args
int kn_signature_parse(const char *text, kn_signature *sig, char *err, size_t errlen)
{
    parser ps = {.text = text, .p = text, .err = err, .errlen = errlen};
    memset(sig, 0, sizeof *sig);
    skip_space(&ps);
    if (*ps.p != '(' && !(sig->ret = parse_type(&ps)))
        return -1;
    if (parse_args(&ps, sig) < 0 || !at_end(&ps)) {
        memset(sig, 0, sizeof *sig);
        return -1;
    }
    return 0;
}

const kn_type *kn_type_parse(const char *text, char *err, size_t errlen)
{
    parser ps = {.text = text, .p = text, .err = err, .errlen = errlen};
    const kn_type *t = parse_type(&ps);
    return t && at_end(&ps) ? t : NULL;
}

void kn_signature_format(const kn_signature *sig, char *buf, size_t size)
{
    if (!size)
        return;
    size_t n = snprintf(buf, size, "%s(", sig->ret ? sig->ret->name : "");
    for (int i = 0; i < sig->nargs && n < size; i++)
        n += snprintf(buf + n, size - n, "%s%s", i ? ", " : "", sig->args[i]->name);
    if (n < size)
        snprintf(buf + n, size - n, ")");
}
