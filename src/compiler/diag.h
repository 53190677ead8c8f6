/* Compile diagnostics: errors with a location, formatted with the source line and a caret. */
#ifndef KN_COMPILER_DIAG_H
#define KN_COMPILER_DIAG_H

#include <Python.h>
#include <stddef.h>

#include "compiler/ast.h"

/*
 * A collector: each stage of the compiler adds its errors here, then raises
 * them all at once as one kiln.TypingError. Each error reads
 *
 *     file.py:4:12: error: cannot add int64 and str
 *         4 |     return x + "a"
 *           |            ^~~~~~~
 *     note: left operand: int64
 *
 * with 1-based columns, as compilers print them.
 */
typedef struct kn_diags {
    const kn_func *f; /* filename and source lines for the locations */
    char *text;       /* malloc'd: every error so far, formatted; NULL when none */
    size_t len, cap;
    int count; /* errors (notes not counted) */
} kn_diags;

void kn_diag_init(kn_diags *d, const kn_func *f);
void kn_diag_error(kn_diags *d, kn_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A note line under the last error: the types involved, where a variable got its type. */
void kn_diag_note(kn_diags *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets kiln.TypingError with everything collected, frees it; returns -1. */
int kn_diag_raise(kn_diags *d);
void kn_diag_free(kn_diags *d);

/* The one-shot form: one error at loc, raised at once. Returns -1. */
int kn_diag_raise_at(const kn_func *f, kn_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * kiln.TypingError, made on first use (a subclass of Exception in module
 * kiln); the kiln module adds it to its namespace. Borrowed reference.
 */
PyObject *kn_diag_typing_error_type(void);

#endif
