/* Reads the few values the terminal needs out of the session's JSON replies. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repl.h"

static const char *skip_space(const char *p)
{
    return p + strspn(p, " \t\r\n");
}

static const char *skip_string(const char *p)
{
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
            p++;
    return *p == '"' ? p + 1 : NULL;
}

/* Any value: strings, nested objects and arrays, numbers, literals. */
static const char *skip_value(const char *p)
{
    if (*p == '"')
        return skip_string(p);
    if (*p != '{' && *p != '[')
        return p + strcspn(p, ",}] \t\r\n");
    int depth = 0;
    while (*p) {
        if (*p == '"') {
            p = skip_string(p);
            if (!p)
                return NULL;
            continue;
        }
        if (*p == '{' || *p == '[')
            depth++;
        else if ((*p == '}' || *p == ']') && --depth == 0)
            return p + 1;
        p++;
    }
    return NULL;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 32;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static uint32_t hex4(const char *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(p[i]);
        if (d < 0)
            return UINT32_MAX;
        v = v * 16 + (uint32_t)d;
    }
    return v;
}

static char *put_utf8(char *q, uint32_t c)
{
    if (c < 0x80) {
        *q++ = (char)c;
    } else if (c < 0x800) {
        *q++ = (char)(0xC0 | c >> 6);
        *q++ = (char)(0x80 | (c & 63));
    } else if (c < 0x10000) {
        *q++ = (char)(0xE0 | c >> 12);
        *q++ = (char)(0x80 | ((c >> 6) & 63));
        *q++ = (char)(0x80 | (c & 63));
    } else {
        *q++ = (char)(0xF0 | c >> 18);
        *q++ = (char)(0x80 | ((c >> 12) & 63));
        *q++ = (char)(0x80 | ((c >> 6) & 63));
        *q++ = (char)(0x80 | (c & 63));
    }
    return q;
}

/* \uXXXX, with a following \uXXXX when it is the low half of a surrogate pair. */
static const char *unicode_escape(const char *p, char **q)
{
    uint32_t c = hex4(p);
    if (c == UINT32_MAX)
        return NULL;
    p += 4;
    if (c >= 0xD800 && c < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
        uint32_t low = hex4(p + 2);
        if (low >= 0xDC00 && low < 0xE000) {
            c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
            p += 6;
        }
    }
    *q = put_utf8(*q, c);
    return p;
}

static int simple_escape(char c)
{
    switch (c) {
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    case '"':
    case '\\':
    case '/':
        return c;
    default:
        return -1;
    }
}

/* The string at p (which is at its opening quote), decoded, malloc'd; NULL if malformed. */
static char *decode_string(const char *p)
{
    const char *end = skip_string(p);
    char *out = end ? malloc((size_t)(end - p)) : NULL;
    char *q = out;
    for (p++; out && p < end - 1;) {
        if (*p != '\\') {
            *q++ = *p++;
            continue;
        }
        int c = *++p == 'u' ? 0 : simple_escape(*p);
        p = c == 0 ? unicode_escape(p + 1, &q) : p + 1;
        if (c < 0 || !p) {
            free(out);
            return NULL;
        }
        if (c > 0)
            *q++ = (char)c;
    }
    if (out)
        *q = '\0';
    return out;
}

const char *kn_repl_json_find(const char *json, const char *key)
{
    const char *p = json ? skip_space(json) : NULL;
    if (!p || *p++ != '{')
        return NULL;
    for (p = skip_space(p); *p == '"'; p = skip_space(p + 1)) {
        char *name = decode_string(p);
        p = skip_string(p);
        int match = name && strcmp(name, key) == 0;
        free(name);
        if (!p || *(p = skip_space(p)) != ':')
            return NULL;
        p = skip_space(p + 1);
        if (match)
            return p;
        if (!(p = skip_value(p)) || *(p = skip_space(p)) != ',')
            return NULL;
    }
    return NULL;
}

char *kn_repl_json_string(const char *json, const char *key)
{
    const char *p = kn_repl_json_find(json, key);
    return p && *p == '"' ? decode_string(p) : NULL;
}

void kn_repl_json_each_string(const char *json, const char *key,
                              void (*fn)(void *ctx, const char *text), void *ctx)
{
    const char *p = kn_repl_json_find(json, key);
    if (!p || *p != '[')
        return;
    for (p = skip_space(p + 1); p && *p == '"'; p = skip_space(p + 1)) {
        char *text = decode_string(p);
        if (text)
            fn(ctx, text);
        free(text);
        if (!(p = skip_string(p)) || *(p = skip_space(p)) != ',')
            return;
    }
}
