/* Python's builtins in compiled code: int, float, abs, min, max, round, divmod, len... */
#include "codegen/cg.h"
#include "compiler/infer.h"
#include "runtime/raise.h"

LLVMValueRef kn_cg_float_to_int(kn_cg *cg, LLVMValueRef x, const kn_type *to)
{
    LLVMTypeRef f64 = LLVMDoubleTypeInContext(cg->ctx), i64 = LLVMInt64TypeInContext(cg->ctx);
    x = LLVMBuildFPExt(cg->b, x, f64, "");
    if (cg->gpu) /* no exceptions on the device: NaN and overflow are undefined, as in Numba */
        return kn_cg_cast(cg, LLVMBuildFPToSI(cg->b, x, i64, ""), kn_type_int(64), to);
    LLVMValueRef magnitude = kn_cg_intrinsic(cg, "llvm.fabs", &f64, 1, &x, 1);
    /* Unordered: NaN takes the slow path too, which raises. */
    LLVMValueRef outside =
        LLVMBuildFCmp(cg->b, LLVMRealUGE, magnitude, kn_cg_f64(cg, 9223372036854775808.0), "");
    LLVMBasicBlockRef slow = kn_cg_block(cg, "int.slow"), fast = kn_cg_block(cg, "int.fast");
    LLVMBasicBlockRef done = kn_cg_block(cg, "int.done");
    kn_cg_unlikely(cg, LLVMBuildCondBr(cg->b, outside, slow, fast));
    LLVMValueRef values[2];
    LLVMBasicBlockRef from[2];
    kn_cg_enter(cg, fast);
    values[0] = LLVMBuildFPToSI(cg->b, x, i64, "");
    from[0] = fast;
    LLVMBuildBr(cg->b, done);
    kn_cg_enter(cg, slow);
    LLVMTypeRef params[] = {f64, LLVMPointerTypeInContext(cg->ctx, 0)};
    LLVMValueRef fn =
        kn_cg_declare(cg, "kn_rt_float_to_int", LLVMInt32TypeInContext(cg->ctx), params, 2);
    LLVMValueRef out = kn_cg_alloca(cg, i64, "int");
    kn_cg_check_status(cg, kn_cg_call(cg, fn, (LLVMValueRef[]){x, out}, 2));
    values[1] = LLVMBuildLoad2(cg->b, i64, out, "");
    from[1] = LLVMGetInsertBlock(cg->b);
    LLVMBuildBr(cg->b, done);
    kn_cg_enter(cg, done);
    return kn_cg_cast(cg, kn_cg_phi(cg, i64, values, from, 2), kn_type_int(64), to);
}

// int(x) | float(x) | bool(x) | complex(x) | np.float32(x) ...: a float to an integer truncates
static LLVMValueRef convert(kn_cg *cg, const kn_expr *e)
{
    if (e->noperands == 0)
        return LLVMConstNull(kn_cg_type(cg, e->type)); /* int() is 0, float() 0.0 */
    const kn_expr *x = e->operands[0];
    LLVMValueRef v = kn_cg_expr(cg, x);
    if (v && x->type->kind == KN_FLOAT && (e->type->kind == KN_INT || e->type->kind == KN_UINT))
        return kn_cg_float_to_int(cg, v, e->type);
    return v ? kn_cg_cast(cg, v, x->type, e->type) : NULL;
}

// complex(x) | complex(re, im)
static LLVMValueRef complex_call(kn_cg *cg, const kn_expr *e)
{
    if (e->noperands == 1)
        return kn_cg_expr_as(cg, e->operands[0], e->type);
    LLVMValueRef re = kn_cg_expr_as(cg, e->operands[0], kn_type_float(64));
    LLVMValueRef im = re ? kn_cg_expr_as(cg, e->operands[1], kn_type_float(64)) : NULL;
    return im ? kn_cg_complex(cg, re, im) : NULL;
}

// abs(x): a complex number's magnitude is hypot(re, im), as CPython computes it
static LLVMValueRef absolute(kn_cg *cg, const kn_expr *e)
{
    const kn_expr *x = e->operands[0];
    LLVMValueRef v = kn_cg_expr(cg, x);
    if (!v)
        return NULL;
    LLVMTypeRef f64 = LLVMDoubleTypeInContext(cg->ctx);
    if (x->type->kind == KN_COMPLEX) {
        LLVMValueRef fn = kn_cg_declare_pure(cg, "hypot", f64, (LLVMTypeRef[]){f64, f64}, 2);
        LLVMValueRef parts[] = {LLVMBuildExtractValue(cg->b, v, 0, ""),
                                LLVMBuildExtractValue(cg->b, v, 1, "")};
        return kn_cg_cast(cg, kn_cg_call(cg, fn, parts, 2), kn_type_float(64), e->type);
    }
    if (!(v = kn_cg_cast(cg, v, x->type, e->type)))
        return NULL;
    LLVMTypeRef t = LLVMTypeOf(v);
    if (e->type->kind == KN_INT) /* abs(INT64_MIN) wraps to itself, hence no poison flag */
        return kn_cg_intrinsic(
            cg, "llvm.abs", &t, 1,
            (LLVMValueRef[]){v, LLVMConstInt(LLVMInt1TypeInContext(cg->ctx), 0, 0)}, 2);
    if (e->type->kind == KN_FLOAT)
        return kn_cg_intrinsic(cg, "llvm.fabs", &t, 1, &v, 1);
    return v;
}

/*
 * min(a, b, ...) | max(a, b, ...): as Python's loop does it, an item
 * replaces the best so far only when strictly better, so the first of
 * equal items wins and a NaN only where it comes first.
 */
static LLVMValueRef extremum(kn_cg *cg, const kn_expr *e, kn_op better)
{
    LLVMValueRef best = kn_cg_expr_as(cg, e->operands[0], e->type);
    for (int i = 1; i < e->noperands && best; i++) {
        LLVMValueRef v = kn_cg_expr_as(cg, e->operands[i], e->type);
        LLVMValueRef wins = v ? kn_cg_compare(cg, better, v, e->type, best, e->type) : NULL;
        best = wins ? LLVMBuildSelect(cg->b, wins, v, best, "") : NULL;
    }
    return best;
}

// round(x, ndigits): floats through CPython's exact decimal rounding, ints to a multiple of
// 10**-ndigits
static LLVMValueRef round_digits(kn_cg *cg, const kn_expr *e, LLVMValueRef x, const kn_type *t)
{
    LLVMTypeRef f64 = LLVMDoubleTypeInContext(cg->ctx), i64 = LLVMInt64TypeInContext(cg->ctx);
    LLVMValueRef nd = kn_cg_expr_as(cg, e->operands[1], kn_type_int(64));
    if (!nd)
        return NULL;
    if (t->kind != KN_FLOAT) {
        LLVMValueRef fn =
            kn_cg_declare_pure(cg, "kn_rt_round_int", i64, (LLVMTypeRef[]){i64, i64}, 2);
        LLVMValueRef r =
            kn_cg_call(cg, fn, (LLVMValueRef[]){kn_cg_cast(cg, x, t, kn_type_int(64)), nd}, 2);
        return kn_cg_cast(cg, r, kn_type_int(64), e->type);
    }
    LLVMTypeRef params[] = {f64, i64, LLVMPointerTypeInContext(cg->ctx, 0)};
    LLVMValueRef fn =
        kn_cg_declare(cg, "kn_rt_round_ndigits", LLVMInt32TypeInContext(cg->ctx), params, 3);
    LLVMValueRef out = kn_cg_alloca(cg, f64, "rounded");
    LLVMValueRef args[] = {LLVMBuildFPExt(cg->b, x, f64, ""), nd, out};
    kn_cg_check_status(cg, kn_cg_call(cg, fn, args, 3));
    return kn_cg_cast(cg, LLVMBuildLoad2(cg->b, f64, out, ""), kn_type_float(64), e->type);
}

// round(x): half to even, to an int | round(x, ndigits)
static LLVMValueRef round_call(kn_cg *cg, const kn_expr *e)
{
    const kn_expr *x = e->operands[0];
    LLVMValueRef v = kn_cg_expr(cg, x);
    if (!v)
        return NULL;
    if (e->noperands == 2)
        return round_digits(cg, e, v, x->type);
    if (x->type->kind != KN_FLOAT)
        return kn_cg_cast(cg, v, x->type, e->type);
    LLVMTypeRef t = LLVMTypeOf(v);
    return kn_cg_float_to_int(cg, kn_cg_intrinsic(cg, "llvm.roundeven", &t, 1, &v, 1), e->type);
}

// pow(a, b): a ** b
static LLVMValueRef pow_call(kn_cg *cg, const kn_expr *e)
{
    const kn_expr *a = e->operands[0], *b = e->operands[1];
    LLVMValueRef av = kn_cg_expr(cg, a);
    LLVMValueRef bv = av ? kn_cg_expr(cg, b) : NULL;
    return bv ? kn_cg_binary(cg, KN_OP_POW, av, a->type, bv, b->type, e->type) : NULL;
}

// divmod(a, b): (a // b, a % b), one zero check with Python's divmod message
static LLVMValueRef divmod_call(kn_cg *cg, const kn_expr *e)
{
    const kn_type *t = e->type->fields[0];
    LLVMValueRef a = kn_cg_expr_as(cg, e->operands[0], t);
    LLVMValueRef b = a ? kn_cg_expr_as(cg, e->operands[1], t) : NULL;
    if (!b)
        return NULL;
    LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(b)), q, r;
    if (t->kind == KN_FLOAT) {
        kn_cg_raise_if(cg, LLVMBuildFCmp(cg->b, LLVMRealOEQ, b, zero, ""),
                       KN_RT_ZERO_DIVISION_ERROR, "float divmod()");
        q = kn_cg_float_divmod(cg, a, b, 0);
        r = kn_cg_float_divmod(cg, a, b, 1);
    } else {
        kn_cg_raise_if(cg, LLVMBuildICmp(cg->b, LLVMIntEQ, b, zero, ""), KN_RT_ZERO_DIVISION_ERROR,
                       "integer division or modulo by zero");
        q = kn_cg_int_floordiv(cg, a, b, t->kind == KN_INT, 0);
        r = kn_cg_int_floordiv(cg, a, b, t->kind == KN_INT, 1);
    }
    LLVMValueRef pair = LLVMGetUndef(kn_cg_type(cg, e->type));
    pair = LLVMBuildInsertValue(cg->b, pair, q, 0, "");
    return LLVMBuildInsertValue(cg->b, pair, r, 1, "");
}

// len(t) of a tuple: its size, known at compile time (t is still evaluated); len(a): a.shape[0]
static LLVMValueRef len_call(kn_cg *cg, const kn_expr *e)
{
    const kn_expr *t = e->operands[0];
    LLVMValueRef v = kn_cg_expr(cg, t);
    if (!v)
        return NULL;
    if (t->type->kind == KN_ARRAY)
        return kn_cg_array_dim(cg, v, 0);
    return LLVMConstInt(kn_cg_type(cg, e->type), (unsigned long long)t->type->nfields, 0);
}

// z.conjugate(): the imaginary part negated; a real number is its own conjugate
static LLVMValueRef conjugate(kn_cg *cg, const kn_expr *e)
{
    const kn_expr *z = e->value->value;
    LLVMValueRef v = kn_cg_expr(cg, z);
    if (!v || z->type->kind != KN_COMPLEX)
        return v ? kn_cg_cast(cg, v, z->type, e->type) : NULL;
    LLVMValueRef im = LLVMBuildFNeg(cg->b, LLVMBuildExtractValue(cg->b, v, 1, ""), "");
    return LLVMBuildInsertValue(cg->b, v, im, 1, "");
}

LLVMValueRef kn_cg_builtin(kn_cg *cg, const kn_expr *e)
{
    switch ((kn_builtin)e->ival) {
    case KN_BI_CAST:
        return convert(cg, e);
    case KN_BI_COMPLEX:
        return complex_call(cg, e);
    case KN_BI_ABS:
        return absolute(cg, e);
    case KN_BI_MIN:
        return extremum(cg, e, KN_OP_LT);
    case KN_BI_MAX:
        return extremum(cg, e, KN_OP_GT);
    case KN_BI_ROUND:
        return round_call(cg, e);
    case KN_BI_POW:
        return pow_call(cg, e);
    case KN_BI_DIVMOD:
        return divmod_call(cg, e);
    case KN_BI_LEN:
        return len_call(cg, e);
    case KN_BI_CONJUGATE:
        return conjugate(cg, e);
    default:
        return kn_cg_fail(cg, e->loc, "this builtin cannot be compiled yet");
    }
}
