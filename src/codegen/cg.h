/* Code generation's shared state, and the functions its files call on one another. */
#ifndef KN_CODEGEN_CG_H
#define KN_CODEGEN_CG_H

#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>

#include "compiler/ast.h"
#include "compiler/compile.h"

/*
 * Conventions of the native back end.
 *
 * Values: every expression lowers to an LLVM value of its kn_type, in
 * registers: bool is i1, integers iN, complex {double, double}, tuples
 * literal structs of their fields. In memory (the result slot of a native
 * entry) bool is i8 and tuples hold their fields' memory forms.
 *
 * Errors at compile time: a lowering function that meets something it
 * cannot compile raises kiln.TypingError with the location (kn_cg_fail)
 * and returns NULL, or -1 for statements; callers pass NULL on.
 *
 * Errors at run time: compiled code sets a Python exception through the
 * runtime (kn_rt_raise) and branches to the function's error block, which
 * returns status -1 (see func.c for the native calling convention).
 */

typedef struct kn_cg_loop kn_cg_loop;
struct kn_cg_loop {
    LLVMBasicBlockRef next; /* continue */
    LLVMBasicBlockRef done; /* break */
    kn_cg_loop *outer;
};

/* A slot holding a temporary's new reference (refs.c). */
typedef struct kn_cg_temp {
    LLVMValueRef slot;
    const kn_type *type;
    int live; /* created and not yet released by the statement being lowered */
} kn_cg_temp;

typedef struct kn_cg {
    const kn_func *f;
    const kn_signature *sig; /* the argument types being compiled */
    const kn_compile_options *opts;
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMBuilderRef b;
    const char *name;        /* the native entry's symbol */
    LLVMValueRef fn;         /* the native entry being lowered */
    LLVMValueRef out;        /* where it writes its result; NULL when it returns nothing */
    LLVMValueRef *slots;     /* one alloca per local, by kn_var.index */
    LLVMBasicBlockRef entry; /* holds the allocas */
    LLVMBasicBlockRef error; /* releases what the function holds, returns the error status */
    LLVMBasicBlockRef exit;  /* releases what the function holds, returns status 0 */
    kn_cg_temp *temps;       /* every temporary slot made so far (in the function's arena) */
    int ntemps, cap_temps;
    kn_cg_loop *loop;        /* the innermost loop being lowered */
    int numpy_math;          /* math on array items as NumPy's: NaN or inf, no error */
    int gpu;                 /* CUDA device code: no references or Python; errors trap */
    kn_loc loc;              /* the statement being lowered, for diagnostics */
    LLVMDIBuilderRef di;
    LLVMMetadataRef file;
    LLVMMetadataRef scope; /* the native entry's DISubprogram */
} kn_cg;

/* types.c: kn_types as LLVM types, conversions between them, truth */
LLVMTypeRef kn_cg_type(kn_cg *cg, const kn_type *t);
LLVMTypeRef kn_cg_mem_type(kn_cg *cg, const kn_type *t);
LLVMValueRef kn_cg_to_mem(kn_cg *cg, LLVMValueRef v, const kn_type *t);
LLVMValueRef kn_cg_from_mem(kn_cg *cg, LLVMValueRef v, const kn_type *t);
LLVMValueRef kn_cg_cast(kn_cg *cg, LLVMValueRef v, const kn_type *from, const kn_type *to);
LLVMValueRef kn_cg_truth(kn_cg *cg, LLVMValueRef v, const kn_type *t);
LLVMValueRef kn_cg_i64(kn_cg *cg, long long v);
LLVMValueRef kn_cg_f64(kn_cg *cg, double v);
LLVMValueRef kn_cg_complex(kn_cg *cg, LLVMValueRef re, LLVMValueRef im);
LLVMValueRef kn_cg_complex_slot(kn_cg *cg);                     /* [2 x double] the runtime fills */
LLVMValueRef kn_cg_complex_from(kn_cg *cg, LLVMValueRef slot); /* and the number in it */
int kn_cg_is_intlike(const kn_type *t); /* bool or an integer */

/* build.c: small builders shared by every file */
LLVMValueRef kn_cg_declare(kn_cg *cg, const char *name, LLVMTypeRef ret, LLVMTypeRef *params,
                           int n);
LLVMValueRef kn_cg_call(kn_cg *cg, LLVMValueRef fn, LLVMValueRef *args, int n);
/* A call to an overloaded intrinsic ("llvm.sqrt") for the overload types given. */
LLVMValueRef kn_cg_intrinsic(kn_cg *cg, const char *name, LLVMTypeRef *types, int ntypes,
                             LLVMValueRef *args, int n);
/*
 * for (i = 0; i < n; i++): kn_cg_count_begin returns i in the body, which
 * kn_cg_count_end closes. Loops a user wrote go through loop.c instead: they poll.
 */
typedef struct kn_cg_counter {
    LLVMValueRef slot;
    LLVMBasicBlockRef head, end;
} kn_cg_counter;
LLVMValueRef kn_cg_count_begin(kn_cg *cg, kn_cg_counter *c, LLVMValueRef n);
void kn_cg_count_end(kn_cg *cg, kn_cg_counter *c, LLVMValueRef i);
/* Tells LLVM that a p b holds here, so that it may drop the tests it implies. */
void kn_cg_assume(kn_cg *cg, LLVMIntPredicate p, LLVMValueRef a, LLVMValueRef b);
/* A function that neither reads nor writes memory (libm without errno, pure helpers): LLVM may
 * hoist its calls. */
LLVMValueRef kn_cg_declare_pure(kn_cg *cg, const char *name, LLVMTypeRef ret, LLVMTypeRef *params,
                                int n);
LLVMValueRef kn_cg_fast(kn_cg *cg, LLVMValueRef v); /* fast-math flags when the options ask */
LLVMValueRef kn_cg_phi(kn_cg *cg, LLVMTypeRef t, LLVMValueRef *values, LLVMBasicBlockRef *blocks,
                       int n);
LLVMBasicBlockRef kn_cg_block(kn_cg *cg, const char *name);
void kn_cg_enter(kn_cg *cg, LLVMBasicBlockRef bb);
int kn_cg_terminated(kn_cg *cg); /* the current block already ends (return, break, raise) */
LLVMValueRef kn_cg_alloca(kn_cg *cg, LLVMTypeRef t, const char *name);
LLVMValueRef kn_cg_string(kn_cg *cg, const char *s);
void *kn_cg_fail(kn_cg *cg, kn_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* refs.c: who owns array references (see there) */
int kn_cg_has_refs(const kn_type *t); /* an array, or a tuple holding one */
void kn_cg_retain(kn_cg *cg, LLVMValueRef v, const kn_type *t);
void kn_cg_release(kn_cg *cg, LLVMValueRef v, const kn_type *t);
/* v is a new reference: a temporary slot keeps it until the statement is done. Returns v. */
LLVMValueRef kn_cg_own(kn_cg *cg, LLVMValueRef v, const kn_type *t);
/* Releases the temporaries made since mark (cg->ntemps then); nothing if the block ended. */
void kn_cg_release_temps(kn_cg *cg, int mark);
void kn_cg_store_owned(kn_cg *cg, LLVMValueRef slot, LLVMValueRef v, const kn_type *t);
void kn_cg_release_all(kn_cg *cg);
LLVMValueRef kn_cg_null_slot(kn_cg *cg, const kn_type *t, const char *name);
/* Py_INCREF and Py_XDECREF, inline: object mode's references too. */
void kn_cg_incref(kn_cg *cg, LLVMValueRef obj);
void kn_cg_xdecref(kn_cg *cg, LLVMValueRef obj);

/* array.c: the array struct, shapes, strides, item addresses */
LLVMTypeRef kn_cg_array_type(kn_cg *cg, const kn_type *t);
int kn_cg_itemsize(const kn_type *dtype);
LLVMValueRef kn_cg_array_owner(kn_cg *cg, LLVMValueRef a);
LLVMValueRef kn_cg_array_data(kn_cg *cg, LLVMValueRef a);
LLVMValueRef kn_cg_array_dim(kn_cg *cg, LLVMValueRef a, int axis);
LLVMValueRef kn_cg_array_stride(kn_cg *cg, LLVMValueRef a, const kn_type *t, int axis);
LLVMValueRef kn_cg_array_size(kn_cg *cg, LLVMValueRef a, const kn_type *t);
LLVMValueRef kn_cg_array_make(kn_cg *cg, const kn_type *t, LLVMValueRef owner, LLVMValueRef data,
                              LLVMValueRef *shape, LLVMValueRef *strides);
void kn_cg_array_parts(kn_cg *cg, LLVMValueRef a, const kn_type *t, LLVMValueRef *shape,
                       LLVMValueRef *strides);
LLVMValueRef kn_cg_array_index(kn_cg *cg, LLVMValueRef index, const kn_type *it, LLVMValueRef dim,
                               int axis);
int kn_cg_folds_float_index(kn_cg *cg);
LLVMValueRef kn_cg_array_float_index(kn_cg *cg, LLVMValueRef x, LLVMValueRef dim, int axis);
LLVMValueRef kn_cg_array_item_ptr(kn_cg *cg, LLVMValueRef a, const kn_type *t, LLVMValueRef *idx,
                                  int n);
LLVMValueRef kn_cg_load_item(kn_cg *cg, LLVMValueRef ptr, const kn_type *dtype);
void kn_cg_store_item(kn_cg *cg, LLVMValueRef ptr, LLVMValueRef v, const kn_type *dtype);

/* subscript.c: a[i, j], views, stores into items and slices */
LLVMValueRef kn_cg_array_subscript(kn_cg *cg, const kn_expr *e);
int kn_cg_array_assign(kn_cg *cg, const kn_expr *target, LLVMValueRef v, const kn_type *t);
int kn_cg_array_augassign(kn_cg *cg, const kn_stmt *s);
/* Row j of a (0 <= j < len(a)): an item of a 1-d array, else a view of one less dimension. */
LLVMValueRef kn_cg_array_row(kn_cg *cg, LLVMValueRef a, const kn_type *t, LLVMValueRef j);
const kn_type *kn_cg_row_type(const kn_type *t); /* what iterating over t gives */
LLVMValueRef kn_cg_array_attr(kn_cg *cg, const kn_expr *e);

/* alloc.c: arrays compiled code makes (new references, owned by temporaries) */
/* An uninitialized C (or F) array of type t and the given shape. */
LLVMValueRef kn_cg_array_new(kn_cg *cg, const kn_type *t, LLVMValueRef *shape, int zero);
LLVMValueRef kn_cg_array_alloc_call(kn_cg *cg, const kn_expr *e);

/* elementwise.c: operators and ufuncs over arrays, with broadcasting */
/* e (BINARY, UNARY, COMPARE or a math CALL) of array type: a new array of e's items. */
LLVMValueRef kn_cg_elementwise(kn_cg *cg, const kn_expr *e);
/* dst[...] = src: src a number or an array broadcast to dst's shape. 0 or -1. */
int kn_cg_array_fill(kn_cg *cg, LLVMValueRef dst, const kn_type *dt, LLVMValueRef src,
                     const kn_type *st);
/*
 * Calls each(ctx, ptrs) for every position of shape (ndim axes), in C
 * order, with ptrs[i] the address of arrays[i]'s item there (NULL for a
 * NULL array); arrays of fewer axes or of length 1 on an axis broadcast.
 */
typedef void (*kn_cg_visit_fn)(kn_cg *cg, void *ctx, LLVMValueRef *ptrs);
void kn_cg_array_visit(kn_cg *cg, LLVMValueRef *arrays, const kn_type **types, int n,
                       LLVMValueRef *shape, int ndim, kn_cg_visit_fn each, void *ctx);
/* A ValueError naming the arrays' shapes when bad is true; what is a kn_rt_shapes. */
void kn_cg_shape_check(kn_cg *cg, LLVMValueRef bad, LLVMValueRef *arrays, const kn_type **types,
                       int n, int what);
/*
 * The broadcast shape of the array operands (NULL entries skipped), or a
 * ValueError. With into, arrays[0] is a store's target: the shape must be its.
 */
void kn_cg_broadcast_shape(kn_cg *cg, LLVMValueRef *arrays, const kn_type **types, int n,
                           LLVMValueRef *shape, int ndim, int into);

/* reduce.c: sum, min, max, mean, dot */
LLVMValueRef kn_cg_reduction(kn_cg *cg, const kn_expr *e);
LLVMValueRef kn_cg_dot(kn_cg *cg, const kn_expr *e);

/* raise.c: exceptions raised by compiled code */
void kn_cg_raise(kn_cg *cg, int kind, const char *msg);
void kn_cg_raise_if(kn_cg *cg, LLVMValueRef cond, int kind, const char *msg);
void kn_cg_unlikely(kn_cg *cg, LLVMValueRef condbr); /* its true edge is almost never taken */
/* To the error block when cond holds (an exception is already set), else on. */
void kn_cg_error_if(kn_cg *cg, LLVMValueRef cond);
void kn_cg_check_status(kn_cg *cg, LLVMValueRef status);

/* expr.c: expressions */
LLVMValueRef kn_cg_expr(kn_cg *cg, const kn_expr *e);
LLVMValueRef kn_cg_expr_as(kn_cg *cg, const kn_expr *e, const kn_type *t);
LLVMValueRef kn_cg_no_value(kn_cg *cg);

/* arith.c: unary and binary operators with Python's semantics */
LLVMValueRef kn_cg_binary(kn_cg *cg, kn_op op, LLVMValueRef l, const kn_type *lt, LLVMValueRef r,
                          const kn_type *rt, const kn_type *result);
LLVMValueRef kn_cg_unary(kn_cg *cg, kn_op op, LLVMValueRef v, const kn_type *t,
                         const kn_type *result);
LLVMValueRef kn_cg_int_floordiv(kn_cg *cg, LLVMValueRef a, LLVMValueRef b, int is_signed, int mod);
/* a % b == 0 on integers of type t (a and b already of it), with a % b's ZeroDivisionError. */
LLVMValueRef kn_cg_int_divides(kn_cg *cg, LLVMValueRef a, LLVMValueRef b, const kn_type *t);
LLVMValueRef kn_cg_float_divmod(kn_cg *cg, LLVMValueRef a, LLVMValueRef b, int mod);

/* compare.c: comparisons of numbers, chained */
LLVMValueRef kn_cg_compare(kn_cg *cg, kn_op op, LLVMValueRef l, const kn_type *lt, LLVMValueRef r,
                           const kn_type *rt);
LLVMValueRef kn_cg_compare_chain(kn_cg *cg, const kn_expr *e);

/* call.c, builtins.c, math.c: calls, by what inference resolved them to (the CALL's ival) */
LLVMValueRef kn_cg_call_expr(kn_cg *cg, const kn_expr *e);
LLVMValueRef kn_cg_builtin(kn_cg *cg, const kn_expr *e);
LLVMValueRef kn_cg_math(kn_cg *cg, const kn_expr *e);
/* int(x) for a float x: truncates; NaN and infinities raise as in Python; wraps past 64 bits. */
LLVMValueRef kn_cg_float_to_int(kn_cg *cg, LLVMValueRef x, const kn_type *to);

/* cuda.c: kiln.cuda in kernels (KN_BI_CUDA calls) */
LLVMValueRef kn_cg_cuda(kn_cg *cg, const kn_expr *e);
/* An intrinsic NVPTX cannot select (llvm.exp, llvm.pow, ...) as libdevice's call; else NULL. */
LLVMValueRef kn_cg_cuda_libdevice(kn_cg *cg, const char *intrinsic, LLVMTypeRef *types,
                                  int ntypes, LLVMValueRef *args, int n);

/* stmt.c and loop.c: statements */
int kn_cg_stmts(kn_cg *cg, const kn_block *block);
/* A condition's truth, its temporaries released before the branch. NULL after an error. */
LLVMValueRef kn_cg_condition(kn_cg *cg, const kn_expr *e);
int kn_cg_store(kn_cg *cg, const kn_expr *target, LLVMValueRef v, const kn_type *t);
int kn_cg_while(kn_cg *cg, const kn_stmt *s);
int kn_cg_for(kn_cg *cg, const kn_stmt *s);
void kn_cg_poll_interrupt(kn_cg *cg);

/* scan.c: what a body holds */
int kn_cg_may_run_long(const kn_block *block);
int kn_cg_recursive(const kn_func *f);

/* func.c: the native entry */
LLVMTypeRef kn_cg_native_type(kn_cg *cg, const kn_type *ret, const kn_type *const *args, int nargs);
LLVMValueRef kn_cg_native_call(kn_cg *cg, LLVMValueRef fn, LLVMTypeRef fty, const kn_type *ret,
                               LLVMValueRef *args, int nargs);
int kn_cg_define_native(kn_cg *cg);

/* wrapper.c: the Python entry, once the native entry cg->fn is defined */
void kn_cg_define_wrapper(kn_cg *cg, const char *name);

/*
 * lower.c: what every back end's lowering shares. cg has f, sig and opts
 * set; this adds the module, a builder and debug info, defines the native
 * entry (named as the module) and then the wrapper (that name plus
 * KN_CG_WRAPPER_SUFFIX), and verifies the module. 0, or -1 with an exception.
 */
int kn_cg_generate(kn_cg *cg, LLVMModuleRef mod, int (*define_native)(kn_cg *),
                   void (*define_wrapper)(kn_cg *, const char *));

/* debug.c: source lines in the IR and the assembly */
void kn_cg_debug_init(kn_cg *cg);
void kn_cg_debug_function(kn_cg *cg, LLVMValueRef fn);
void kn_cg_debug_at(kn_cg *cg, kn_loc loc);
void kn_cg_debug_finish(kn_cg *cg);

#endif
