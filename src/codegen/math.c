/* math functions and numpy's scalar ufuncs: intrinsics or libm, with math's errors. */
#include <string.h>

#include "codegen/cg.h"
#include "compiler/infer.h"
#include "runtime/raise.h"

/*
 * How the math module reports a bad result (CPython's math_1 and friends):
 * NaN from numbers is a domain error (ValueError), an infinity from finite
 * numbers is a range error (OverflowError) for functions that can
 * overflow and a domain error for the rest (log1p(-1)). With fastmath,
 * LLVM assumes no NaN or infinity and drops these checks itself.
 */
typedef enum check {
    CHECK_NONE,
    CHECK_DOMAIN,   /* NaN or an infinity out of finite numbers: ValueError */
    CHECK_OVERFLOW, /* NaN: ValueError; an infinity out of finite numbers: OverflowError */
    CHECK_LOG,      /* x <= 0: ValueError */
    CHECK_POLE, /* gamma, lgamma: 0 and finite negative integers are ValueError, then CHECK_OVERFLOW
                 */
    CHECK_POW,  /* math.pow: 0 to a negative power is ValueError, then CHECK_OVERFLOW */
} check;

typedef struct math_fn {
    kn_builtin id;
    const char *llvm; /* an intrinsic overloaded on the float type, or NULL */
    const char *libm; /* else the double function; float32 adds "f" */
    check check;
} math_fn;

static const math_fn functions[] = {
    {KN_BI_SQRT, "llvm.sqrt", NULL, CHECK_DOMAIN},
    {KN_BI_EXP, "llvm.exp", NULL, CHECK_OVERFLOW},
    {KN_BI_LOG, "llvm.log", NULL, CHECK_LOG},
    {KN_BI_LOG2, "llvm.log2", NULL, CHECK_LOG},
    {KN_BI_LOG10, "llvm.log10", NULL, CHECK_LOG},
    {KN_BI_LOG1P, NULL, "log1p", CHECK_DOMAIN},
    {KN_BI_EXPM1, NULL, "expm1", CHECK_OVERFLOW},
    {KN_BI_SIN, "llvm.sin", NULL, CHECK_DOMAIN},
    {KN_BI_COS, "llvm.cos", NULL, CHECK_DOMAIN},
    {KN_BI_TAN, NULL, "tan", CHECK_DOMAIN},
    {KN_BI_ASIN, NULL, "asin", CHECK_DOMAIN},
    {KN_BI_ACOS, NULL, "acos", CHECK_DOMAIN},
    {KN_BI_ATAN, NULL, "atan", CHECK_NONE},
    {KN_BI_ATAN2, NULL, "atan2", CHECK_NONE},
    {KN_BI_SINH, NULL, "sinh", CHECK_OVERFLOW},
    {KN_BI_COSH, NULL, "cosh", CHECK_OVERFLOW},
    {KN_BI_TANH, NULL, "tanh", CHECK_NONE},
    {KN_BI_FLOOR, "llvm.floor", NULL, CHECK_NONE},
    {KN_BI_CEIL, "llvm.ceil", NULL, CHECK_NONE},
    {KN_BI_TRUNC, "llvm.trunc", NULL, CHECK_NONE},
    {KN_BI_FABS, "llvm.fabs", NULL, CHECK_NONE},
    {KN_BI_COPYSIGN, "llvm.copysign", NULL, CHECK_NONE},
    {KN_BI_HYPOT, NULL, "hypot", CHECK_NONE},
    {KN_BI_FPOW, "llvm.pow", NULL, CHECK_POW},
    {KN_BI_ERF, NULL, "erf", CHECK_NONE},
    {KN_BI_ERFC, NULL, "erfc", CHECK_NONE},
    {KN_BI_GAMMA, NULL, "tgamma", CHECK_POLE},
    {KN_BI_LGAMMA, NULL, "lgamma", CHECK_POLE},
};

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

// the checks before the call: log of x <= 0, gamma at a pole, 0.0 ** negative
static void check_arguments(kn_cg *cg, check c, LLVMValueRef *args)
{
    LLVMValueRef x = args[0], zero = fconst(x, 0.0), bad;
    if (c == CHECK_LOG) {
        bad = fcmp(cg, LLVMRealOLE, x, zero);
    } else if (c == CHECK_POLE) {
        LLVMTypeRef t = LLVMTypeOf(x);
        LLVMValueRef whole =
            fcmp(cg, LLVMRealOEQ, kn_cg_intrinsic(cg, "llvm.floor", &t, 1, &x, 1), x);
        bad = LLVMBuildAnd(cg->b, fcmp(cg, LLVMRealOLE, x, zero), whole, "");
        bad = LLVMBuildAnd(cg->b, bad, is_finite(cg, x), ""); /* lgamma(-inf) is inf */
    } else if (c == CHECK_POW) {
        bad = LLVMBuildAnd(cg->b, fcmp(cg, LLVMRealOEQ, x, zero),
                           fcmp(cg, LLVMRealOLT, args[1], zero), "");
        bad = LLVMBuildAnd(cg->b, bad, is_finite(cg, args[1]), "");
    } else {
        return;
    }
    kn_cg_raise_if(cg, bad, KN_RT_VALUE_ERROR, "math domain error");
}

static LLVMValueRef apply(kn_cg *cg, const math_fn *fn, LLVMValueRef *args, int n)
{
    LLVMTypeRef t = LLVMTypeOf(args[0]);
    if (fn->llvm)
        return kn_cg_intrinsic(cg, fn->llvm, &t, 1, args, n);
    char name[32];
    strcpy(name, fn->libm);
    if (LLVMGetTypeKind(t) == LLVMFloatTypeKind)
        strcat(name, "f");
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

/* The operands in float32 when all are float32, otherwise in float64. */
static const kn_type *argument_type(const kn_expr *e)
{
    for (int i = 0; i < e->noperands; i++)
        if (e->operands[i]->type != kn_type_float(32))
            return kn_type_float(64);
    return kn_type_float(32);
}

static LLVMValueRef evaluate(kn_cg *cg, const kn_expr *e, const kn_type *t, LLVMValueRef *args)
{
    kn_builtin id = (kn_builtin)e->ival;
    if (id == KN_BI_ISNAN || id == KN_BI_ISINF || id == KN_BI_ISFINITE)
        return classify(cg, id, args[0]);
    const math_fn *fn = find(id);
    if (!fn)
        return kn_cg_fail(cg, e->loc, "this math function cannot be compiled yet");
    check_arguments(cg, fn->check, args);
    LLVMValueRef r = apply(cg, fn, args, e->noperands);
    if (fn->check != CHECK_NONE && fn->check != CHECK_LOG)
        check_result(cg, r, args, e->noperands, fn->check != CHECK_DOMAIN);
    return kn_cg_cast(cg, r, t, e->type);
}

// math.sqrt(x), math.atan2(y, x), ... (math.floor/ceil/trunc give ints: NaN and infinities raise)
LLVMValueRef kn_cg_math(kn_cg *cg, const kn_expr *e)
{
    const kn_type *t = argument_type(e);
    LLVMValueRef args[e->noperands > 0 ? e->noperands : 1];
    for (int i = 0; i < e->noperands; i++)
        if (!(args[i] = kn_cg_expr_as(cg, e->operands[i], t)))
            return NULL;
    kn_builtin id = (kn_builtin)e->ival;
    int to_int = e->type->kind == KN_INT || e->type->kind == KN_UINT;
    if (to_int && (id == KN_BI_FLOOR || id == KN_BI_CEIL || id == KN_BI_TRUNC)) {
        LLVMTypeRef ty = LLVMTypeOf(args[0]);
        return kn_cg_float_to_int(cg, kn_cg_intrinsic(cg, find(id)->llvm, &ty, 1, args, 1),
                                  e->type);
    }
    return evaluate(cg, e, t, args);
}
