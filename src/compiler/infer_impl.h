/* Inference's insides: the state of one run, shared by infer.c, infer_expr.c and infer_call.c. */
#ifndef KN_COMPILER_INFER_IMPL_H
#define KN_COMPILER_INFER_IMPL_H

#include "compiler/diag.h"
#include "compiler/infer.h"

/*
 * Inference walks the whole body again and again: variables and the
 * return type only widen (int64 to float64, never back), so a pass that
 * widens nothing is the fixpoint. A type not known yet (a variable a later
 * line assigns, a recursive call before any plain return) is NULL and
 * makes what depends on it NULL too, silently; the last pass is strict and
 * reports what is still unknown. Errors about known types are reported at
 * once: widening never makes them go away.
 */
typedef struct kn_infer_state {
    kn_func *f;
    const kn_signature *sig;
    const kn_infer_env *env;
    kn_diags diags;
    int strict;         /* the last pass: an unknown type is an error */
    int changed;        /* a variable or the return type widened in this pass */
    int failed;         /* an error is reported or a Python exception set: unwind */
    int py_error;       /* the failure is a Python exception, not a diagnostic */
    const kn_type *ret; /* the union of the returns so far */
    kn_loc ret_loc;     /* the return that first gave ret */
    kn_loc *var_locs;   /* where each variable got its type, for notes; line 0: argument */
} kn_infer_state;

/* Reports an error at loc and marks the run failed; returns NULL for `return error(...)`. */
const kn_type *kn_infer_error(kn_infer_state *s, kn_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Types e (and everything under it) and stores the type in e->type; NULL: unknown or failed. */
const kn_type *kn_infer_expr(kn_infer_state *s, kn_expr *e);
/* Types e where its truth value is used: a number. */
int kn_infer_condition(kn_infer_state *s, kn_expr *e);
/* The result of a op b, as Numba types it, with the error (at loc) when there is none. */
const kn_type *kn_infer_binary(kn_infer_state *s, kn_op op, kn_expr *a, kn_expr *b, kn_loc loc);
/* The Python object a global NAME or a module's ATTR denotes: borrowed, or NULL (no error). */
PyObject *kn_infer_object(kn_infer_state *s, const kn_expr *e);
/* "int64", "None", "str", "module 'math'": for messages. */
const char *kn_infer_describe(kn_infer_state *s, const kn_expr *e);
/* "+", "//", "is not": an operator as written. */
const char *kn_infer_op_symbol(kn_op op);

/*
 * obj a Python constant: e becomes a KN_E_CONST of its type (numbers and
 * tuples of them, as globals freeze). Returns 1, 0 when obj is something
 * else, -1 after an error.
 */
int kn_infer_freeze(kn_infer_state *s, kn_expr *e, PyObject *obj);

/*
 * g(a, name=b) of a Python function g (a kiln function's py_func): the
 * operands rewritten into g's parameter order, keywords in their places and
 * the missing ones g's defaults, frozen (as Numba freezes them at compile
 * time). Later passes find the call bound. Returns 0, or -1 after
 * reporting the TypeError Python would raise.
 */
int kn_infer_bind(kn_infer_state *s, kn_expr *e, PyObject *func, const char *name);

/* f(args): builtins, math and numpy functions, other kiln functions, recursion. */
const kn_type *kn_infer_call(kn_infer_state *s, kn_expr *e);
/* The iterable of a for loop: range(...), an array, enumerate or zip. The target's type. */
const kn_type *kn_infer_iter(kn_infer_state *s, kn_expr *e);
/* What raise raises: an exception class, or one called with a constant message. */
void kn_infer_exception(kn_infer_state *s, kn_expr *e);

/* infer_array.c */
/* Whether value (a number, or an array's items) may be written into items of type dtype. */
int kn_infer_storable(const kn_type *value, const kn_type *dtype);
const kn_type *kn_infer_array_subscript(kn_infer_state *s, kn_expr *e, const kn_type *t);
void kn_infer_array_store(kn_infer_state *s, kn_expr *target, const kn_type *container,
                          const kn_type *value, kn_loc loc);
void kn_infer_array_in_place(kn_infer_state *s, const kn_stmt *st, const kn_type *slot,
                             const kn_type *value);
const kn_type *kn_infer_array_attr(kn_infer_state *s, kn_expr *e, const kn_type *t);
const kn_type *kn_infer_array_method(kn_infer_state *s, kn_expr *e, const kn_type *t);
const kn_type *kn_infer_array_element(const kn_type *t);
const kn_type *kn_infer_reduction(kn_infer_state *s, kn_expr *e, kn_builtin id, const kn_type *t);
const kn_type *kn_infer_sum_type(const kn_type *dtype);
const kn_type *kn_infer_mean_type(const kn_type *dtype);
/* A number NumPy would see is below zero: a negative constant, or a negated number. */
int kn_infer_negative(const kn_expr *e);
/* np.dot(a, b) and a @ b of arrays of types a and b: a number or an array. */
const kn_type *kn_infer_dot(kn_infer_state *s, kn_expr *e, const kn_type *a, const kn_type *b);
/* An elementwise result: an array of dtype with the most dimensions of the operand types. */
const kn_type *kn_infer_elementwise(const kn_type *dtype, const kn_type *const *types, int n);

/* infer_numpy.c: np.zeros, np.arange, np.sum, np.dot, ... by the builtin id they resolved to */
const kn_type *kn_infer_numpy(kn_infer_state *s, kn_expr *e, kn_builtin id, const char *name);
/* Argument pos of a call, or its keyword name; NULL when not given. */
kn_expr *kn_infer_argument(kn_expr *e, int pos, const char *name);
/* A dtype argument: np.float64, float, 'float32', a.dtype. NULL after an error. */
const kn_type *kn_infer_dtype_argument(kn_infer_state *s, kn_expr *d);

/* infer_cuda.c: kiln.cuda inside kernels (see compiler/cuda_intrinsics.h) */
/* The row of a kiln.cuda intrinsic object, or NULL for any other object. */
const struct kn_cuda_intrinsic *kn_infer_cuda_intrinsic(PyObject *obj);
const kn_type *kn_infer_cuda_call(kn_infer_state *s, kn_expr *e,
                                  const struct kn_cuda_intrinsic *c);
/* threadIdx.x and the like: e, the ATTR, becomes a call of the register. */
const kn_type *kn_infer_cuda_attr(kn_infer_state *s, kn_expr *e);

#endif
