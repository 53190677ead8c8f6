/* One specialization: a Python function compiled for one tuple of argument types. */
#ifndef KN_COMPILER_COMPILE_H
#define KN_COMPILER_COMPILE_H

#include <Python.h>

#include "compiler/infer.h"
#include "compiler/types.h"

typedef struct kn_specialization kn_specialization;

/* What a call to another jitted function resolved to (kn_compile_options.resolve_call). */
typedef struct kn_callee {
    kn_specialization *spec; /* KN_RESOLVED: the specialization the call runs */
    /*
     * KN_RESOLVED: its return type. KN_NOT_YET: the return type the callee
     * had inferred so far (NULL: none), what its call has until then.
     */
    const kn_type *ret;
} kn_callee;

/*
 * What a compilation in progress tells the compilations it starts, which
 * can call it back (mutual recursion).
 */
typedef struct kn_compile_progress {
    /*
     * The specialization being made, from before inference on (NULL again
     * once kn_compile failed): its argument types and symbol are known,
     * and sig.ret follows inference (NULL while unknown). A call back is
     * compiled against it, a forward declaration.
     */
    kn_specialization *spec;
    const kn_type *ret; /* after a failure: the return type inferred until then */
} kn_compile_progress;

typedef struct kn_compile_options {
    int boundscheck; /* 1 by default: out-of-range indexing raises IndexError */
    int fastmath;    /* LLVM fast-math flags on float operations */
    int forceobj;    /* object mode: every value a PyObject *, every operation a C API call */
    /*
     * How a call to another jitted function is compiled: sets out->spec to
     * that function's specialization for sig (compiling it if needed, or
     * one its arguments convert to). See kn_resolved for the outcomes, and
     * kn_infer_env.resolve_call for final. The dispatcher layer provides
     * it, so the compiler needs no knowledge of the Dispatcher type.
     */
    kn_resolved (*resolve_call)(PyObject *callee, const kn_signature *sig, int final,
                                kn_callee *out);
    kn_compile_progress *progress; /* kept up to date by kn_compile; may be NULL */
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

struct kn_specialization {
    kn_signature sig;      /* argument types and the inferred return type */
    char *symbol;          /* the native entry's name in the JIT; the wrapper's adds "_py" */
    void *native;          /* C calling convention entry, for compiled callers */
    kn_wrapper_fn wrapper; /* Python entry */
    kn_stage_times times;
    int object_mode;    /* 1: compiled in object mode (every value a PyObject *) */
    char *ir_raw;       /* LLVM IR before optimization */
    char *ir_optimized; /* after the O3 pipeline */
    char *asm_text;     /* made on first request: kn_specialization_asm */
    char *annotated;    /* the source with each variable's type, for inspect_types */
    void *jit_handle;   /* the JIT's resources for this code (its dylib/resource tracker) */
};

/*
 * Compiles func (a Python function) for the argument types in sig (ret may be
 * NULL: inferred; if given, the result converts to it). Returns NULL with a
 * Python exception set: kiln.TypingError (file:line:col, the source line, a
 * caret) for what nopython mode cannot compile.
 *
 * Code that calls a specialization not linked yet (native NULL: one still
 * being compiled, or waiting on one) is added to the JIT but not linked:
 * its native and wrapper stay NULL until kn_specialization_link, once every
 * function it calls has been added.
 * Called with the GIL held.
 */
kn_specialization *kn_compile(PyObject *func, const kn_signature *sig,
                              const kn_compile_options *opts);
/* Looks up a specialization's entries in the JIT, compiling them to machine code. 0 or -1. */
int kn_specialization_link(kn_specialization *spec);
const char *kn_specialization_asm(kn_specialization *spec);
void kn_specialization_free(kn_specialization *spec);

#endif
