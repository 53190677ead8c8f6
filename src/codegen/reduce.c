/* Reductions over arrays: sum, min, max, mean; and np.dot of vectors and matrices. */
#include "codegen/cg.h"
#include "compiler/infer.h"
#include "runtime/array.h"
#include "runtime/raise.h"

typedef struct reduce {
    kn_builtin id;
    const kn_type *item, *acc; /* the array's items; the accumulator's type */
    LLVMValueRef slot;         /* the accumulator */
} reduce;

/* One item into the accumulator: added, or kept when better (NaN wins, as in NumPy). */
static void accumulate(kn_cg *cg, void *ctx, LLVMValueRef *ptrs)
{
    reduce *r = ctx;
    LLVMTypeRef ty = kn_cg_type(cg, r->acc);
    LLVMValueRef x = kn_cg_cast(cg, kn_cg_load_item(cg, ptrs[0], r->item), r->item, r->acc);
    LLVMValueRef acc = LLVMBuildLoad2(cg->b, ty, r->slot, "acc");
    LLVMValueRef v;
    if (r->id == KN_BI_ARRAY_SUM || r->id == KN_BI_ARRAY_MEAN)
        v = kn_cg_binary(cg, KN_OP_ADD, acc, r->acc, x, r->acc, r->acc);
    else {
        kn_op better = r->id == KN_BI_ARRAY_MIN ? KN_OP_LT : KN_OP_GT;
        LLVMValueRef wins = kn_cg_compare(cg, better, x, r->acc, acc, r->acc);
        if (r->acc->kind == KN_FLOAT)
            wins = LLVMBuildOr(cg->b, wins, LLVMBuildFCmp(cg->b, LLVMRealUNO, x, x, ""), "");
        v = LLVMBuildSelect(cg->b, wins, x, acc, "");
    }
    LLVMBuildStore(cg->b, v, r->slot);
}

// a.sum() | a.min() | a.max() | a.mean(), and np.sum(a) ...: over every item
LLVMValueRef kn_cg_reduction(kn_cg *cg, const kn_expr *e)
{
    const kn_type *t = e->operands[0]->type;
    LLVMValueRef a = kn_cg_expr(cg, e->operands[0]);
    if (!a)
        return NULL;
    reduce r = {.id = (kn_builtin)e->ival, .item = t->dtype, .acc = e->type};
    LLVMValueRef size = kn_cg_array_size(cg, a, t);
    r.slot = kn_cg_alloca(cg, kn_cg_type(cg, r.acc), "acc");
    if (r.id == KN_BI_ARRAY_MIN || r.id == KN_BI_ARRAY_MAX) {
        kn_cg_raise_if(cg, LLVMBuildICmp(cg->b, LLVMIntEQ, size, kn_cg_i64(cg, 0), ""),
                       KN_RT_VALUE_ERROR,
                       r.id == KN_BI_ARRAY_MIN
                           ? "zero-size array to reduction operation minimum which has no identity"
                           : "zero-size array to reduction operation maximum which has no identity");
        LLVMValueRef zero[32];
        for (int i = 0; i < t->ndim; i++)
            zero[i] = kn_cg_i64(cg, 0);
        LLVMValueRef first = kn_cg_load_item(cg, kn_cg_array_item_ptr(cg, a, t, zero, t->ndim), t->dtype);
        LLVMBuildStore(cg->b, kn_cg_cast(cg, first, t->dtype, r.acc), r.slot);
    } else
        LLVMBuildStore(cg->b, LLVMConstNull(kn_cg_type(cg, r.acc)), r.slot);
    LLVMValueRef shape[32], strides[32];
    kn_cg_array_parts(cg, a, t, shape, strides);
    const kn_type *types[] = {t};
    kn_cg_array_visit(cg, &a, types, 1, shape, t->ndim, accumulate, &r);
    LLVMValueRef v = LLVMBuildLoad2(cg->b, kn_cg_type(cg, r.acc), r.slot, "");
    if (r.id != KN_BI_ARRAY_MEAN)
        return v;
    LLVMValueRef n = kn_cg_cast(cg, size, kn_type_int(64), r.acc);
    if (r.acc->kind == KN_COMPLEX)
        return kn_cg_binary(cg, KN_OP_DIV, v, r.acc, n, r.acc, r.acc);
    return LLVMBuildFDiv(cg->b, v, n, "mean"); /* NaN for no items, as NumPy's */
}

/* a[i] for a 1-d array, or a[i, j] for a 2-d one, cast to t. */
static LLVMValueRef item_at(kn_cg *cg, LLVMValueRef a, const kn_type *at, LLVMValueRef *idx,
                            const kn_type *t)
{
    LLVMValueRef v = kn_cg_load_item(cg, kn_cg_array_item_ptr(cg, a, at, idx, at->ndim), at->dtype);
    return kn_cg_cast(cg, v, at->dtype, t);
}

/* sum over k of a[row..., k] * b[k, col...]: rows and cols absent for vectors. */
static LLVMValueRef inner(kn_cg *cg, LLVMValueRef a, const kn_type *at, LLVMValueRef row,
                          LLVMValueRef b, const kn_type *bt, LLVMValueRef col, LLVMValueRef n,
                          const kn_type *t)
{
    LLVMValueRef acc = kn_cg_alloca(cg, kn_cg_type(cg, t), "dot.acc");
    LLVMBuildStore(cg->b, LLVMConstNull(kn_cg_type(cg, t)), acc);
    kn_cg_counter c;
    LLVMValueRef k = kn_cg_count_begin(cg, &c, n);
    LLVMValueRef ia[2] = {row ? row : k, k}, ib[2] = {k, col};
    LLVMValueRef x = item_at(cg, a, at, at->ndim == 2 ? ia : ia + 1, t);
    LLVMValueRef y = item_at(cg, b, bt, ib, t);
    LLVMValueRef sum = kn_cg_binary(cg, KN_OP_ADD, LLVMBuildLoad2(cg->b, kn_cg_type(cg, t), acc, ""),
                                    t, kn_cg_binary(cg, KN_OP_MUL, x, t, y, t, t), t, t);
    LLVMBuildStore(cg->b, sum, acc);
    kn_cg_count_end(cg, &c, k);
    return LLVMBuildLoad2(cg->b, kn_cg_type(cg, t), acc, "");
}

// np.dot(a, b), a @ b: a vector's dot product, or a product with a matrix on either side
LLVMValueRef kn_cg_dot(kn_cg *cg, const kn_expr *e)
{
    const kn_type *at = e->operands[0]->type, *bt = e->operands[1]->type;
    const kn_type *t = e->type->kind == KN_ARRAY ? e->type->dtype : e->type;
    LLVMValueRef a = kn_cg_expr(cg, e->operands[0]);
    LLVMValueRef b = a ? kn_cg_expr(cg, e->operands[1]) : NULL;
    if (!b)
        return NULL;
    LLVMValueRef n = kn_cg_array_dim(cg, a, at->ndim - 1);
    kn_cg_shape_check(cg, LLVMBuildICmp(cg->b, LLVMIntNE, n, kn_cg_array_dim(cg, b, 0), ""),
                      (LLVMValueRef[]){a, b}, (const kn_type *[]){at, bt}, 2,
                      e->kind == KN_E_BINARY ? KN_RT_SHAPES_MATMUL : KN_RT_SHAPES_DOT);
    if (e->type->kind != KN_ARRAY)
        return inner(cg, a, at, NULL, b, bt, NULL, n, t);
    /* one loop per matrix operand: over a's rows, over b's columns */
    LLVMValueRef shape[2], at_ij[2], i = NULL, j = NULL;
    int nd = 0;
    if (at->ndim == 2)
        shape[nd++] = kn_cg_array_dim(cg, a, 0);
    if (bt->ndim == 2)
        shape[nd++] = kn_cg_array_dim(cg, b, 1);
    LLVMValueRef r = kn_cg_array_new(cg, e->type, shape, 0);
    if (!r)
        return NULL;
    kn_cg_counter rows, cols;
    nd = 0;
    if (at->ndim == 2) {
        i = kn_cg_count_begin(cg, &rows, shape[nd]);
        at_ij[nd++] = i;
    }
    if (bt->ndim == 2) {
        j = kn_cg_count_begin(cg, &cols, shape[nd]);
        at_ij[nd++] = j;
    }
    LLVMValueRef v = inner(cg, a, at, i, b, bt, j, n, t);
    kn_cg_store_item(cg, kn_cg_array_item_ptr(cg, r, e->type, at_ij, nd), v, t);
    if (j)
        kn_cg_count_end(cg, &cols, j);
    if (i)
        kn_cg_count_end(cg, &rows, i);
    return r;
}
