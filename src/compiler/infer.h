/* Type inference: every expression and variable of a kn_func typed by unification. */
#ifndef KN_COMPILER_INFER_H
#define KN_COMPILER_INFER_H

#include <Python.h>

#include "compiler/ast.h"
#include "compiler/math_functions.h"

/* What resolve_call made of a call to a Python object that is no builtin. */
typedef enum kn_resolved {
    KN_RESOLVED, /* *handle and *ret are set */
    KN_NOT_KILN, /* the callee is not a kiln function: no exception set */
    /*
     * The callee calls back, through kiln functions, into a function whose
     * return type is not inferred yet (mutual recursion, before any of the
     * functions returned a value): unknown for now, no exception set.
     */
    KN_NOT_YET,
    KN_RESOLVE_FAILED, /* compiling the callee failed: a Python exception is set */
} kn_resolved;

/* What the function sees outside itself; the compile driver fills it in. */
typedef struct kn_infer_env {
    void *ctx; /* passed back to the callbacks */
    /*
     * The object a name that is not a local refers to: closure cell, then
     * globals, then builtins. Borrowed, or NULL (no exception set) when the
     * name is not defined. kn_infer_lookup_global does this with ctx the
     * Python function.
     */
    PyObject *(*lookup_global)(void *ctx, const char *name);
    /*
     * A call to something that is not a builtin, math or numpy function:
     * compiles callee (a kiln dispatcher) for sig's argument types, or
     * finds the specialization its arguments convert to, and sets *handle
     * to it (an opaque handle for the lowering, stored in the CALL's
     * payload) and *ret to its return type (with KN_NOT_YET: the callee's
     * return type so far, or NULL). final: the call is resolved
     * in inference's last pass, so what it resolves to is what the code
     * will call (the passes before only gather types). May be NULL itself:
     * then such calls are errors.
     */
    kn_resolved (*resolve_call)(void *ctx, PyObject *callee, const kn_signature *sig, int final,
                                void **handle, const kn_type **ret);
    /*
     * The Python function being compiled. A call to it, or to an object
     * whose py_func attribute is it (a dispatcher), with exactly the
     * argument types being compiled is recursion: typed from the returns
     * inferred so far, not through resolve_call, and marked KN_BI_SELF with
     * payload self_handle.
     */
    PyObject *self;
    void *self_handle;
    /*
     * Where inference keeps the return type inferred so far (NULL while no
     * return gave one; the signature's, when it declares one), for calls
     * back into the function from the functions it calls. May be NULL.
     */
    const kn_type **ret_so_far;
    int gpu; /* a CUDA kernel or device function: kiln.cuda's intrinsics are allowed */
} kn_infer_env;

/* The kn_builtin of each math function in math_functions.h: KN_BI_SQRT, ... */
#define KN_BI_MATH_ID(id, ...) KN_BI_##id,

/*
 * What a CALL resolved to: inference stores it in the CALL's ival. The
 * lowering converts operands as the comment of each says; "to the result"
 * means to the CALL's type.
 */
typedef enum kn_builtin {
    KN_BI_NONE,      /* not resolved */
    KN_BI_JIT,       /* another kiln function: payload is resolve_call's handle; args in
                        parameter order (keywords and defaults bound), each to its parameter's
                        type */
    KN_BI_SELF,      /* recursion with the same argument types: payload is env->self_handle */
    KN_BI_EXCEPTION, /* Exc("message") in raise: payload is the class (see KN_S_RAISE below) */
    KN_BI_RANGE,     /* range(stop) | range(start, stop[, step]) in for: args to int64 */
    KN_BI_CAST,      /* int(x) float(x) bool(x) complex(x) np.float32(x) ...: x to the result
                        with Python's rules (float to int truncates, number to bool is != 0) */
    KN_BI_COMPLEX,   /* complex(re, im): both to float64 */
    KN_BI_ABS,       /* abs(x): x to the result, except complex128 (its magnitude, float64) */
    KN_BI_MIN,       /* min(a, b, ...): every arg to the result */
    KN_BI_MAX,       /* max(a, b, ...): every arg to the result */
    KN_BI_ROUND,     /* round(x): half to even, to int64; round(x, ndigits): to the result */
    KN_BI_POW,       /* pow(a, b), np.power(a, b): as a ** b */
    KN_BI_DIVMOD,    /* divmod(a, b): (a // b, a % b), both in the result's field type */
    KN_BI_LEN,       /* len(t) of a tuple: the constant nfields of the arg's type */
    KN_BI_CONJUGATE, /* z.conjugate(): the callee is the ATTR, its value z; real numbers as is */
    /*
     * Arrays. Methods (a.sum()) have the array prepended to their operands,
     * so a.sum() and np.sum(a) lower alike. Allocations have operands
     * {shape (an int or tuple; for *_LIKE the array), fill value or NULL}
     * and their type says dtype, ndim and layout.
     */
    KN_BI_ARRAY_COPY,    /* a.copy(): a C-ordered copy */
    KN_BI_ARRAY_FILL,    /* a.fill(v): v to the dtype, into every item */
    KN_BI_ARRAY_SUM,     /* a.sum(), np.sum(a): in the result type */
    KN_BI_ARRAY_MIN,     /* a.min(), np.min(a): ValueError when empty */
    KN_BI_ARRAY_MAX,     /* a.max(), np.max(a) */
    KN_BI_ARRAY_MEAN,    /* a.mean(), np.mean(a): NaN when empty, as NumPy */
    KN_BI_NP_EMPTY,      /* np.empty(shape[, dtype]) */
    KN_BI_NP_ZEROS,      /* np.zeros(shape[, dtype]) */
    KN_BI_NP_ONES,       /* np.ones(shape[, dtype]) */
    KN_BI_NP_FULL,       /* np.full(shape, value[, dtype]) */
    KN_BI_NP_EMPTY_LIKE, /* np.empty_like(a[, dtype]) */
    KN_BI_NP_ZEROS_LIKE,
    KN_BI_NP_ONES_LIKE,
    KN_BI_NP_FULL_LIKE,
    KN_BI_NP_ARANGE,   /* operands {start, stop, step}, made explicit */
    KN_BI_NP_LINSPACE, /* operands {start, stop, num} */
    KN_BI_NP_DOT,      /* np.dot(a, b): 1-d and 2-d arrays */
    KN_BI_ENUMERATE,   /* enumerate(a) in for: (index, item) */
    KN_BI_ZIP,         /* zip(a, b, ...) in for: (item, item, ...) */
    KN_BI_CUDA,        /* kiln.cuda in a kernel: payload its kn_cuda_intrinsic row */
    /*
     * math functions and numpy's scalar ufuncs (math_functions.h lists them;
     * they come last). Arguments convert to float32 when every one is
     * float32, else to float64; the result then converts to the CALL's type
     * (math.floor/ceil/trunc give int64, numpy's the float; isnan, isinf,
     * isfinite give bool). math.log(x, base) is log(x) / log(base).
     */
    KN_MATH_FUNCTIONS(KN_BI_MATH_ID)
} kn_builtin;

/*
 * Types f for sig's argument types (sig->ret, when given, is what the
 * result converts to: f->ret is then sig->ret). Returns 0, or -1 with a
 * Python exception set: kiln.TypingError with every location, or the
 * exception a callee's compilation raised. Called with the GIL held.
 *
 * What the lowering reads afterwards:
 * - expr->type on every value expression, var->type on every local (the
 *   union of everything assigned to it: a store converts to it, and an
 *   argument converts from sig->args[i] on entry), f->ret (void: none).
 * - Arithmetic (BINARY, UNARY -x +x ~x, BOOLOP, IFEXP): operands convert
 *   to the expression's type. COMPARE: each pair converts to
 *   kn_type_unify of the two. Conditions (if, while, assert, not, and/or
 *   operands, IFEXP's test) are numbers, true when non-zero.
 * - Globals (and closure variables) that hold numbers or tuples of numbers,
 *   and module constants (math.pi, np.inf), are rewritten to KN_E_CONST of
 *   their type (a NumPy scalar keeps its dtype: np.float32(0.5) is float32):
 *   bool and ints in ival (uint64 as its bits), floats in fval, complex as
 *   operands[0] and [1] (FLOAT real and imaginary parts), tuples as
 *   operands (one CONST per item).
 * - `x op= v` on a local is rewritten to `x = x op v` (the same for numbers),
 *   so AUGASSIGN is left only for item targets (arrays, later).
 * - A SUBSCRIPT of a tuple has the (non-negative) field index in ival.
 * - ATTR .real / .imag of a complex: float64.
 * - A CALL's ival is a kn_builtin, its payload as that says.
 * - KN_S_RAISE: stmt->value is a NAME of an exception class, or a CALL of
 *   one (KN_BI_EXCEPTION) with no argument or one STR; either node's payload
 *   is the class, borrowed from the globals or builtins that hold it.
 *   KN_S_ASSERT: value is NULL or a STR.
 * - FOR iterates a CALL with ival KN_BI_RANGE (its target var gets int64), an
 *   array (its items, or views of its rows), or a CALL with ival
 *   KN_BI_ENUMERATE or KN_BI_ZIP over arrays.
 * - Arrays: a SUBSCRIPT of an array is an item when every axis has an
 *   integer index, else a view (slices are SLICE items typed void); an
 *   elementwise BINARY, UNARY, COMPARE or math call on arrays has an
 *   array type (C layout) and its operands are arrays or numbers;
 *   AUGASSIGN stays for item targets (a[i] += v), its value typed as
 *   the operand of the operator.
 */
int kn_infer(kn_func *f, const kn_signature *sig, const kn_infer_env *env);

/* A SLICE that takes a whole axis: ':' with no bounds and no step. */
int kn_infer_full_slice(const kn_expr *slice);

/* env->lookup_global with ctx a Python function: closure cells, __globals__, then builtins. */
PyObject *kn_infer_lookup_global(void *pyfunc, const char *name);

/*
 * For Dispatcher.inspect_types: the function's source with, under each
 * line, the variables it assigns and their types. malloc'd; NULL when out
 * of memory. Call after kn_infer succeeded.
 */
char *kn_infer_annotate(const kn_func *f);

#endif
