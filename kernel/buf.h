/* A growable byte string with JSON string escaping: how outgoing message parts are built. */
#ifndef KN_BUF_H
#define KN_BUF_H

#include <stddef.h>

#include "frame.h"

/* Always NUL-terminated once anything was put in it. Running out of memory aborts. */
typedef struct kn_wire_buf {
    char *data;
    size_t len, cap;
} kn_wire_buf;

void kn_wire_buf_put(kn_wire_buf *b, const char *s, size_t n);
void kn_wire_buf_puts(kn_wire_buf *b, const char *s);
void kn_wire_buf_printf(kn_wire_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a quoted JSON string; bytes that are not UTF-8 become U+FFFD. */
void kn_wire_buf_put_json_string(kn_wire_buf *b, const char *s, size_t n);
void kn_wire_buf_free(kn_wire_buf *b);

/* realloc, or abort: the kernel cannot answer anything without memory. */
void *kn_wire_xrealloc(void *p, size_t n);

static inline void kn_wire_buf_reset(kn_wire_buf *b)
{
    b->len = 0;
}

static inline kn_frame kn_wire_buf_frame(const kn_wire_buf *b)
{
    return (kn_frame){b->data, b->len};
}

#endif
