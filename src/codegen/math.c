/* math functions and numpy's scalar ufuncs: intrinsics or libm, with math's errors. */
#include <stdio.h>

#include "codegen/cg.h"
#include "compiler/infer.h"
#include "runtime/arith.h"
#include "runtime/raise.h"

/*
 * How the math module reports a bad result (CPython's math_1 and friends):
 * NaN from numbers is a domain error (ValueError), an infinity from finite
 * numbers is a range error (OverflowError) for functions that can
 * overflow and a domain error for the rest (log1p(-1)).
 *
 * Where the arguments that fail are known in closed form (log: x <= 0,
 * sqrt: x < 0), the lowering tests the argument instead of the result: the
 * test then does not wait for the function, and LLVM drops it where it
 * knows the argument's range (math.sqrt(i) for i in a range never tests).
 * With fastmath, LLVM assumes no NaN or infinity and drops the tests on
 * them (math.sin(inf) is NaN there); tests of sign and magnitude stay.
 */
typedef enum check {
    CHECK_NONE,
    CHECK_DOMAIN,   /* NaN or an infinity out of finite numbers: ValueError (see outside_domain) */
    CHECK_OVERFLOW, /* NaN: ValueError; an infinity out of finite numbers: OverflowError */
    CHECK_LOG,      /* x <= 0: ValueError */
    CHECK_POLE, /* gamma, lgamma: 0 and finite negative integers are ValueError, then CHECK_OVERFLOW
                 */
    CHECK_POW,  /* math.pow: 0 to a negative power is ValueError, then CHECK_OVERFLOW */
} check;

/* How a function computes (math_functions.h). */
typedef enum how {
    HOW_INTRINSIC, /* llvm.<fn>, overloaded on the float type */
    HOW_LIBM,      /* the double function <fn>; float32 adds "f" */
    HOW_TEST,      /* isnan, isinf, isfinite: comparisons, in classify */
} how;

typedef struct math_fn {
    kn_builtin id;
    how how;
    const char *fn;
    check check;
} math_fn;

#define FUNCTION_ROW(id, math, numpy, math_rule, numpy_rule, how, fn, check)                       \
    {KN_BI_##id, HOW_##how, #fn, CHECK_##check},

static const math_fn functions[] = {KN_MATH_FUNCTIONS(FUNCTION_ROW)};

static const math_fn *find(kn_builtin id)
{
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (functions[i].id == id)
            return &functions[i];
    return NULL;
}

static LLVMValueRef fcmp(kn_cg *cg, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b)
{
    return kn_cg_fast(cg, LLVMBuildFCmp(cg->b, p, a, b, ""));
}

static LLVMValueRef fconst(LLVMValueRef like, double v)
{
    return LLVMConstReal(LLVMTypeOf(like), v);
}

static LLVMValueRef is_nan(kn_cg *cg, LLVMValueRef x)
{
    return fcmp(cg, LLVMRealUNO, x, x);
}

static LLVMValueRef is_inf(kn_cg *cg, LLVMValueRef x)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    return fcmp(cg, LLVMRealOEQ, kn_cg_intrinsic(cg, "llvm.fabs", &t, 1, &x, 1),
                fconst(x, __builtin_inf()));
}

static LLVMValueRef is_finite(kn_cg *cg, LLVMValueRef x)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    return fcmp(cg, LLVMRealONE, kn_cg_intrinsic(cg, "llvm.fabs", &t, 1, &x, 1),
                fconst(x, __builtin_inf()));
}

static LLVMValueRef all(kn_cg *cg, LLVMValueRef (*test)(kn_cg *, LLVMValueRef), LLVMValueRef *xs,
                        int n)
{
    LLVMValueRef r = test(cg, xs[0]);
    for (int i = 1; i < n; i++)
        r = LLVMBuildAnd(cg->b, r, test(cg, xs[i]), "");
    return r;
}

static LLVMValueRef not_nan(kn_cg *cg, LLVMValueRef x)
{
    return fcmp(cg, LLVMRealORD, x, x);
}

// math_1's rule: NaN out of numbers, or an infinity out of finite numbers, is an error
static void check_result(kn_cg *cg, LLVMValueRef r, LLVMValueRef *args, int n, int can_overflow)
{
    LLVMValueRef nan = LLVMBuildAnd(cg->b, is_nan(cg, r), all(cg, not_nan, args, n), "");
    kn_cg_raise_if(cg, nan, KN_RT_VALUE_ERROR, "math domain error");
    LLVMValueRef inf = LLVMBuildAnd(cg->b, is_inf(cg, r), all(cg, is_finite, args, n), "");
    kn_cg_raise_if(cg, inf, can_overflow ? KN_RT_OVERFLOW_ERROR : KN_RT_VALUE_ERROR,
                   can_overflow ? "math range error" : "math domain error");
}

/*
 * The arguments a CHECK_DOMAIN function fails on, where math_1 would see
 * NaN or an infinity out of a number: sqrt(-0.0) is -0.0 and no error,
 * NaN in gives NaN out and no error, as in Python. NULL: no closed form
 * is known, the result is checked instead.
 */
static LLVMValueRef outside_domain(kn_cg *cg, kn_builtin id, LLVMValueRef x)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    switch (id) {
    case KN_BI_SQRT:
        return fcmp(cg, LLVMRealOLT, x, fconst(x, 0.0));
    case KN_BI_LOG1P:
        return fcmp(cg, LLVMRealOLE, x, fconst(x, -1.0)); /* log1p(-1) is -inf */
    case KN_BI_SIN:
    case KN_BI_COS:
    case KN_BI_TAN: /* tan of a finite double is finite: no double is that close to pi/2 */
        return is_inf(cg, x);
    case KN_BI_ASIN:
    case KN_BI_ACOS:
        return fcmp(cg, LLVMRealOGT, kn_cg_intrinsic(cg, "llvm.fabs", &t, 1, &x, 1),
                    fconst(x, 1.0));
    default:
        return NULL;
    }
}

/*
 * The arguments that fail before the call: out of the domain, log of
 * x <= 0, gamma at a pole, 0.0 ** negative; NULL where none are tested.
 */
static LLVMValueRef bad_arguments(kn_cg *cg, const math_fn *fn, LLVMValueRef *args)
{
    LLVMValueRef x = args[0], zero = fconst(x, 0.0), bad;
    switch (fn->check) {
    case CHECK_DOMAIN:
        return outside_domain(cg, fn->id, x);
    case CHECK_LOG:
        return fcmp(cg, LLVMRealOLE, x, zero);
    case CHECK_POLE: {
        LLVMTypeRef t = LLVMTypeOf(x);
        LLVMValueRef whole =
            fcmp(cg, LLVMRealOEQ, kn_cg_intrinsic(cg, "llvm.floor", &t, 1, &x, 1), x);
        bad = LLVMBuildAnd(cg->b, fcmp(cg, LLVMRealOLE, x, zero), whole, "");
        return LLVMBuildAnd(cg->b, bad, is_finite(cg, x), ""); /* lgamma(-inf) is inf */
    }
    case CHECK_POW:
        bad = LLVMBuildAnd(cg->b, fcmp(cg, LLVMRealOEQ, x, zero),
                           fcmp(cg, LLVMRealOLT, args[1], zero), "");
        return LLVMBuildAnd(cg->b, bad, is_finite(cg, args[1]), "");
    default:
        return NULL;
    }
}

/* Raises ValueError for bad arguments; returns the test, NULL where there is none. */
static LLVMValueRef check_arguments(kn_cg *cg, const math_fn *fn, LLVMValueRef *args)
{
    LLVMValueRef bad = bad_arguments(cg, fn, args);
    if (bad)
        kn_cg_raise_if(cg, bad, KN_RT_VALUE_ERROR, "math domain error");
    return bad;
}

/* Whether the result needs math_1's check after the arguments' (bad: their test, or NULL). */
static int check_result_too(check c, LLVMValueRef bad)
{
    return c == CHECK_OVERFLOW || c == CHECK_POLE || c == CHECK_POW || (c == CHECK_DOMAIN && !bad);
}

static LLVMValueRef apply(kn_cg *cg, const math_fn *fn, LLVMValueRef *args, int n)
{
    LLVMTypeRef t = LLVMTypeOf(args[0]);
    int single = LLVMGetTypeKind(t) == LLVMFloatTypeKind;
    char name[32];
    if (fn->how == HOW_INTRINSIC) {
        snprintf(name, sizeof name, "llvm.%s", fn->fn);
        return kn_cg_intrinsic(cg, name, &t, 1, args, n);
    }
    /* On the GPU, libdevice's: __nv_sin, __nv_sinf (linked in by src/jit/ptx.c). */
    snprintf(name, sizeof name, "%s%s%s", cg->gpu ? "__nv_" : "", fn->fn, single ? "f" : "");
    LLVMTypeRef params[] = {t, t};
    return kn_cg_fast(cg, kn_cg_call(cg, kn_cg_declare_pure(cg, name, t, params, n), args, n));
}

// math.isnan(x) | math.isinf(x) | math.isfinite(x)
static LLVMValueRef classify(kn_cg *cg, kn_builtin id, LLVMValueRef x)
{
    if (id == KN_BI_ISNAN)
        return is_nan(cg, x);
    return id == KN_BI_ISINF ? is_inf(cg, x) : is_finite(cg, x);
}

/*
 * math.log(x, base): log(x) / log(base), each logarithm checked as math.log
 * checks its argument, then the division as Python's: base 1 divides by zero.
 */
static LLVMValueRef log_base(kn_cg *cg, LLVMValueRef *args)
{
    const math_fn *log = find(KN_BI_LOG);
    LLVMValueRef logs[2];
    for (int i = 0; i < 2; i++) {
        check_arguments(cg, log, &args[i]);
        logs[i] = apply(cg, log, &args[i], 1);
    }
    kn_cg_raise_if(cg, fcmp(cg, LLVMRealOEQ, logs[1], fconst(logs[1], 0.0)),
                   KN_RT_ZERO_DIVISION_ERROR, "float division by zero");
    return kn_cg_fast(cg, LLVMBuildFDiv(cg->b, logs[0], logs[1], ""));
}

/*
 * The operands in the result's float type (np.sqrt of int8 items is
 * float32); for other results in float32 when all are float32, else float64.
 */
static const kn_type *argument_type(const kn_expr *e)
{
    if (e->type->kind == KN_FLOAT)
        return e->type;
    for (int i = 0; i < e->noperands; i++)
        if (e->operands[i]->type != kn_type_float(32))
            return kn_type_float(64);
    return kn_type_float(32);
}

static LLVMValueRef evaluate(kn_cg *cg, const kn_expr *e, const kn_type *t, LLVMValueRef *args)
{
    kn_builtin id = (kn_builtin)e->ival;
    const math_fn *fn = find(id);
    if (!fn)
        return kn_cg_fail(cg, e->loc, "this math function cannot be compiled yet");
    if (fn->how == HOW_TEST)
        return classify(cg, id, args[0]);
    if (id == KN_BI_LOG && e->noperands == 2)
        return kn_cg_cast(cg, log_base(cg, args), t, e->type);
    if (cg->numpy_math) /* NumPy's ufuncs give NaN or inf where math raises */
        return kn_cg_cast(cg, apply(cg, fn, args, e->noperands), t, e->type);
    LLVMValueRef bad = check_arguments(cg, fn, args);
    LLVMValueRef r = apply(cg, fn, args, e->noperands);
    if (check_result_too(fn->check, bad))
        check_result(cg, r, args, e->noperands, fn->check != CHECK_DOMAIN);
    return kn_cg_cast(cg, r, t, e->type);
}

/* np.sqrt(z) and the other ufuncs of a complex number: the runtime's C99 functions. */
static LLVMValueRef complex_math(kn_cg *cg, const kn_expr *e)
{
    static const kn_builtin ids[] = {
        [KN_RT_CSQRT] = KN_BI_SQRT, [KN_RT_CEXP] = KN_BI_EXP,   [KN_RT_CLOG] = KN_BI_LOG,
        [KN_RT_CSIN] = KN_BI_SIN,   [KN_RT_CCOS] = KN_BI_COS,   [KN_RT_CTAN] = KN_BI_TAN,
        [KN_RT_CSINH] = KN_BI_SINH, [KN_RT_CCOSH] = KN_BI_COSH, [KN_RT_CTANH] = KN_BI_TANH,
    };
    int f = 0;
    while (f < (int)(sizeof ids / sizeof ids[0]) && ids[f] != (kn_builtin)e->ival)
        f++;
    if (cg->gpu || f == sizeof ids / sizeof ids[0])
        return kn_cg_fail(cg, e->loc, "this function of a complex number cannot be compiled here");
    LLVMValueRef z = kn_cg_expr_as(cg, e->operands[0], kn_type_complex128());
    if (!z)
        return NULL;
    LLVMTypeRef f64 = LLVMDoubleTypeInContext(cg->ctx), i32 = LLVMInt32TypeInContext(cg->ctx);
    LLVMTypeRef params[] = {i32, f64, f64, LLVMPointerTypeInContext(cg->ctx, 0)};
    LLVMValueRef fn =
        kn_cg_declare(cg, "kn_rt_cmath", LLVMVoidTypeInContext(cg->ctx), params, 4);
    LLVMValueRef out = kn_cg_complex_slot(cg);
    LLVMValueRef args[] = {LLVMConstInt(i32, (unsigned)f, 0),
                           LLVMBuildExtractValue(cg->b, z, 0, ""),
                           LLVMBuildExtractValue(cg->b, z, 1, ""), out};
    kn_cg_call(cg, fn, args, 4);
    return kn_cg_complex_from(cg, out);
}

// math.sqrt(x), math.atan2(y, x), ... (math.floor/ceil/trunc give ints: NaN and infinities raise)
LLVMValueRef kn_cg_math(kn_cg *cg, const kn_expr *e)
{
    if (e->type->kind == KN_COMPLEX)
        return complex_math(cg, e);
    const kn_type *t = argument_type(e);
    LLVMValueRef args[e->noperands > 0 ? e->noperands : 1];
    for (int i = 0; i < e->noperands; i++)
        if (!(args[i] = kn_cg_expr_as(cg, e->operands[i], t)))
            return NULL;
    kn_builtin id = (kn_builtin)e->ival;
    int to_int = e->type->kind == KN_INT || e->type->kind == KN_UINT;
    if (to_int && (id == KN_BI_FLOOR || id == KN_BI_CEIL || id == KN_BI_TRUNC))
        return kn_cg_float_to_int(cg, apply(cg, find(id), args, 1), e->type);
    return evaluate(cg, e, t, args);
}
