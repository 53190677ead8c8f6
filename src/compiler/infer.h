/* Type inference: every expression and variable of a kn_func typed by unification. */
#ifndef KN_COMPILER_INFER_H
#define KN_COMPILER_INFER_H

#include <Python.h>

#include "compiler/ast.h"

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
     * compiles callee (a kiln dispatcher) for sig's argument types, sets
     * *ret to its return type and returns an opaque handle for the lowering
     * (stored in the CALL's payload). Returns NULL when callee is not a kiln
     * function (no exception set: inference reports it) or when compiling
     * it failed (a Python exception set: kn_infer fails with it). May be
     * NULL itself: then such calls are errors.
     */
    void *(*resolve_call)(void *ctx, PyObject *callee, const kn_signature *sig,
                          const kn_type **ret);
    /*
     * The Python function being compiled. A call to it, or to an object
     * whose py_func attribute is it (a dispatcher), with exactly the
     * argument types being compiled is recursion: typed from the returns
     * inferred so far, not through resolve_call, and marked KN_BI_SELF with
     * payload self_handle.
     */
    PyObject *self;
    void *self_handle;
} kn_infer_env;

/*
 * What a CALL resolved to: inference stores it in the CALL's ival. The
 * lowering converts operands as the comment of each says; "to the result"
 * means to the CALL's type.
 */
typedef enum kn_builtin {
    KN_BI_NONE,      /* not resolved */
    KN_BI_JIT,       /* another kiln function: payload is resolve_call's handle; args exact */
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
     * math functions and numpy's scalar ufuncs. Arguments convert to float32
     * when every one is float32, else to float64; the result then converts
     * to the CALL's type (math.floor/ceil/trunc give int64, numpy's the
     * float; isnan, isinf, isfinite give bool).
     */
    KN_BI_SQRT,
    KN_BI_EXP,
    KN_BI_LOG,
    KN_BI_LOG2,
    KN_BI_LOG10,
    KN_BI_LOG1P,
    KN_BI_EXPM1,
    KN_BI_SIN,
    KN_BI_COS,
    KN_BI_TAN,
    KN_BI_ASIN,
    KN_BI_ACOS,
    KN_BI_ATAN,
    KN_BI_ATAN2,
    KN_BI_SINH,
    KN_BI_COSH,
    KN_BI_TANH,
    KN_BI_FLOOR,
    KN_BI_CEIL,
    KN_BI_TRUNC,
    KN_BI_FABS,
    KN_BI_COPYSIGN,
    KN_BI_HYPOT,
    KN_BI_FPOW,
    KN_BI_ISNAN,
    KN_BI_ISINF,
    KN_BI_ISFINITE,
    KN_BI_ERF,
    KN_BI_ERFC,
    KN_BI_GAMMA,
    KN_BI_LGAMMA,
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
 * - FOR iterates a CALL with ival KN_BI_RANGE; its target var gets int64.
 */
int kn_infer(kn_func *f, const kn_signature *sig, const kn_infer_env *env);

/* env->lookup_global with ctx a Python function: closure cells, __globals__, then builtins. */
PyObject *kn_infer_lookup_global(void *pyfunc, const char *name);

/*
 * For Dispatcher.inspect_types: the function's source with, under each
 * line, the variables it assigns and their types. malloc'd; NULL when out
 * of memory. Call after kn_infer succeeded.
 */
char *kn_infer_annotate(const kn_func *f);

#endif
