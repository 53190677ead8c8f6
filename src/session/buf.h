/* A growable byte buffer, for JSON text and pending output. */
#ifndef KILN_SESSION_BUF_H
#define KILN_SESSION_BUF_H

#include <stddef.h>

typedef struct kn_session_buf {
    char *data;
    size_t len;
    size_t cap;
} kn_session_buf;

/* Each returns 0, or -1 with MemoryError set (the GIL must be held). */
int kn_session_buf_append(kn_session_buf *b, const void *p, size_t n);
int kn_session_buf_puts(kn_session_buf *b, const char *s);

/* Hands over the NUL-terminated text and leaves the buffer empty; NULL on failure. */
char *kn_session_buf_take(kn_session_buf *b);
void kn_session_buf_free(kn_session_buf *b);

#endif
