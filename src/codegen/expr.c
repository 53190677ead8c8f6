/* Expressions: literals, constants, names, attributes, tuples, and/or, conditional expressions. */
#include <string.h>

#include "codegen/cg.h"
#include "compiler/infer.h"

/* None has no value: void expressions lower to this placeholder, which nothing reads. */
LLVMValueRef kn_cg_no_value(kn_cg *cg)
{
    return LLVMGetUndef(LLVMInt1TypeInContext(cg->ctx));
}

// 42 | 2.5 | 3j | True | a frozen global number: the constant, in the expression's type
static LLVMValueRef literal(kn_cg *cg, const kn_expr *e)
{
    switch (e->type->kind) {
    case KN_BOOL:
    case KN_INT:
    case KN_UINT:
        return LLVMConstInt(kn_cg_type(cg, e->type), (unsigned long long)e->ival, 1);
    case KN_FLOAT:
        return LLVMConstReal(kn_cg_type(cg, e->type), e->fval);
    default:
        return kn_cg_fail(cg, e->loc, "cannot lower a constant of type %s", e->type->name);
    }
}

// (a, b, ...) | a frozen tuple: each item converted to its field's type
static LLVMValueRef tuple(kn_cg *cg, const kn_expr *e)
{
    LLVMValueRef t = LLVMGetUndef(kn_cg_type(cg, e->type));
    for (int i = 0; i < e->noperands; i++) {
        LLVMValueRef item = kn_cg_expr_as(cg, e->operands[i], e->type->fields[i]);
        if (!item)
            return NULL;
        t = LLVMBuildInsertValue(cg->b, t, item, i, "");
    }
    return t;
}

// 3j: a complex literal is purely imaginary
static LLVMValueRef imaginary(kn_cg *cg, const kn_expr *e)
{
    return kn_cg_complex(cg, kn_cg_f64(cg, 0.0), kn_cg_f64(cg, e->fval));
}

// a frozen global: numbers in ival / fval, complex and tuples in operands
static LLVMValueRef constant(kn_cg *cg, const kn_expr *e)
{
    if (e->type->kind == KN_TUPLE)
        return tuple(cg, e);
    if (e->type->kind != KN_COMPLEX)
        return literal(cg, e);
    LLVMValueRef re = kn_cg_expr_as(cg, e->operands[0], kn_type_float(64));
    LLVMValueRef im = kn_cg_expr_as(cg, e->operands[1], kn_type_float(64));
    return re && im ? kn_cg_complex(cg, re, im) : NULL;
}

// NAME: a local's current value
static LLVMValueRef name(kn_cg *cg, const kn_expr *e)
{
    if (!e->var)
        return kn_cg_fail(cg, e->loc, "'%s' is not a value compiled code can use", e->sval);
    if (!cg->slots[e->var->index])
        return kn_cg_fail(cg, e->loc, "'%s' has no value here", e->sval);
    return LLVMBuildLoad2(cg->b, kn_cg_type(cg, e->var->type), cg->slots[e->var->index], e->sval);
}

// z.real | z.imag | a.shape, a.size, a.ndim, a.T
static LLVMValueRef attribute(kn_cg *cg, const kn_expr *e)
{
    if (e->value->type->kind == KN_ARRAY)
        return kn_cg_array_attr(cg, e);
    LLVMValueRef v = kn_cg_expr(cg, e->value);
    if (!v)
        return NULL;
    int imag = !strcmp(e->sval, "imag");
    if (e->value->type->kind == KN_COMPLEX && (imag || !strcmp(e->sval, "real")))
        return LLVMBuildExtractValue(cg->b, v, (unsigned)imag, e->sval);
    return kn_cg_fail(cg, e->loc, "%s has no attribute '%s'", e->value->type->name, e->sval);
}

// t[i] on a tuple: inference put the field index, made non-negative, in ival
static LLVMValueRef subscript(kn_cg *cg, const kn_expr *e)
{
    if (e->value->type->kind == KN_ARRAY)
        return kn_cg_array_subscript(cg, e);
    if (e->value->type->kind != KN_TUPLE)
        return kn_cg_fail(cg, e->loc, "indexing %s is not supported yet", e->value->type->name);
    LLVMValueRef t = kn_cg_expr(cg, e->value);
    return t ? LLVMBuildExtractValue(cg->b, t, (unsigned)e->ival, "") : NULL;
}

/*
 * a and b and ... | a or b or ...: the first operand that decides the
 * outcome (false for and, true for or), else the last; later operands are
 * not evaluated. Each is converted to the expression's type.
 */
static LLVMValueRef boolop(kn_cg *cg, const kn_expr *e)
{
    int n = e->noperands;
    LLVMValueRef values[n];
    LLVMBasicBlockRef from[n];
    LLVMBasicBlockRef done = kn_cg_block(cg, e->op == KN_OP_AND ? "and.end" : "or.end");
    for (int i = 0; i < n; i++) {
        const kn_expr *x = e->operands[i];
        LLVMValueRef v = kn_cg_expr(cg, x);
        if (!v || !(values[i] = kn_cg_cast(cg, v, x->type, e->type)))
            return NULL;
        if (i == n - 1) {
            from[i] = LLVMGetInsertBlock(cg->b);
            LLVMBuildBr(cg->b, done);
            break;
        }
        LLVMValueRef truth = kn_cg_truth(cg, v, x->type);
        LLVMBasicBlockRef next = kn_cg_block(cg, e->op == KN_OP_AND ? "and.next" : "or.next");
        from[i] = LLVMGetInsertBlock(cg->b);
        if (e->op == KN_OP_AND)
            LLVMBuildCondBr(cg->b, truth, next, done);
        else
            LLVMBuildCondBr(cg->b, truth, done, next);
        kn_cg_enter(cg, next);
    }
    kn_cg_enter(cg, done);
    return kn_cg_phi(cg, kn_cg_type(cg, e->type), values, from, n);
}

// then if cond else orelse: only the chosen branch is evaluated
static LLVMValueRef ifexp(kn_cg *cg, const kn_expr *e)
{
    LLVMValueRef cond = kn_cg_expr(cg, e->operands[0]);
    if (!cond)
        return NULL;
    LLVMBasicBlockRef arms[2] = {kn_cg_block(cg, "ifexp.then"), kn_cg_block(cg, "ifexp.else")};
    LLVMBasicBlockRef done = kn_cg_block(cg, "ifexp.end");
    LLVMBuildCondBr(cg->b, kn_cg_truth(cg, cond, e->operands[0]->type), arms[0], arms[1]);
    LLVMValueRef values[2];
    for (int i = 0; i < 2; i++) {
        kn_cg_enter(cg, arms[i]);
        if (!(values[i] = kn_cg_expr_as(cg, e->operands[1 + i], e->type)))
            return NULL;
        arms[i] = LLVMGetInsertBlock(cg->b);
        LLVMBuildBr(cg->b, done);
    }
    kn_cg_enter(cg, done);
    return kn_cg_phi(cg, kn_cg_type(cg, e->type), values, arms, 2);
}

LLVMValueRef kn_cg_expr(kn_cg *cg, const kn_expr *e)
{
    if (e->kind == KN_E_BINARY && e->op == KN_OP_MATMUL)
        return kn_cg_dot(cg, e);
    int over_arrays = e->type && e->type->kind == KN_ARRAY &&
                      (e->kind == KN_E_BINARY || e->kind == KN_E_UNARY || e->kind == KN_E_COMPARE ||
                       (e->kind == KN_E_CALL && (e->ival == KN_BI_ABS || e->ival >= KN_BI_SQRT)));
    if (over_arrays)
        return kn_cg_elementwise(cg, e);
    switch (e->kind) {
    case KN_E_INT:
    case KN_E_FLOAT:
    case KN_E_BOOL:
        return literal(cg, e);
    case KN_E_COMPLEX:
        return imaginary(cg, e);
    case KN_E_NONE:
        return kn_cg_no_value(cg);
    case KN_E_CONST:
        return constant(cg, e);
    case KN_E_NAME:
        return name(cg, e);
    case KN_E_ATTR:
        return attribute(cg, e);
    case KN_E_UNARY: {
        LLVMValueRef v = kn_cg_expr(cg, e->value);
        return v ? kn_cg_unary(cg, e->op, v, e->value->type, e->type) : NULL;
    }
    case KN_E_BINARY: {
        const kn_expr *l = e->operands[0], *r = e->operands[1];
        LLVMValueRef lv = kn_cg_expr(cg, l);
        LLVMValueRef rv = lv ? kn_cg_expr(cg, r) : NULL;
        return rv ? kn_cg_binary(cg, e->op, lv, l->type, rv, r->type, e->type) : NULL;
    }
    case KN_E_COMPARE:
        return kn_cg_compare_chain(cg, e);
    case KN_E_BOOLOP:
        return boolop(cg, e);
    case KN_E_IFEXP:
        return ifexp(cg, e);
    case KN_E_CALL:
        return kn_cg_call_expr(cg, e);
    case KN_E_TUPLE:
        return tuple(cg, e);
    case KN_E_SUBSCRIPT:
        return subscript(cg, e);
    case KN_E_VALUE:
        return e->payload;
    default: /* STR, SLICE, and object mode's kinds, which inference rejects in nopython mode */
        break;
    }
    return kn_cg_fail(cg, e->loc, "this expression cannot be compiled here");
}

LLVMValueRef kn_cg_expr_as(kn_cg *cg, const kn_expr *e, const kn_type *t)
{
    LLVMValueRef v = kn_cg_expr(cg, e);
    return v ? kn_cg_cast(cg, v, e->type, t) : NULL;
}
