/* One specialization: a Python function compiled for one tuple of argument types. */
#ifndef KN_COMPILER_COMPILE_H
#define KN_COMPILER_COMPILE_H

#include <Python.h>

#include "compiler/types.h"

typedef struct kn_compile_options {
    int boundscheck;  /* 1 by default: out-of-range indexing raises IndexError */
    int fastmath;     /* LLVM fast-math flags on float operations */
    int forceobj;     /* object mode (a later issue) */
    /*
     * How a call to another jitted function is compiled: returns that
     * function's specialization for sig (compiling it if needed), or NULL
     * when callee is not a kiln dispatcher (no exception set) or its
     * compilation failed (exception set). The dispatcher layer provides it,
     * so the compiler needs no knowledge of the Dispatcher type.
     */
    struct kn_specialization *(*resolve_call)(PyObject *callee, const kn_signature *sig);
} kn_compile_options;

/* Seconds spent in each stage, as Dispatcher.stats reports them. */
typedef struct kn_stage_times {
    double parse;        /* source -> CPython ast -> Kiln AST */
    double infer;        /* type inference */
    double lower;        /* typed AST -> LLVM IR */
    double optimize;     /* the O3 pipeline */
    double machine_code; /* LLJIT: IR -> machine code, symbol lookup */
} kn_stage_times;

/*
 * The Python wrapper of a specialization: unboxes args (already checked by
 * the dispatcher to have the specialization's types), calls the native entry,
 * boxes the result. Returns a new reference, or NULL with an exception set.
 */
typedef PyObject *(*kn_wrapper_fn)(PyObject *const *args);

typedef struct kn_specialization {
    kn_signature sig;      /* argument types and the inferred return type */
    void *native;          /* C calling convention entry, for compiled callers */
    kn_wrapper_fn wrapper; /* Python entry */
    kn_stage_times times;
    char *ir_raw;          /* LLVM IR before optimization */
    char *ir_optimized;    /* after the O3 pipeline */
    char *asm_text;        /* made on first request: kn_specialization_asm */
    char *annotated;       /* the source with each variable's type, for inspect_types */
    void *jit_handle;      /* the JIT's resources for this code (its dylib/resource tracker) */
} kn_specialization;

/*
 * Compiles func (a Python function) for the argument types in sig (ret may be
 * NULL: inferred; if given, the result converts to it). Returns NULL with a
 * Python exception set: kiln.TypingError (file:line:col, the source line, a
 * caret) for what nopython mode cannot compile.
 * Called with the GIL held.
 */
kn_specialization *kn_compile(PyObject *func, const kn_signature *sig,
                              const kn_compile_options *opts);
const char *kn_specialization_asm(kn_specialization *spec);
void kn_specialization_free(kn_specialization *spec);

#endif
