/* Arithmetic with Python's semantics: sign rules, wrapping ints, ZeroDivisionError. */
#include "codegen/cg.h"
#include "runtime/raise.h"

/*
 * a // b (mod 0) or a % b (mod 1) for b != 0, rounding toward negative
 * infinity as Python does. INT64_MIN // -1 wraps instead of trapping: a
 * divisor of -1 divides by 1 and negates.
 */
LLVMValueRef kn_cg_int_floordiv(kn_cg *cg, LLVMValueRef a, LLVMValueRef b, int is_signed, int mod)
{
    LLVMBuilderRef B = cg->b;
    if (!is_signed)
        return mod ? LLVMBuildURem(B, a, b, "") : LLVMBuildUDiv(B, a, b, "");
    LLVMTypeRef t = LLVMTypeOf(a);
    LLVMValueRef zero = LLVMConstNull(t);
    LLVMValueRef minus1 = LLVMBuildICmp(B, LLVMIntEQ, b, LLVMConstAllOnes(t), "");
    LLVMValueRef d = LLVMBuildSelect(B, minus1, LLVMConstInt(t, 1, 0), b, "");
    LLVMValueRef r = LLVMBuildSRem(B, a, d, "");
    /* The remainder has the dividend's sign; Python's has the divisor's. */
    LLVMValueRef signs_differ = LLVMBuildICmp(B, LLVMIntSLT, LLVMBuildXor(B, r, b, ""), zero, "");
    LLVMValueRef adjust =
        LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntNE, r, zero, ""), signs_differ, "");
    if (mod)
        return LLVMBuildAdd(B, r, LLVMBuildSelect(B, adjust, b, zero, ""), "");
    LLVMValueRef q = LLVMBuildSDiv(B, a, d, "");
    q = LLVMBuildSelect(B, minus1, LLVMBuildSub(B, zero, a, ""), q, "");
    return LLVMBuildSub(B, q, LLVMBuildZExt(B, adjust, t, ""), "");
}

static LLVMValueRef fconst(LLVMValueRef like, double v)
{
    return LLVMConstReal(LLVMTypeOf(like), v);
}

/*
 * a // b (mod 0) or a % b (mod 1) for floats, b != 0: CPython's
 * float_floor_div and float_mod, step for step (fmod, then a sign fix,
 * then floor with a correction for inexact quotients, signed zeros).
 */
LLVMValueRef kn_cg_float_divmod(kn_cg *cg, LLVMValueRef a, LLVMValueRef b, int mod)
{
    LLVMBuilderRef B = cg->b;
    LLVMTypeRef t = LLVMTypeOf(a);
    LLVMValueRef zero = fconst(a, 0.0);
    LLVMValueRef m = kn_cg_fast(cg, LLVMBuildFRem(B, a, b, ""));
    LLVMValueRef m_nonzero = LLVMBuildFCmp(B, LLVMRealUNE, m, zero, "");
    LLVMValueRef signs_differ = LLVMBuildXor(B, LLVMBuildFCmp(B, LLVMRealOLT, b, zero, ""),
                                             LLVMBuildFCmp(B, LLVMRealOLT, m, zero, ""), "");
    LLVMValueRef fix = LLVMBuildAnd(B, m_nonzero, signs_differ, "");
    if (mod) {
        LLVMValueRef fixed =
            LLVMBuildSelect(B, fix, kn_cg_fast(cg, LLVMBuildFAdd(B, m, b, "")), m, "");
        LLVMValueRef signed_zero =
            kn_cg_intrinsic(cg, "llvm.copysign", &t, 1, (LLVMValueRef[]){zero, b}, 2);
        return LLVMBuildSelect(B, m_nonzero, fixed, signed_zero, "");
    }
    LLVMValueRef div =
        kn_cg_fast(cg, LLVMBuildFDiv(B, kn_cg_fast(cg, LLVMBuildFSub(B, a, m, "")), b, ""));
    div =
        LLVMBuildSelect(B, fix, kn_cg_fast(cg, LLVMBuildFSub(B, div, fconst(a, 1.0), "")), div, "");
    LLVMValueRef fl = kn_cg_intrinsic(cg, "llvm.floor", &t, 1, &div, 1);
    LLVMValueRef round_up = LLVMBuildFCmp(
        B, LLVMRealOGT, kn_cg_fast(cg, LLVMBuildFSub(B, div, fl, "")), fconst(a, 0.5), "");
    fl = LLVMBuildSelect(B, round_up, kn_cg_fast(cg, LLVMBuildFAdd(B, fl, fconst(a, 1.0), "")), fl,
                         "");
    LLVMValueRef quotient = kn_cg_fast(cg, LLVMBuildFDiv(B, a, b, ""));
    LLVMValueRef signed_zero =
        kn_cg_intrinsic(cg, "llvm.copysign", &t, 1, (LLVMValueRef[]){zero, quotient}, 2);
    return LLVMBuildSelect(B, LLVMBuildFCmp(B, LLVMRealUNE, div, zero, ""), fl, signed_zero, "");
}

static LLVMValueRef is_zero(kn_cg *cg, LLVMValueRef v)
{
    if (LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMIntegerTypeKind)
        return LLVMBuildICmp(cg->b, LLVMIntEQ, v, LLVMConstNull(LLVMTypeOf(v)), "");
    return LLVMBuildFCmp(cg->b, LLVMRealOEQ, v, LLVMConstNull(LLVMTypeOf(v)), "");
}

/* base ** c for a constant c >= 0: square-and-multiply unrolled, so x**2 is x*x and vectorizes. */
static LLVMValueRef int_pow_const(kn_cg *cg, LLVMValueRef base, unsigned long long c)
{
    LLVMValueRef r = LLVMConstInt(LLVMTypeOf(base), 1, 0);
    for (; c; c >>= 1) {
        if (c & 1)
            r = LLVMBuildMul(cg->b, r, base, "");
        if (c > 1)
            base = LLVMBuildMul(cg->b, base, base, "");
    }
    return r;
}

// a ** b on integers: ValueError for a negative exponent (an int result cannot hold a fraction)
static LLVMValueRef int_pow(kn_cg *cg, LLVMValueRef a, LLVMValueRef b, const kn_type *t)
{
    if (LLVMIsAConstantInt(b) && (t->kind == KN_UINT || LLVMConstIntGetSExtValue(b) >= 0))
        return int_pow_const(cg, a, LLVMConstIntGetZExtValue(b));
    if (t->kind == KN_INT) {
        LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(b));
        LLVMValueRef negative = LLVMBuildICmp(cg->b, LLVMIntSLT, b, zero, "");
        if (!cg->numpy_math) /* Python's error for 0 ** -1 comes first */
            kn_cg_raise_if(cg, LLVMBuildAnd(cg->b, negative, is_zero(cg, a), ""),
                           KN_RT_ZERO_DIVISION_ERROR, "0.0 cannot be raised to a negative power");
        kn_cg_raise_if(
            cg, negative, KN_RT_VALUE_ERROR,
            cg->numpy_math
                ? "Integers to negative integer powers are not allowed."
                : "integer to a negative power: the result is not an integer (use a float base)");
    }
    LLVMTypeRef i64 = LLVMInt64TypeInContext(cg->ctx);
    LLVMTypeRef params[] = {i64, i64};
    const char *name = t->kind == KN_INT ? "kn_rt_ipow" : "kn_rt_upow";
    LLVMValueRef args[] = {kn_cg_cast(cg, a, t, kn_type_int(64)),
                           kn_cg_cast(cg, b, t, kn_type_int(64))};
    LLVMValueRef r = kn_cg_call(cg, kn_cg_declare_pure(cg, name, i64, params, 2), args, 2);
    return kn_cg_cast(cg, r, kn_type_int(64), t);
}

/*
 * a << b, a >> b: a negative count raises ValueError; a count past the
 * width shifts every bit out (0, or the sign for >>), where LLVM's shifts
 * would give poison.
 */
static LLVMValueRef int_shift(kn_cg *cg, kn_op op, LLVMValueRef a, LLVMValueRef b, const kn_type *t)
{
    LLVMBuilderRef B = cg->b;
    LLVMTypeRef ty = LLVMTypeOf(a);
    if (t->kind == KN_INT)
        kn_cg_raise_if(cg, LLVMBuildICmp(B, LLVMIntSLT, b, LLVMConstNull(ty), ""),
                       KN_RT_VALUE_ERROR, "negative shift count");
    LLVMValueRef last = LLVMConstInt(ty, (unsigned)t->bits - 1, 0);
    LLVMValueRef past = LLVMBuildICmp(B, LLVMIntUGT, b, last, "");
    LLVMValueRef count = LLVMBuildSelect(B, past, last, b, "");
    if (op == KN_OP_RSHIFT && t->kind == KN_INT)
        return LLVMBuildAShr(B, a, count, "");
    LLVMValueRef r =
        op == KN_OP_LSHIFT ? LLVMBuildShl(B, a, count, "") : LLVMBuildLShr(B, a, count, "");
    return LLVMBuildSelect(B, past, LLVMConstNull(ty), r, "");
}

// a // b, a % b on integers: b == 0 raises ZeroDivisionError
static void check_int_divisor(kn_cg *cg, kn_op op, LLVMValueRef b)
{
    kn_cg_raise_if(cg, is_zero(cg, b), KN_RT_ZERO_DIVISION_ERROR,
                   op == KN_OP_MOD ? "integer modulo by zero"
                                   : "integer division or modulo by zero");
}

/*
 * a % b == 0 on integers of type t: whether b divides a. Python's
 * remainder differs from C's by b or 0 (its sign fix), so it is zero
 * exactly when C's is, and the fix is skipped. For signed b, one unlikely
 * branch takes both divisors C cannot divide by: 0, which raises as a % b
 * does, and -1, which divides everything (INT64_MIN % -1 traps).
 */
LLVMValueRef kn_cg_int_divides(kn_cg *cg, LLVMValueRef a, LLVMValueRef b, const kn_type *t)
{
    LLVMBuilderRef B = cg->b;
    LLVMTypeRef ty = LLVMTypeOf(a);
    if (t->kind == KN_UINT) {
        check_int_divisor(cg, KN_OP_MOD, b);
        return is_zero(cg, LLVMBuildURem(B, a, b, ""));
    }
    LLVMBasicBlockRef odd = kn_cg_block(cg, "mod.odd"), fast = kn_cg_block(cg, "mod.divide");
    LLVMBasicBlockRef done = kn_cg_block(cg, "mod.end");
    LLVMValueRef one = LLVMConstInt(ty, 1, 0);
    LLVMValueRef rare = LLVMBuildICmp(B, LLVMIntULE, LLVMBuildAdd(B, b, one, ""), one, "");
    kn_cg_unlikely(cg, LLVMBuildCondBr(B, rare, odd, fast));
    kn_cg_enter(cg, odd);
    check_int_divisor(cg, KN_OP_MOD, b);
    LLVMBasicBlockRef from[] = {LLVMGetInsertBlock(B), fast};
    LLVMBuildBr(B, done);
    kn_cg_enter(cg, fast);
    LLVMValueRef values[] = {LLVMConstAllOnes(LLVMInt1TypeInContext(cg->ctx)),
                             is_zero(cg, LLVMBuildSRem(B, a, b, ""))};
    LLVMBuildBr(B, done);
    kn_cg_enter(cg, done);
    return kn_cg_phi(cg, LLVMInt1TypeInContext(cg->ctx), values, from, 2);
}

/* The operators that are one LLVM instruction, on integers and on floats (NULL: not one). */
typedef LLVMValueRef (*instruction_fn)(LLVMBuilderRef, LLVMValueRef, LLVMValueRef, const char *);
static const struct {
    instruction_fn ints, floats;
} instructions[] = {
    [KN_OP_ADD] = {LLVMBuildAdd, LLVMBuildFAdd}, [KN_OP_SUB] = {LLVMBuildSub, LLVMBuildFSub},
    [KN_OP_MUL] = {LLVMBuildMul, LLVMBuildFMul}, [KN_OP_BITAND] = {LLVMBuildAnd, NULL},
    [KN_OP_BITOR] = {LLVMBuildOr, NULL},         [KN_OP_BITXOR] = {LLVMBuildXor, NULL},
};

static instruction_fn instruction(kn_op op, int on_floats)
{
    if ((size_t)op >= sizeof instructions / sizeof instructions[0])
        return NULL;
    return on_floats ? instructions[op].floats : instructions[op].ints;
}

/* a // b, a % b on integers: b == 0 raises, or gives 0 on array items, as NumPy's ufuncs. */
static LLVMValueRef int_divmod(kn_cg *cg, kn_op op, LLVMValueRef a, LLVMValueRef b,
                               const kn_type *t)
{
    int is_signed = t->kind == KN_INT, mod = op == KN_OP_MOD;
    if (!cg->numpy_math) {
        check_int_divisor(cg, op, b);
        return kn_cg_int_floordiv(cg, a, b, is_signed, mod);
    }
    LLVMTypeRef ty = LLVMTypeOf(a);
    LLVMValueRef zero = is_zero(cg, b);
    LLVMValueRef divisor = LLVMBuildSelect(cg->b, zero, LLVMConstInt(ty, 1, 0), b, "");
    LLVMValueRef r = kn_cg_int_floordiv(cg, a, divisor, is_signed, mod);
    return LLVMBuildSelect(cg->b, zero, LLVMConstNull(ty), r, "");
}

// a op b on integers of type t, both already of type t
static LLVMValueRef int_binary(kn_cg *cg, kn_op op, LLVMValueRef a, LLVMValueRef b,
                               const kn_type *t)
{
    instruction_fn single = instruction(op, 0);
    if (single)
        return single(cg->b, a, b, "");
    switch (op) {
    case KN_OP_FLOORDIV:
    case KN_OP_MOD:
        return int_divmod(cg, op, a, b, t);
    case KN_OP_POW:
        return int_pow(cg, a, b, t);
    case KN_OP_LSHIFT:
    case KN_OP_RSHIFT:
        return int_shift(cg, op, a, b, t);
    default:
        return NULL;
    }
}

// a ** b on floats: 0.0 to a negative power raises, as in Python, or gives inf on array items
static LLVMValueRef float_pow(kn_cg *cg, LLVMValueRef a, LLVMValueRef b)
{
    if (!cg->numpy_math) {
        LLVMValueRef neg = LLVMBuildFCmp(cg->b, LLVMRealOLT, b, fconst(b, 0.0), "");
        kn_cg_raise_if(cg, LLVMBuildAnd(cg->b, is_zero(cg, a), neg, ""),
                       KN_RT_ZERO_DIVISION_ERROR, "0.0 cannot be raised to a negative power");
    }
    LLVMTypeRef t = LLVMTypeOf(a);
    return kn_cg_intrinsic(cg, "llvm.pow", &t, 1, (LLVMValueRef[]){a, b}, 2);
}

/*
 * a // b, a % b on floats: b == 0 raises, or on array items gives what
 * NumPy's ufuncs give: a / b (inf or NaN) for //, and fmod's NaN for %,
 * which the sign fix keeps.
 */
static LLVMValueRef float_divmod(kn_cg *cg, kn_op op, LLVMValueRef a, LLVMValueRef b)
{
    int mod = op == KN_OP_MOD;
    if (!cg->numpy_math)
        kn_cg_raise_if(cg, is_zero(cg, b), KN_RT_ZERO_DIVISION_ERROR,
                       mod ? "float modulo" : "float floor division by zero");
    LLVMValueRef v = kn_cg_float_divmod(cg, a, b, mod);
    if (!cg->numpy_math || mod)
        return v;
    LLVMValueRef quotient = kn_cg_fast(cg, LLVMBuildFDiv(cg->b, a, b, ""));
    return LLVMBuildSelect(cg->b, is_zero(cg, b), quotient, v, "");
}

// a op b on floats, both already of the same float type
static LLVMValueRef float_binary(kn_cg *cg, kn_op op, LLVMValueRef a, LLVMValueRef b)
{
    instruction_fn single = instruction(op, 1);
    if (single)
        return kn_cg_fast(cg, single(cg->b, a, b, ""));
    switch (op) {
    case KN_OP_FLOORDIV:
    case KN_OP_MOD:
        return float_divmod(cg, op, a, b);
    case KN_OP_POW:
        return float_pow(cg, a, b);
    default:
        return NULL;
    }
}

/* a / b or a ** b on complex numbers, through the runtime (CPython's algorithms); NULL after
 * raising. */
static LLVMValueRef complex_call(kn_cg *cg, const char *name, LLVMValueRef a, LLVMValueRef b)
{
    LLVMTypeRef f64 = LLVMDoubleTypeInContext(cg->ctx), ptr = LLVMPointerTypeInContext(cg->ctx, 0);
    LLVMTypeRef i32 = LLVMInt32TypeInContext(cg->ctx);
    LLVMTypeRef params[] = {f64, f64, f64, f64, ptr, i32};
    LLVMValueRef fn = kn_cg_declare(cg, name, i32, params, 6);
    LLVMValueRef out = kn_cg_complex_slot(cg);
    LLVMValueRef args[] = {
        LLVMBuildExtractValue(cg->b, a, 0, ""),
        LLVMBuildExtractValue(cg->b, a, 1, ""),
        LLVMBuildExtractValue(cg->b, b, 0, ""),
        LLVMBuildExtractValue(cg->b, b, 1, ""),
        out,
        LLVMConstInt(i32, (unsigned)cg->numpy_math, 0),
    };
    kn_cg_check_status(cg, kn_cg_call(cg, fn, args, 6));
    return kn_cg_complex_from(cg, out);
}

// a op b on complex numbers: + - * inline as CPython computes them, / and ** in the runtime
static LLVMValueRef complex_binary(kn_cg *cg, kn_op op, LLVMValueRef a, LLVMValueRef b)
{
    LLVMBuilderRef B = cg->b;
    if (op == KN_OP_DIV)
        return complex_call(cg, "kn_rt_cdiv", a, b);
    if (op == KN_OP_POW)
        return complex_call(cg, "kn_rt_cpow", a, b);
    LLVMValueRef ar = LLVMBuildExtractValue(B, a, 0, ""), ai = LLVMBuildExtractValue(B, a, 1, "");
    LLVMValueRef br = LLVMBuildExtractValue(B, b, 0, ""), bi = LLVMBuildExtractValue(B, b, 1, "");
    switch (op) {
    case KN_OP_ADD:
    case KN_OP_SUB:
        return kn_cg_complex(cg, float_binary(cg, op, ar, br), float_binary(cg, op, ai, bi));
    case KN_OP_MUL: {
        LLVMValueRef re = kn_cg_fast(
            cg, LLVMBuildFSub(B, float_binary(cg, op, ar, br), float_binary(cg, op, ai, bi), ""));
        LLVMValueRef im = kn_cg_fast(
            cg, LLVMBuildFAdd(B, float_binary(cg, op, ar, bi), float_binary(cg, op, ai, br), ""));
        return kn_cg_complex(cg, re, im);
    }
    default:
        return NULL;
    }
}

// a / b: always a float (or complex) result; int / int by zero says "division by zero"
static LLVMValueRef true_div(kn_cg *cg, LLVMValueRef l, const kn_type *lt, LLVMValueRef r,
                             const kn_type *rt, const kn_type *result)
{
    int ints = kn_cg_is_intlike(lt) && kn_cg_is_intlike(rt);
    l = kn_cg_cast(cg, l, lt, result);
    r = kn_cg_cast(cg, r, rt, result);
    if (!l || !r)
        return NULL;
    if (result->kind == KN_COMPLEX)
        return complex_binary(cg, KN_OP_DIV, l, r);
    if (!cg->numpy_math) /* array items divide as NumPy's: inf or NaN */
        kn_cg_raise_if(cg, is_zero(cg, r), KN_RT_ZERO_DIVISION_ERROR,
                       ints ? "division by zero" : "float division by zero");
    return kn_cg_fast(cg, LLVMBuildFDiv(cg->b, l, r, ""));
}

// a & b, a | b, a ^ b on bools, and + and * on bool array items (or, and): a bool
static LLVMValueRef bool_binary(kn_cg *cg, kn_op op, LLVMValueRef a, LLVMValueRef b)
{
    switch (op) {
    case KN_OP_BITAND:
    case KN_OP_MUL:
        return LLVMBuildAnd(cg->b, a, b, "");
    case KN_OP_BITOR:
    case KN_OP_ADD:
        return LLVMBuildOr(cg->b, a, b, "");
    case KN_OP_BITXOR:
        return LLVMBuildXor(cg->b, a, b, "");
    default:
        return NULL;
    }
}

// left op right: both operands convert to the result's type, then Python's rules for that type
LLVMValueRef kn_cg_binary(kn_cg *cg, kn_op op, LLVMValueRef l, const kn_type *lt, LLVMValueRef r,
                          const kn_type *rt, const kn_type *result)
{
    if (op == KN_OP_DIV)
        return true_div(cg, l, lt, r, rt, result);
    l = kn_cg_cast(cg, l, lt, result);
    r = kn_cg_cast(cg, r, rt, result);
    if (!l || !r)
        return NULL;
    LLVMValueRef v = NULL;
    switch (result->kind) {
    case KN_BOOL:
        v = bool_binary(cg, op, l, r);
        break;
    case KN_INT:
    case KN_UINT:
        v = int_binary(cg, op, l, r, result);
        break;
    case KN_FLOAT:
        v = float_binary(cg, op, l, r);
        break;
    case KN_COMPLEX:
        v = complex_binary(cg, op, l, r);
        break;
    default:
        break;
    }
    if (!v && !PyErr_Occurred())
        kn_cg_fail(cg, cg->loc, "unsupported operation on %s and %s", lt->name, rt->name);
    return v;
}

// -x, ~x on a value already converted to the result's type t
static LLVMValueRef negate(kn_cg *cg, kn_op op, LLVMValueRef v, const kn_type *t)
{
    switch (t->kind) {
    case KN_INT:
    case KN_UINT:
        return op == KN_OP_NEG ? LLVMBuildNeg(cg->b, v, "") : LLVMBuildNot(cg->b, v, "");
    case KN_BOOL:
        return op == KN_OP_INVERT ? LLVMBuildNot(cg->b, v, "") : NULL; /* Numba: ~True is False */
    case KN_FLOAT:
        return op == KN_OP_NEG ? kn_cg_fast(cg, LLVMBuildFNeg(cg->b, v, "")) : NULL;
    case KN_COMPLEX:
        if (op != KN_OP_NEG)
            return NULL;
        return kn_cg_complex(cg, LLVMBuildFNeg(cg->b, LLVMBuildExtractValue(cg->b, v, 0, ""), ""),
                             LLVMBuildFNeg(cg->b, LLVMBuildExtractValue(cg->b, v, 1, ""), ""));
    default:
        return NULL;
    }
}

// -x, +x, ~x, not x   (-True is -1: a bool converts to the expression's type first)
LLVMValueRef kn_cg_unary(kn_cg *cg, kn_op op, LLVMValueRef v, const kn_type *t,
                         const kn_type *result)
{
    if (op == KN_OP_NOT)
        return LLVMBuildNot(cg->b, kn_cg_truth(cg, v, t), "");
    v = kn_cg_cast(cg, v, t, result);
    if (!v || op == KN_OP_POS)
        return v;
    LLVMValueRef r = negate(cg, op, v, result);
    if (!r)
        kn_cg_fail(cg, cg->loc, "unsupported operand type for unary operator: %s", t->name);
    return r;
}
