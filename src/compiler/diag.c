/* Compile diagnostics: collected with locations, printed as compilers do, raised as TypingError. */
#include "compiler/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fprintf(stderr, "kiln: out of memory\n");
        abort();
    }
    return p;
}

static void vappend(kn_diags *d, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0)
        n = 0;
    if (d->len + n + 1 > d->cap) {
        d->cap = (d->len + n + 1) * 2;
        d->text = xrealloc(d->text, d->cap);
    }
    vsnprintf(d->text + d->len, d->cap - d->len, fmt, again);
    d->len += n;
    va_end(again);
}

static void append(kn_diags *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vappend(d, fmt, ap);
    va_end(ap);
}

/* Characters (not bytes: columns are UTF-8 offsets) in the first n bytes of s. */
static int width(const char *s, int n)
{
    int w = 0;
    for (int i = 0; i < n && s[i]; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

static const char *source_line(const kn_func *f, int line)
{
    if (!f || !f->source_lines)
        return NULL;
    int i = line - f->first_line;
    return i >= 0 && i < f->nsource_lines ? f->source_lines[i] : NULL;
}

/*
 * "  4 |     return x + y" then "    |            ^~~~~": the caret's indent
 * copies the line's tabs so it lines up however wide the terminal draws them.
 */
static void quote(kn_diags *d, const char *src, kn_loc loc)
{
    int len = (int)strlen(src);
    int col = loc.col < len ? loc.col : len;
    int end = loc.end_line == loc.line && loc.end_col > col ? loc.end_col : len;
    if (end > len)
        end = len;
    char gutter[16];
    int g = snprintf(gutter, sizeof gutter, "%d", loc.line);
    append(d, " %s | %s\n %*s | ", gutter, src, g, "");
    for (int i = 0; i < col; i++)
        if (((unsigned char)src[i] & 0xC0) != 0x80)
            append(d, "%c", src[i] == '\t' ? '\t' : ' ');
    append(d, "^");
    for (int i = width(src + col, end - col); i > 1; i--)
        append(d, "~");
    append(d, "\n");
}

void kn_diag_init(kn_diags *d, const kn_func *f)
{
    memset(d, 0, sizeof *d);
    d->f = f;
}

static void verror(kn_diags *d, kn_loc loc, const char *fmt, va_list ap)
{
    const char *file = d->f && d->f->filename ? d->f->filename : "<unknown>";
    const char *src = source_line(d->f, loc.line);
    int col = src ? width(src, loc.col) : loc.col;
    append(d, "%s:%d:%d: error: ", file, loc.line, col + 1);
    vappend(d, fmt, ap);
    append(d, "\n");
    if (src)
        quote(d, src, loc);
    d->count++;
}

void kn_diag_error(kn_diags *d, kn_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(d, loc, fmt, ap);
    va_end(ap);
}

void kn_diag_note(kn_diags *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append(d, "note: ");
    vappend(d, fmt, ap);
    append(d, "\n");
    va_end(ap);
}

int kn_diag_raise(kn_diags *d)
{
    PyObject *type = kn_diag_typing_error_type();
    if (!type)
        return -1;
    /* The message ends with a newline per line; the exception's text should not. */
    while (d->len && d->text[d->len - 1] == '\n')
        d->text[--d->len] = 0;
    PyErr_SetString(type, d->text ? d->text : "type inference failed");
    kn_diag_free(d);
    return -1;
}

void kn_diag_free(kn_diags *d)
{
    free(d->text);
    kn_diag_init(d, d->f);
}

int kn_diag_raise_at(const kn_func *f, kn_loc loc, const char *fmt, ...)
{
    kn_diags d;
    kn_diag_init(&d, f);
    va_list ap;
    va_start(ap, fmt);
    verror(&d, loc, fmt, ap);
    va_end(ap);
    return kn_diag_raise(&d);
}

PyObject *kn_diag_typing_error_type(void)
{
    static PyObject *type;
    if (!type)
        type = PyErr_NewExceptionWithDoc(
            "kiln.TypingError",
            "A function cannot be compiled in nopython mode: the message points at the "
            "line and column, with the types involved.",
            PyExc_Exception, NULL);
    return type;
}
