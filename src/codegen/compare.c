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

/*
 * a < b <= c ...: each operand is evaluated once, and the chain stops at
 * the first false comparison without evaluating the rest.
 */
LLVMValueRef kn_cg_compare_chain(kn_cg *cg, const kn_expr *e)
{
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
