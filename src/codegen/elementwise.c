/* Operators and ufuncs over arrays: loop nests over a broadcast shape, item by item. */
#include "codegen/cg.h"
#include "runtime/array.h"
#include "runtime/raise.h"

/*
 * Raises NumPy's ValueError naming the shapes of the arrays (NULL entries
 * skipped) when bad is true; what (kn_rt_shapes) says what they failed to do.
 */
void kn_cg_shape_check(kn_cg *cg, LLVMValueRef bad, LLVMValueRef *arrays, const kn_type **types,
                       int n, int what)
{
    LLVMBasicBlockRef raise = kn_cg_block(cg, "shapes.error"), ok = kn_cg_block(cg, "shapes.ok");
    kn_cg_unlikely(cg, LLVMBuildCondBr(cg->b, bad, raise, ok));
    kn_cg_enter(cg, raise);
    LLVMTypeRef i64 = LLVMInt64TypeInContext(cg->ctx), i32 = LLVMInt32TypeInContext(cg->ctx);
    int count = 0, shapes = 0;
    for (int i = 0; i < n; i++)
        if (arrays[i])
            count += 1 + types[i]->ndim;
    LLVMTypeRef buf_type = LLVMArrayType2(i64, (unsigned)count);
    LLVMValueRef buf = kn_cg_alloca(cg, buf_type, "shapes"), at = buf;
    for (int i = 0; i < n; i++) {
        if (!arrays[i])
            continue;
        shapes++;
        for (int k = -1; k < types[i]->ndim; k++) {
            LLVMValueRef v = k < 0 ? kn_cg_i64(cg, types[i]->ndim) : kn_cg_array_dim(cg, arrays[i], k);
            LLVMBuildStore(cg->b, v, at);
            at = LLVMBuildInBoundsGEP2(cg->b, i64, at, (LLVMValueRef[]){kn_cg_i64(cg, 1)}, 1, "");
        }
    }
    LLVMValueRef fn = kn_cg_declare(cg, "kn_rt_shape_error", i32,
                                    (LLVMTypeRef[]){i32, i32, LLVMTypeOf(buf)}, 3);
    kn_cg_call(cg, fn,
               (LLVMValueRef[]){LLVMConstInt(i32, (unsigned)what, 0),
                                LLVMConstInt(i32, (unsigned)shapes, 0), buf},
               3);
    LLVMBuildBr(cg->b, cg->error);
    kn_cg_enter(cg, ok);
}

void kn_cg_broadcast_shape(kn_cg *cg, LLVMValueRef *arrays, const kn_type **types, int n,
                           LLVMValueRef *shape, int ndim, int into)
{
    LLVMValueRef one = kn_cg_i64(cg, 1), bad = LLVMConstInt(LLVMInt1TypeInContext(cg->ctx), 0, 0);
    for (int d = 0; d < ndim; d++)
        shape[d] = one;
    for (int i = 0; i < n; i++) {
        if (!arrays[i])
            continue;
        int skip = ndim - types[i]->ndim;
        for (int k = 0; k < types[i]->ndim; k++) {
            LLVMValueRef dim = kn_cg_array_dim(cg, arrays[i], k), *at = &shape[skip + k];
            LLVMValueRef was_one = LLVMBuildICmp(cg->b, LLVMIntEQ, *at, one, "");
            LLVMValueRef is_one = LLVMBuildICmp(cg->b, LLVMIntEQ, dim, one, "");
            LLVMValueRef clash = LLVMBuildICmp(cg->b, LLVMIntNE, dim, *at, "");
            clash = LLVMBuildAnd(cg->b, clash, LLVMBuildNot(cg->b, LLVMBuildOr(cg->b, was_one, is_one, ""), ""), "");
            bad = LLVMBuildOr(cg->b, bad, clash, "");
            *at = LLVMBuildSelect(cg->b, was_one, dim, *at, "");
        }
    }
    for (int d = 0; into && d < ndim; d++) /* a store cannot grow its target */
        bad = LLVMBuildOr(cg->b, bad,
                          LLVMBuildICmp(cg->b, LLVMIntNE, shape[d], kn_cg_array_dim(cg, arrays[0], d), ""), "");
    kn_cg_shape_check(cg, bad, arrays, types, n, into ? KN_RT_SHAPES_INTO : KN_RT_SHAPES_BROADCAST);
}

typedef struct nest {
    LLVMValueRef *arrays;
    const kn_type **types;
    int n, ndim;
    LLVMValueRef *shape;
    LLVMValueRef strides[16][32]; /* per operand, per result axis: 0 where it broadcasts */
    kn_cg_visit_fn each;
    void *ctx;
} nest;

/* Axis d of the nest, with bases the operands' addresses at the outer axes' indices. */
static void loop_axis(kn_cg *cg, nest *v, int d, LLVMValueRef *bases)
{
    if (d == v->ndim) {
        v->each(cg, v->ctx, bases);
        return;
    }
    LLVMTypeRef i8 = LLVMInt8TypeInContext(cg->ctx);
    kn_cg_counter c;
    LLVMValueRef at = kn_cg_count_begin(cg, &c, v->shape[d]);
    LLVMValueRef ptrs[16];
    for (int i = 0; i < v->n; i++) {
        if (!bases[i]) {
            ptrs[i] = NULL;
            continue;
        }
        LLVMValueRef offset = LLVMBuildNSWMul(cg->b, at, v->strides[i][d], "");
        ptrs[i] = LLVMBuildInBoundsGEP2(cg->b, i8, bases[i], &offset, 1, "");
    }
    loop_axis(cg, v, d + 1, ptrs);
    kn_cg_count_end(cg, &c, at);
}

/* Operand i's stride on result axis d: its own, or 0 where it has no such axis or length 1. */
static LLVMValueRef stride_on(kn_cg *cg, nest *v, int i, int d, int broadcast)
{
    int k = d - (v->ndim - v->types[i]->ndim);
    if (k < 0)
        return kn_cg_i64(cg, 0);
    LLVMValueRef stride = kn_cg_array_stride(cg, v->arrays[i], v->types[i], k);
    if (!broadcast)
        return stride;
    LLVMValueRef one = LLVMBuildICmp(cg->b, LLVMIntEQ, kn_cg_array_dim(cg, v->arrays[i], k),
                                     kn_cg_i64(cg, 1), "");
    return LLVMBuildSelect(cg->b, one, kn_cg_i64(cg, 0), stride, "");
}

static void emit_nest(kn_cg *cg, nest *v, int broadcast)
{
    LLVMValueRef bases[16];
    for (int i = 0; i < v->n; i++) {
        bases[i] = v->arrays[i] ? kn_cg_array_data(cg, v->arrays[i]) : NULL;
        for (int d = 0; bases[i] && d < v->ndim; d++)
            v->strides[i][d] = stride_on(cg, v, i, d, broadcast);
    }
    loop_axis(cg, v, 0, bases);
}

/*
 * Two nests: one where every operand has the result's shape, whose
 * contiguous strides are constants LLVM can vectorize with, and one that
 * broadcasts.
 */
void kn_cg_array_visit(kn_cg *cg, LLVMValueRef *arrays, const kn_type **types, int n,
                       LLVMValueRef *shape, int ndim, kn_cg_visit_fn each, void *ctx)
{
    nest v = {.arrays = arrays, .types = types, .n = n, .ndim = ndim, .shape = shape,
              .each = each, .ctx = ctx};
    LLVMValueRef same = LLVMConstInt(LLVMInt1TypeInContext(cg->ctx), 1, 0);
    for (int i = 0; i < n; i++) {
        if (!arrays[i])
            continue;
        if (types[i]->ndim != ndim) {
            same = LLVMConstInt(LLVMInt1TypeInContext(cg->ctx), 0, 0);
            break;
        }
        for (int d = 0; d < ndim; d++)
            same = LLVMBuildAnd(cg->b, same,
                                LLVMBuildICmp(cg->b, LLVMIntEQ, kn_cg_array_dim(cg, arrays[i], d),
                                              shape[d], ""),
                                "");
    }
    LLVMBasicBlockRef plain = kn_cg_block(cg, "each.same"), spread = kn_cg_block(cg, "each.bcast");
    LLVMBasicBlockRef done = kn_cg_block(cg, "each.done");
    LLVMBuildCondBr(cg->b, same, plain, spread);
    kn_cg_enter(cg, plain);
    emit_nest(cg, &v, 0);
    LLVMBuildBr(cg->b, done);
    kn_cg_enter(cg, spread);
    emit_nest(cg, &v, 1);
    LLVMBuildBr(cg->b, done);
    kn_cg_enter(cg, done);
}

/* ---- a new array from an expression over arrays ---- */

typedef struct items {
    const kn_expr *e;         /* the expression, of array type */
    kn_expr *scalar;          /* its copy on items: operands are VALUE nodes */
    kn_expr **values;         /* the VALUE nodes, one per operand */
    const kn_expr **operands; /* the original operands */
    LLVMValueRef *numbers;    /* the operands that are numbers, evaluated once */
    int n;
} items;

static void compute_item(kn_cg *cg, void *ctx, LLVMValueRef *ptrs)
{
    items *it = ctx;
    for (int i = 0; i < it->n; i++) {
        const kn_type *t = it->operands[i]->type;
        it->values[i]->payload =
            t->kind == KN_ARRAY ? kn_cg_load_item(cg, ptrs[i + 1], t->dtype) : it->numbers[i];
    }
    cg->numpy_math = 1;
    LLVMValueRef v = kn_cg_expr(cg, it->scalar);
    cg->numpy_math = 0;
    if (v)
        kn_cg_store_item(cg, ptrs[0], v, it->e->type->dtype);
}

static kn_expr *value_node(kn_cg *cg, const kn_expr *like)
{
    kn_expr *v = kn_arena_alloc(cg->f->arena, sizeof *v);
    v->kind = KN_E_VALUE;
    v->loc = like->loc;
    v->type = like->type->kind == KN_ARRAY ? like->type->dtype : like->type;
    return v;
}

/* e's copy computing one item: the same operator on VALUE operands, typed as items. */
static int scalar_copy(kn_cg *cg, items *it)
{
    const kn_expr *e = it->e;
    kn_expr *c = kn_arena_alloc(cg->f->arena, sizeof *c);
    *c = *e;
    c->type = e->type->dtype;
    it->values = kn_arena_alloc(cg->f->arena, (size_t)it->n * sizeof *it->values);
    for (int i = 0; i < it->n; i++)
        it->values[i] = value_node(cg, it->operands[i]);
    if (e->kind == KN_E_UNARY)
        c->value = it->values[0];
    else
        c->operands = it->values;
    it->scalar = c;
    return 0;
}

LLVMValueRef kn_cg_elementwise(kn_cg *cg, const kn_expr *e)
{
    int n = e->kind == KN_E_UNARY ? 1 : e->noperands;
    if (n > 15)
        return kn_cg_fail(cg, e->loc, "too many operands for an array expression");
    items it = {.e = e, .n = n};
    it.operands = e->kind == KN_E_UNARY ? (const kn_expr **)&e->value
                                        : (const kn_expr **)e->operands;
    LLVMValueRef arrays[16] = {0}, numbers[16] = {0};
    const kn_type *types[16] = {e->type};
    it.numbers = numbers;
    for (int i = 0; i < n; i++) {
        LLVMValueRef v = kn_cg_expr(cg, it.operands[i]);
        if (!v)
            return NULL;
        types[i + 1] = it.operands[i]->type;
        if (types[i + 1]->kind == KN_ARRAY)
            arrays[i + 1] = v;
        else
            numbers[i] = v;
    }
    scalar_copy(cg, &it);
    LLVMValueRef shape[32];
    kn_cg_broadcast_shape(cg, arrays + 1, types + 1, n, shape, e->type->ndim, 0);
    arrays[0] = kn_cg_array_new(cg, e->type, shape, 0);
    if (!arrays[0])
        return NULL;
    kn_cg_array_visit(cg, arrays, types, n + 1, shape, e->type->ndim, compute_item, &it);
    return PyErr_Occurred() ? NULL : arrays[0];
}

/* ---- storing into every item ---- */

typedef struct fill {
    const kn_type *dtype, *from; /* the destination's items; the source's items or number */
    LLVMValueRef number;         /* the source when it is a number */
} fill;

static void store_item(kn_cg *cg, void *ctx, LLVMValueRef *ptrs)
{
    fill *f = ctx;
    LLVMValueRef v = ptrs[1] ? kn_cg_load_item(cg, ptrs[1], f->from) : f->number;
    kn_cg_store_item(cg, ptrs[0], kn_cg_cast(cg, v, f->from, f->dtype), f->dtype);
}

/* src, or a copy of it when it shares its owner with dst (a[1:] = a[:-1]): NumPy's overlap rule. */
static LLVMValueRef unshared(kn_cg *cg, LLVMValueRef dst, LLVMValueRef src, const kn_type *st)
{
    LLVMValueRef same = LLVMBuildICmp(cg->b, LLVMIntEQ, kn_cg_array_owner(cg, dst),
                                      kn_cg_array_owner(cg, src), "");
    LLVMBasicBlockRef copy = kn_cg_block(cg, "fill.copy"), go = kn_cg_block(cg, "fill.go");
    LLVMBasicBlockRef from = LLVMGetInsertBlock(cg->b);
    LLVMBuildCondBr(cg->b, same, copy, go);
    kn_cg_enter(cg, copy);
    const kn_type *ct = kn_type_array(st->dtype, st->ndim, 'C');
    LLVMValueRef shape[32], strides[32];
    kn_cg_array_parts(cg, src, st, shape, strides);
    LLVMValueRef c = kn_cg_array_new(cg, ct, shape, 0);
    fill f = {.dtype = st->dtype, .from = st->dtype};
    LLVMValueRef both[] = {c, src};
    const kn_type *types[] = {ct, st};
    kn_cg_array_visit(cg, both, types, 2, shape, st->ndim, store_item, &f);
    LLVMBasicBlockRef copied = LLVMGetInsertBlock(cg->b);
    LLVMBuildBr(cg->b, go);
    kn_cg_enter(cg, go);
    LLVMValueRef values[] = {src, c};
    LLVMBasicBlockRef blocks[] = {from, copied};
    return kn_cg_phi(cg, kn_cg_array_type(cg, st), values, blocks, 2);
}

int kn_cg_array_fill(kn_cg *cg, LLVMValueRef dst, const kn_type *dt, LLVMValueRef src,
                     const kn_type *st)
{
    fill f = {.dtype = dt->dtype, .from = st->kind == KN_ARRAY ? st->dtype : st};
    LLVMValueRef arrays[2] = {dst, NULL};
    const kn_type *types[2] = {dt, st};
    LLVMValueRef shape[32];
    kn_cg_array_parts(cg, dst, dt, shape, (LLVMValueRef[32]){0});
    if (st->kind == KN_ARRAY) {
        arrays[1] = unshared(cg, dst, src, st);
        LLVMValueRef wanted[32];
        kn_cg_broadcast_shape(cg, arrays, types, 2, wanted, dt->ndim, 1);
    } else
        f.number = src;
    kn_cg_array_visit(cg, arrays, types, 2, shape, dt->ndim, store_item, &f);
    return PyErr_Occurred() ? -1 : 0;
}
