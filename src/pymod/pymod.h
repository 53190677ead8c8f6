/* The `kiln` Python module: its registration, the JIT's API in it, and the log of what it compiled. */
#ifndef KN_PYMOD_PYMOD_H
#define KN_PYMOD_PYMOD_H

#include <Python.h>
#include <stddef.h>

#include "compiler/compile.h"

/* Adds `kiln` to the built-in modules; call before Python starts. */
int kn_pymod_register(void);

/*
 * Adds jit, njit, typeof, the types (int64, float64, i8, ...), Type,
 * Signature, Dispatcher, TypingError and KilnWarning to m, the kiln module
 * being initialized. Returns 0, or -1 with an exception set. Loads no LLVM.
 */
int kn_pymod_add_jit(PyObject *module);

/*
 * The log of compiled specializations, for the per-cell report. Each
 * compilation gets the next number, from 0. A session takes a mark when a
 * cell starts and visits what was compiled since when it ends:
 *
 *     size_t mark = kn_pymod_compile_mark();
 *     ... run the cell ...
 *     kn_pymod_compiled_since(mark, visit, ctx);
 *
 * The log keeps each dispatcher alive (and so its specializations) until the
 * next mark, which forgets everything numbered before it. Use with the GIL held.
 */
size_t kn_pymod_compile_mark(void);
typedef void (*kn_pymod_compiled_fn)(void *ctx, PyObject *dispatcher, kn_specialization *spec);
/* Calls visit for each specialization compiled since mark, oldest first. */
void kn_pymod_compiled_since(size_t mark, kn_pymod_compiled_fn visit, void *ctx);

/*
 * spec of dispatcher as a dict, as kiln._specializations gives it: dispatcher, name,
 * signature, args (text), types (tuple of kiln types), mode ("nopython" or
 * "object"), stages (seconds, with total), ir_raw, ir, and asm (None
 * unless with_asm). A new reference, or NULL with an exception set.
 */
PyObject *kn_pymod_describe(PyObject *dispatcher, kn_specialization *spec, int with_asm);
/* Adds kiln._specializations (describe.c) to the module. */
int kn_pymod_describe_add(PyObject *module);

#endif
