/* Comparisons of numbers, each pair in the type both unify to; chains short-circuit. */
#include "codegen/cg.h"

static LLVMIntPredicate int_predicate(kn_op op, int is_signed)
{
    switch (op) {
    case KN_OP_EQ:
        return LLVMIntEQ;
    case KN_OP_NE:
        return LLVMIntNE;
    case KN_OP_LT:
        return is_signed ? LLVMIntSLT : LLVMIntULT;
    case KN_OP_LE:
        return is_signed ? LLVMIntSLE : LLVMIntULE;
    case KN_OP_GT:
        return is_signed ? LLVMIntSGT : LLVMIntUGT;
    default:
        return is_signed ? LLVMIntSGE : LLVMIntUGE;
    }
}

/* Ordered, so any comparison with NaN is false; except != which NaN makes true, as in Python. */
static LLVMRealPredicate float_predicate(kn_op op)
{
    switch (op) {
    case KN_OP_EQ:
        return LLVMRealOEQ;
    case KN_OP_NE:
        return LLVMRealUNE;
    case KN_OP_LT:
        return LLVMRealOLT;
    case KN_OP_LE:
        return LLVMRealOLE;
    case KN_OP_GT:
        return LLVMRealOGT;
    default:
        return LLVMRealOGE;
    }
}

// z == w | z != w on complex numbers: both parts
static LLVMValueRef complex_equal(kn_cg *cg, kn_op op, LLVMValueRef l, LLVMValueRef r)
{
    LLVMRealPredicate p = float_predicate(op);
    LLVMValueRef parts[2];
    for (unsigned i = 0; i < 2; i++)
        parts[i] = LLVMBuildFCmp(cg->b, p, LLVMBuildExtractValue(cg->b, l, i, ""),
                                 LLVMBuildExtractValue(cg->b, r, i, ""), "");
    if (op == KN_OP_EQ)
        return LLVMBuildAnd(cg->b, parts[0], parts[1], "");
    return LLVMBuildOr(cg->b, parts[0], parts[1], "");
}

// l op r: == != < <= > >=
LLVMValueRef kn_cg_compare(kn_cg *cg, kn_op op, LLVMValueRef l, const kn_type *lt, LLVMValueRef r,
                           const kn_type *rt)
{
    const kn_type *t = kn_type_unify(lt, rt);
    if (!t)
        return kn_cg_fail(cg, cg->loc, "cannot compare %s and %s", lt->name, rt->name);
    l = kn_cg_cast(cg, l, lt, t);
    r = kn_cg_cast(cg, r, rt, t);
    if (!l || !r)
        return NULL;
    switch (t->kind) {
    case KN_BOOL:
    case KN_UINT:
        return LLVMBuildICmp(cg->b, int_predicate(op, 0), l, r, "");
    case KN_INT:
        return LLVMBuildICmp(cg->b, int_predicate(op, 1), l, r, "");
    case KN_FLOAT:
        return kn_cg_fast(cg, LLVMBuildFCmp(cg->b, float_predicate(op), l, r, ""));
    case KN_COMPLEX:
        if (op == KN_OP_EQ || op == KN_OP_NE)
            return complex_equal(cg, op, l, r);
        break;
    default:
        break;
    }
    return kn_cg_fail(cg, cg->loc, "cannot compare %s and %s", lt->name, rt->name);
}

/* 0, 0.0 or False, written out or a frozen global. */
static int is_zero_constant(const kn_expr *e)
{
    if (e->kind != KN_E_INT && e->kind != KN_E_FLOAT && e->kind != KN_E_BOOL &&
        e->kind != KN_E_CONST)
        return 0;
    if (kn_cg_is_intlike(e->type))
        return e->ival == 0;
    return e->type->kind == KN_FLOAT && e->fval == 0.0;
}

/* The integer a % b that e, a comparison with zero (either side), tests; else NULL. */
static const kn_expr *remainder_tested(const kn_expr *e)
{
    if (e->noperands != 2 || (e->ops[0] != KN_OP_EQ && e->ops[0] != KN_OP_NE))
        return NULL;
    const kn_expr *a = e->operands[0], *b = e->operands[1];
    const kn_expr *mod = is_zero_constant(b) ? a : is_zero_constant(a) ? b : NULL;
    if (!mod || mod->kind != KN_E_BINARY || mod->op != KN_OP_MOD)
        return NULL;
    return mod->type->kind == KN_INT || mod->type->kind == KN_UINT ? mod : NULL;
}

/*
 * a % b == 0 | a % b != 0 on integers (0 == a % b too): Python's remainder
 * is zero exactly when b divides a, whatever the signs, so the sign fix
 * that a % b needs is skipped (the test of trial division).
 */
static LLVMValueRef remainder_is_zero(kn_cg *cg, kn_op op, const kn_expr *mod)
{
    LLVMValueRef a = kn_cg_expr_as(cg, mod->operands[0], mod->type);
    LLVMValueRef b = a ? kn_cg_expr_as(cg, mod->operands[1], mod->type) : NULL;
    if (!b)
        return NULL;
    LLVMValueRef zero = kn_cg_int_divides(cg, a, b, mod->type);
    return op == KN_OP_EQ ? zero : LLVMBuildNot(cg->b, zero, "");
}

/*
 * a < b <= c ...: each operand is evaluated once, and the chain stops at
 * the first false comparison without evaluating the rest.
 */
LLVMValueRef kn_cg_compare_chain(kn_cg *cg, const kn_expr *e)
{
    const kn_expr *mod = remainder_tested(e);
    if (mod)
        return remainder_is_zero(cg, e->ops[0], mod);
    int n = e->noperands - 1;
    LLVMValueRef results[n];
    LLVMBasicBlockRef from[n];
    LLVMBasicBlockRef done = n > 1 ? kn_cg_block(cg, "compare.end") : NULL;
    LLVMValueRef left = kn_cg_expr(cg, e->operands[0]);
    for (int i = 0; i < n && left; i++) {
        const kn_expr *a = e->operands[i], *b = e->operands[i + 1];
        LLVMValueRef right = kn_cg_expr(cg, b);
        LLVMValueRef c = right ? kn_cg_compare(cg, e->ops[i], left, a->type, right, b->type) : NULL;
        if (!c)
            return NULL;
        if (n == 1)
            return c;
        results[i] = c;
        from[i] = LLVMGetInsertBlock(cg->b);
        if (i == n - 1) {
            LLVMBuildBr(cg->b, done);
            break;
        }
        LLVMBasicBlockRef next = kn_cg_block(cg, "compare.next");
        LLVMBuildCondBr(cg->b, c, next, done);
        kn_cg_enter(cg, next);
        left = right;
    }
    if (!left)
        return NULL;
    kn_cg_enter(cg, done);
    return kn_cg_phi(cg, LLVMInt1TypeInContext(cg->ctx), results, from, n);
}
