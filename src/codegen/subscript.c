/* Array subscripts: items, views made by integers and slices, and stores into them. */
#include <string.h>

#include "codegen/cg.h"
#include "compiler/infer.h"
#include "runtime/raise.h"

/* The index items of a subscript: a[i, j] has two. */
static int index_items(const kn_expr *e, kn_expr *const **items)
{
    if (e->index->kind == KN_E_TUPLE) {
        *items = e->index->operands;
        return e->index->noperands;
    }
    *items = &e->index;
    return 1;
}

/* What indexing makes of an array: an address and the axes that remain. */
typedef struct place {
    LLVMValueRef base;  /* the array indexed */
    LLVMValueRef data;  /* the first item's address */
    LLVMValueRef shape[32], strides[32];
    int ndim;           /* the axes left: 0 for an item */
} place;

static LLVMValueRef slice_part(kn_cg *cg, const kn_expr *part)
{
    if (!part || part->kind == KN_E_NONE)
        return NULL;
    return kn_cg_expr_as(cg, part, kn_type_int(64));
}

/* Python's clamping of a slice bound (PySlice_AdjustIndices), or its default when absent. */
static LLVMValueRef bound(kn_cg *cg, LLVMValueRef v, LLVMValueRef dflt, LLVMValueRef len,
                          LLVMValueRef lower, LLVMValueRef upper)
{
    if (!v)
        return dflt;
    LLVMBuilderRef B = cg->b;
    LLVMValueRef zero = kn_cg_i64(cg, 0);
    LLVMValueRef neg = LLVMBuildICmp(B, LLVMIntSLT, v, zero, "");
    LLVMValueRef from_end = LLVMBuildAdd(B, v, len, "");
    LLVMValueRef low = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, from_end, lower, ""), lower,
                                       from_end, "");
    LLVMValueRef high =
        LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSGT, v, upper, ""), upper, v, "");
    return LLVMBuildSelect(B, neg, low, high, "");
}

/* What an index item evaluates to: an integer, or a slice's lo, hi and step (NULL when absent). */
typedef struct index_value {
    LLVMValueRef at;
    int folded; /* at is x of a lone int(x): see folded_operand */
    LLVMValueRef lo, hi, step;
} index_value;

// lo:hi:step over an axis of length len: the first index, the step and the view's length
static void slice_axis(kn_cg *cg, const index_value *v, LLVMValueRef len, LLVMValueRef *first,
                       LLVMValueRef *step, LLVMValueRef *count)
{
    LLVMBuilderRef B = cg->b;
    LLVMValueRef lo = v->lo, hi = v->hi, st = v->step;
    LLVMValueRef zero = kn_cg_i64(cg, 0), one = kn_cg_i64(cg, 1);
    if (!st)
        st = one;
    else
        kn_cg_raise_if(cg, LLVMBuildICmp(B, LLVMIntEQ, st, zero, ""), KN_RT_VALUE_ERROR,
                       "slice step cannot be zero");
    LLVMValueRef back = LLVMBuildICmp(B, LLVMIntSLT, st, zero, "");
    LLVMValueRef lower = LLVMBuildSelect(B, back, kn_cg_i64(cg, -1), zero, "");
    LLVMValueRef upper = LLVMBuildSelect(B, back, LLVMBuildSub(B, len, one, ""), len, "");
    LLVMValueRef start = bound(cg, lo, LLVMBuildSelect(B, back, upper, lower, ""), len, lower, upper);
    LLVMValueRef stop = bound(cg, hi, LLVMBuildSelect(B, back, lower, upper, ""), len, lower, upper);
    /* (stop - start - 1) / step + 1 items going up, the mirror going down, never fewer than 0 */
    LLVMValueRef up = LLVMBuildAdd(
        B, LLVMBuildSDiv(B, LLVMBuildSub(B, LLVMBuildSub(B, stop, start, ""), one, ""), st, ""),
        one, "");
    LLVMValueRef down = LLVMBuildAdd(
        B, LLVMBuildSDiv(B, LLVMBuildSub(B, LLVMBuildSub(B, start, stop, ""), one, ""),
                         LLVMBuildNeg(B, st, ""), ""),
        one, "");
    LLVMValueRef some_up = LLVMBuildICmp(B, LLVMIntSLT, start, stop, "");
    LLVMValueRef some_down = LLVMBuildICmp(B, LLVMIntSGT, start, stop, "");
    LLVMValueRef n_up = LLVMBuildSelect(B, some_up, up, zero, "");
    LLVMValueRef n_down = LLVMBuildSelect(B, some_down, down, zero, "");
    *count = LLVMBuildSelect(B, back, n_down, n_up, "slice.len");
    *first = start;
    *step = st;
}

static LLVMValueRef advance(kn_cg *cg, LLVMValueRef data, LLVMValueRef index, LLVMValueRef stride)
{
    LLVMValueRef offset = LLVMBuildNSWMul(cg->b, index, stride, "");
    return LLVMBuildInBoundsGEP2(cg->b, LLVMInt8TypeInContext(cg->ctx), data, &offset, 1, "");
}

/*
 * x when a lone index item is int(x) of a float x and the bounds check takes
 * int()'s checks over (kn_cg_array_float_index), else NULL. Only a lone one:
 * with more items, int()'s errors must come before any axis's IndexError.
 */
static const kn_expr *folded_operand(kn_cg *cg, const kn_expr *item, int n)
{
    if (n != 1 || item->kind != KN_E_CALL || item->ival != KN_BI_CAST || item->noperands != 1)
        return NULL;
    const kn_expr *x = item->operands[0];
    int to_int64 = item->type->kind == KN_INT && item->type->bits == 64;
    return to_int64 && x->type->kind == KN_FLOAT && kn_cg_folds_float_index(cg) ? x : NULL;
}

/*
 * The index items' values, left to right, before any axis is checked: Python
 * builds the whole index first, so m[3, int(inf)] raises int()'s
 * OverflowError, not axis 0's IndexError, and m[f():, g()] calls f first.
 */
static int index_values(kn_cg *cg, kn_expr *const *items, int n, int ndim, index_value *values)
{
    for (int axis = 0; axis < n && axis < ndim; axis++) {
        const kn_expr *item = items[axis], *x = folded_operand(cg, item, n);
        index_value *v = &values[axis];
        *v = (index_value){0};
        if (item->kind != KN_E_SLICE) {
            v->folded = x != NULL;
            if (!(v->at = kn_cg_expr(cg, x ? x : item)))
                return -1;
            continue;
        }
        v->lo = slice_part(cg, item->operands[0]);
        v->hi = slice_part(cg, item->operands[1]);
        v->step = slice_part(cg, item->operands[2]);
        if (PyErr_Occurred())
            return -1;
    }
    return 0;
}

/* Indexes the array e->value with e's index items: an item's address, or a view's parts. */
static int locate(kn_cg *cg, const kn_expr *e, place *p)
{
    const kn_type *t = e->value->type;
    if (!(p->base = kn_cg_expr(cg, e->value)))
        return -1;
    p->data = kn_cg_array_data(cg, p->base);
    kn_expr *const *items;
    index_value values[32];
    int n = index_items(e, &items), axis = 0;
    if (index_values(cg, items, n, t->ndim, values) < 0)
        return -1;
    p->ndim = 0;
    for (; axis < t->ndim; axis++) {
        LLVMValueRef dim = kn_cg_array_dim(cg, p->base, axis);
        LLVMValueRef stride = kn_cg_array_stride(cg, p->base, t, axis);
        const kn_expr *item = axis < n ? items[axis] : NULL;
        if (!item || (item->kind == KN_E_SLICE && kn_infer_full_slice(item))) {
            p->shape[p->ndim] = dim;
            p->strides[p->ndim++] = stride;
            continue;
        }
        if (item->kind == KN_E_SLICE) {
            LLVMValueRef first, step, count;
            slice_axis(cg, &values[axis], dim, &first, &step, &count);
            p->data = advance(cg, p->data, first, stride);
            p->shape[p->ndim] = count;
            p->strides[p->ndim++] = LLVMBuildNSWMul(cg->b, stride, step, "");
            continue;
        }
        LLVMValueRef at = values[axis].at;
        LLVMValueRef i = values[axis].folded ? kn_cg_array_float_index(cg, at, dim, axis)
                                             : kn_cg_array_index(cg, at, item->type, dim, axis);
        p->data = advance(cg, p->data, i, stride);
    }
    return 0;
}

static LLVMValueRef view_of(kn_cg *cg, const place *p, const kn_type *t)
{
    return kn_cg_array_make(cg, t, kn_cg_array_owner(cg, p->base), p->data, (LLVMValueRef *)p->shape,
                            (LLVMValueRef *)p->strides);
}

// a[i, j] | a[i] | a[1:-1] | a[:, j]: an item, or a view sharing a's owner
LLVMValueRef kn_cg_array_subscript(kn_cg *cg, const kn_expr *e)
{
    place p;
    if (locate(cg, e, &p) < 0)
        return NULL;
    if (e->type->kind != KN_ARRAY)
        return kn_cg_load_item(cg, p.data, e->type);
    return view_of(cg, &p, e->type);
}

// a[i] = v | a[1:3] = v | a[i, :] = b: one item, or every item of the view
int kn_cg_array_assign(kn_cg *cg, const kn_expr *target, LLVMValueRef v, const kn_type *t)
{
    place p;
    if (locate(cg, target, &p) < 0)
        return -1;
    if (target->type->kind != KN_ARRAY) {
        LLVMValueRef x = kn_cg_cast(cg, v, t, target->type);
        if (!x)
            return -1;
        kn_cg_store_item(cg, p.data, x, target->type);
        return 0;
    }
    return kn_cg_array_fill(cg, view_of(cg, &p, target->type), target->type, v, t);
}

/* op, target op= rhs, with its target replaced by the view already made of it. */
static const kn_expr *on_view(kn_cg *cg, const kn_expr *op, LLVMValueRef view)
{
    kn_expr *value = kn_arena_alloc(cg->f->arena, sizeof *value);
    *value = (kn_expr){.kind = KN_E_VALUE, .loc = op->loc, .type = op->operands[0]->type,
                       .payload = view};
    kn_expr **operands = kn_arena_alloc(cg->f->arena, 2 * sizeof *operands);
    operands[0] = value;
    operands[1] = op->operands[1];
    kn_expr *copy = kn_arena_alloc(cg->f->arena, sizeof *copy);
    *copy = *op;
    copy->operands = operands;
    return copy;
}

/* a op= v on an array or a view: the elementwise result is written into its items. */
static int update_array(kn_cg *cg, LLVMValueRef a, const kn_type *t, const kn_expr *op)
{
    if (!a)
        return -1;
    LLVMValueRef v = kn_cg_expr(cg, on_view(cg, op, a));
    return v ? kn_cg_array_fill(cg, a, t, v, op->type) : -1;
}

// a[i] op= v: the index evaluated once | a op= v, a[1:] op= v: in place, as NumPy
int kn_cg_array_augassign(kn_cg *cg, const kn_stmt *s)
{
    const kn_expr *target = s->targets[0], *op = s->value;
    if (target->kind == KN_E_NAME)
        return update_array(cg, kn_cg_expr(cg, target), target->type, op);
    place p;
    if (locate(cg, target, &p) < 0)
        return -1;
    if (target->type->kind == KN_ARRAY)
        return update_array(cg, view_of(cg, &p, target->type), target->type, op);
    LLVMValueRef old = kn_cg_load_item(cg, p.data, target->type);
    const kn_expr *rhs = op->operands[1];
    LLVMValueRef r = kn_cg_expr(cg, rhs);
    if (!r)
        return -1;
    LLVMValueRef x = kn_cg_binary(cg, op->op, old, target->type, r, rhs->type, op->type);
    if (!(x = kn_cg_cast(cg, x, op->type, target->type)))
        return -1;
    kn_cg_store_item(cg, p.data, x, target->type);
    return 0;
}

const kn_type *kn_cg_row_type(const kn_type *t)
{
    if (t->ndim == 1)
        return t->dtype;
    return kn_type_array_like(t, t->ndim - 1, t->layout == 'C' ? 'C' : 'A');
}

LLVMValueRef kn_cg_array_row(kn_cg *cg, LLVMValueRef a, const kn_type *t, LLVMValueRef j)
{
    LLVMValueRef data = advance(cg, kn_cg_array_data(cg, a), j, kn_cg_array_stride(cg, a, t, 0));
    if (t->ndim == 1)
        return kn_cg_load_item(cg, data, t->dtype);
    LLVMValueRef shape[32], strides[32];
    kn_cg_array_parts(cg, a, t, shape, strides);
    return kn_cg_array_make(cg, kn_cg_row_type(t), kn_cg_array_owner(cg, a), data, shape + 1,
                            strides + 1);
}

// a.shape | a.size | a.ndim | a.T
LLVMValueRef kn_cg_array_attr(kn_cg *cg, const kn_expr *e)
{
    const kn_type *t = e->value->type;
    LLVMValueRef a = kn_cg_expr(cg, e->value);
    if (!a)
        return NULL;
    const char *name = e->sval;
    if (!strcmp(name, "size"))
        return kn_cg_array_size(cg, a, t);
    if (!strcmp(name, "ndim"))
        return kn_cg_i64(cg, t->ndim);
    LLVMValueRef shape[32], strides[32];
    kn_cg_array_parts(cg, a, t, shape, strides);
    if (!strcmp(name, "T")) {
        LLVMValueRef rshape[32], rstrides[32];
        for (int i = 0; i < t->ndim; i++) {
            rshape[i] = shape[t->ndim - 1 - i];
            rstrides[i] = strides[t->ndim - 1 - i];
        }
        return kn_cg_array_make(cg, e->type, kn_cg_array_owner(cg, a), kn_cg_array_data(cg, a),
                                rshape, rstrides);
    }
    LLVMValueRef tuple = LLVMGetUndef(kn_cg_type(cg, e->type)); /* shape */
    for (int i = 0; i < t->ndim; i++)
        tuple = LLVMBuildInsertValue(cg->b, tuple, shape[i], (unsigned)i, "");
    return tuple;
}
