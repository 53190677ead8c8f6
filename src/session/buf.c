/* A growable byte buffer, for JSON text and pending output. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdlib.h>
#include <string.h>

#include "session/buf.h"

static int reserve(kn_session_buf *b, size_t n)
{
    if (b->cap - b->len > n)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= n)
        cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

int kn_session_buf_append(kn_session_buf *b, const void *p, size_t n)
{
    if (reserve(b, n) < 0)
        return -1;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int kn_session_buf_puts(kn_session_buf *b, const char *s)
{
    return kn_session_buf_append(b, s, strlen(s));
}

char *kn_session_buf_take(kn_session_buf *b)
{
    if (reserve(b, 0) < 0)
        return NULL;
    char *text = b->data;
    text[b->len] = '\0';
    *b = (kn_session_buf){0};
    return text;
}

void kn_session_buf_free(kn_session_buf *b)
{
    free(b->data);
    *b = (kn_session_buf){0};
}
