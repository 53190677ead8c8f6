/* Per-compilation arenas: a bump allocator over a chain of zeroed chunks. */
#include "compiler/arena.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK_SIZE = 64 * 1024 };

typedef struct chunk chunk;
struct chunk {
    chunk *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

struct kn_arena {
    chunk *head; /* the chunk being filled; older ones follow */
};

static void *xcalloc(size_t n)
{
    void *p = calloc(1, n);
    if (!p) {
        fprintf(stderr, "kiln: out of memory\n");
        abort();
    }
    return p;
}

static size_t align_up(size_t n)
{
    size_t a = alignof(max_align_t);
    return (n + a - 1) / a * a;
}

static chunk *new_chunk(size_t size)
{
    chunk *c = xcalloc(sizeof(chunk) + size);
    c->size = size;
    return c;
}

kn_arena *kn_arena_new(void)
{
    return xcalloc(sizeof(kn_arena));
}

void *kn_arena_alloc(kn_arena *a, size_t size)
{
    size = align_up(size ? size : 1);
    chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        /* An oversized request gets a chunk of its own; the next small one
           still starts a fresh standard chunk rather than wasting the old. */
        c = new_chunk(size > CHUNK_SIZE ? size : CHUNK_SIZE);
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;
}

char *kn_arena_strdup(kn_arena *a, const char *s)
{
    return kn_arena_strndup(a, s, strlen(s));
}

char *kn_arena_strndup(kn_arena *a, const char *s, size_t n)
{
    char *copy = kn_arena_alloc(a, n + 1); /* zeroed: the terminator is there */
    return memcpy(copy, s, n);
}

void kn_arena_free(kn_arena *a)
{
    if (!a)
        return;
    for (chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}
