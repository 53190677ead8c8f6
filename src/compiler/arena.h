/* Per-compilation arenas: everything one specialization's compiler allocates, freed at once. */
#ifndef KN_COMPILER_ARENA_H
#define KN_COMPILER_ARENA_H

#include <stddef.h>

typedef struct kn_arena kn_arena;

kn_arena *kn_arena_new(void);
/* Zeroed, aligned for any type. Aborts when memory runs out, like the rest of the compiler. */
void *kn_arena_alloc(kn_arena *a, size_t size);
char *kn_arena_strdup(kn_arena *a, const char *s);
/* The first n bytes of s, terminated. */
char *kn_arena_strndup(kn_arena *a, const char *s, size_t n);
void kn_arena_free(kn_arena *a);

#endif
