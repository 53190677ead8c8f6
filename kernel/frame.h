/* One frame of a multipart message, as a view: the bytes belong to someone else. */
#ifndef KN_FRAME_H
#define KN_FRAME_H

#include <stddef.h>
#include <string.h>

typedef struct kn_frame {
    const char *data;
    size_t len;
} kn_frame;

static inline kn_frame kn_frame_str(const char *s)
{
    return (kn_frame){s, strlen(s)};
}

static inline int kn_frame_eq(kn_frame f, const char *s)
{
    size_t n = strlen(s);
    return f.len == n && memcmp(f.data, s, n) == 0;
}

#endif
