/* A growable byte string with JSON string escaping: how outgoing message parts are built. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void *kn_wire_xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fputs("kiln-kernel: out of memory\n", stderr);
        abort();
    }
    return p;
}

static void reserve(kn_wire_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->data = kn_wire_xrealloc(b->data, cap);
    b->cap = cap;
}

void kn_wire_buf_put(kn_wire_buf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void kn_wire_buf_puts(kn_wire_buf *b, const char *s)
{
    kn_wire_buf_put(b, s, strlen(s));
}

void kn_wire_buf_printf(kn_wire_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Length of the well-formed UTF-8 sequence (RFC 3629) starting at s, or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c < 0xc2 || c > 0xf4 || n < len)
        return 0;
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f; /* no surrogates */
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return len;
}

static int plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static void put_escape(kn_wire_buf *b, unsigned char c)
{
    static const char short_form[] = "\"\"\\\\\bb\ff\nn\rr\tt";
    for (const char *p = short_form; *p; p += 2) {
        if ((unsigned char)p[0] == c) {
            char esc[2] = {'\\', p[1]};
            kn_wire_buf_put(b, esc, 2);
            return;
        }
    }
    kn_wire_buf_printf(b, "\\u%04x", c);
}

void kn_wire_buf_put_json_string(kn_wire_buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    reserve(b, n + 2);
    kn_wire_buf_put(b, "\"", 1);
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && plain(u[run]))
            run++;
        kn_wire_buf_put(b, s + i, run - i);
        if (run == n)
            break;
        i = run;
        if (u[i] < 0x80) {
            put_escape(b, u[i++]);
            continue;
        }
        size_t len = utf8_len(u + i, n - i);
        if (len) {
            kn_wire_buf_put(b, s + i, len);
            i += len;
        } else {
            kn_wire_buf_puts(b, "\\ufffd");
            i++;
        }
    }
    kn_wire_buf_put(b, "\"", 1);
}

void kn_wire_buf_free(kn_wire_buf *b)
{
    free(b->data);
    *b = (kn_wire_buf){0};
}
