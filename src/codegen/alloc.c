/* Arrays made by compiled code: np.empty and its family, arange, linspace, copy, fill. */
#include "codegen/cg.h"
#include "compiler/infer.h"
#include "runtime/raise.h"

static char kind_letter(const kn_type *dtype)
{
    switch (dtype->kind) {
    case KN_BOOL:
        return 'b';
    case KN_INT:
        return 'i';
    case KN_UINT:
        return 'u';
    case KN_FLOAT:
        return 'f';
    default:
        return 'c';
    }
}

/*
 * The runtime allocates through NumPy and fills in owner, data and
 * strides; the shape stays the values given, so LLVM knows the new
 * array's length equals the one it came from (zeros_like(a) and a).
 */
LLVMValueRef kn_cg_array_new(kn_cg *cg, const kn_type *t, LLVMValueRef *shape, int zero)
{
    LLVMTypeRef ty = kn_cg_array_type(cg, t), i32 = LLVMInt32TypeInContext(cg->ctx);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(cg->ctx, 0), i64 = LLVMInt64TypeInContext(cg->ctx);
    LLVMValueRef view = kn_cg_alloca(cg, ty, "new");
    LLVMValueRef dims = LLVMGetUndef(LLVMStructGetTypeAtIndex(ty, 2));
    for (int i = 0; i < t->ndim; i++)
        dims = LLVMBuildInsertValue(cg->b, dims, shape[i], (unsigned)i, "");
    LLVMBuildStore(cg->b, dims, LLVMBuildStructGEP2(cg->b, ty, view, 2, ""));
    LLVMValueRef fn = kn_cg_declare(cg, "kn_rt_array_new", i32,
                                    (LLVMTypeRef[]){ptr, i64, i32, i32, i32, i32}, 6);
    LLVMValueRef args[] = {
        view,
        kn_cg_i64(cg, t->ndim),
        LLVMConstInt(i32, (unsigned)kind_letter(t->dtype), 0),
        LLVMConstInt(i32, (unsigned)kn_cg_itemsize(t->dtype), 0),
        LLVMConstInt(i32, t->layout == 'F', 0),
        LLVMConstInt(i32, (unsigned)zero, 0),
    };
    kn_cg_check_status(cg, kn_cg_call(cg, fn, args, 6));
    LLVMValueRef made = LLVMBuildLoad2(cg->b, ty, view, "");
    LLVMValueRef a = LLVMBuildInsertValue(cg->b, made, dims, 2, "");
    return kn_cg_own(cg, a, t);
}

/* The shape argument: an int, or a tuple of ints. */
static int shape_of(kn_cg *cg, const kn_expr *x, LLVMValueRef *shape)
{
    LLVMValueRef v = kn_cg_expr(cg, x);
    if (!v)
        return -1;
    if (x->type->kind != KN_TUPLE) {
        shape[0] = kn_cg_cast(cg, v, x->type, kn_type_int(64));
        return 0;
    }
    for (int i = 0; i < x->type->nfields; i++)
        shape[i] = kn_cg_cast(cg, LLVMBuildExtractValue(cg->b, v, (unsigned)i, ""),
                              x->type->fields[i], kn_type_int(64));
    return 0;
}

static LLVMValueRef one_of(kn_cg *cg, const kn_type *dtype)
{
    return kn_cg_cast(cg, kn_cg_i64(cg, 1), kn_type_int(64), dtype);
}

// np.empty(shape) | np.zeros | np.ones | np.full(shape, v) | np.*_like(a[, ...])
static LLVMValueRef allocate(kn_cg *cg, const kn_expr *e, kn_builtin id)
{
    const kn_type *t = e->type;
    LLVMValueRef shape[32], strides[32];
    int like = id >= KN_BI_NP_EMPTY_LIKE;
    if (like) {
        LLVMValueRef a = kn_cg_expr(cg, e->operands[0]);
        if (!a)
            return NULL;
        kn_cg_array_parts(cg, a, e->operands[0]->type, shape, strides);
    } else if (shape_of(cg, e->operands[0], shape) < 0)
        return NULL;
    kn_builtin base = like ? id - (KN_BI_NP_EMPTY_LIKE - KN_BI_NP_EMPTY) : id;
    LLVMValueRef value = NULL;
    const kn_type *vt = t->dtype;
    if (base == KN_BI_NP_FULL) {
        if (!(value = kn_cg_expr(cg, e->operands[1])))
            return NULL;
        vt = e->operands[1]->type;
    } else if (base == KN_BI_NP_ONES)
        value = one_of(cg, t->dtype);
    LLVMValueRef a = kn_cg_array_new(cg, t, shape, base == KN_BI_NP_ZEROS);
    if (a && value && kn_cg_array_fill(cg, a, t, value, vt) < 0)
        return NULL;
    return a;
}

// a.copy(): a new C array with a's items
static LLVMValueRef copy(kn_cg *cg, const kn_expr *e)
{
    const kn_type *st = e->operands[0]->type;
    LLVMValueRef src = kn_cg_expr(cg, e->operands[0]);
    if (!src)
        return NULL;
    LLVMValueRef shape[32], strides[32];
    kn_cg_array_parts(cg, src, st, shape, strides);
    LLVMValueRef a = kn_cg_array_new(cg, e->type, shape, 0);
    if (a && kn_cg_array_fill(cg, a, e->type, src, st) < 0)
        return NULL;
    return a;
}

// a.fill(v)
static LLVMValueRef fill(kn_cg *cg, const kn_expr *e)
{
    LLVMValueRef a = kn_cg_expr(cg, e->operands[0]);
    LLVMValueRef v = a ? kn_cg_expr(cg, e->operands[1]) : NULL;
    if (!v || kn_cg_array_fill(cg, a, e->operands[0]->type, v, e->operands[1]->type) < 0)
        return NULL;
    return kn_cg_no_value(cg);
}

/* Writes first + i * step (computed in the dtype's arithmetic) into a's n items. */
static void fill_progression(kn_cg *cg, LLVMValueRef a, const kn_type *t, LLVMValueRef n,
                             LLVMValueRef item_of_i(kn_cg *, LLVMValueRef, void *), void *ctx)
{
    kn_cg_counter c;
    LLVMValueRef at = kn_cg_count_begin(cg, &c, n);
    LLVMValueRef ptr = kn_cg_array_item_ptr(cg, a, t, &at, 1);
    kn_cg_store_item(cg, ptr, item_of_i(cg, at, ctx), t->dtype);
    kn_cg_count_end(cg, &c, at);
}

typedef struct progression {
    const kn_type *in; /* the type first and step compute in */
    const kn_type *dtype;
    LLVMValueRef first, step;
} progression;

static LLVMValueRef arange_item(kn_cg *cg, LLVMValueRef i, void *ctx)
{
    progression *p = ctx;
    LLVMValueRef x = kn_cg_cast(cg, i, kn_type_int(64), p->in);
    LLVMValueRef v = kn_cg_binary(cg, KN_OP_ADD, p->first, p->in,
                                  kn_cg_binary(cg, KN_OP_MUL, x, p->in, p->step, p->in, p->in),
                                  p->in, p->in);
    if (p->in->kind == KN_FLOAT) /* the first is start itself, even when step is infinite */
        v = LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, i, kn_cg_i64(cg, 0), ""),
                            p->first, v, "");
    return kn_cg_cast(cg, v, p->in, p->dtype);
}

/*
 * np.arange's length in integers: ceil(span / |step|), in unsigned
 * arithmetic, where any span between two int64 fits; a length past int64
 * raises ValueError, as NumPy's.
 */
static LLVMValueRef int_arange_length(kn_cg *cg, LLVMValueRef *v)
{
    LLVMBuilderRef B = cg->b;
    LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(v[2]));
    kn_cg_raise_if(cg, LLVMBuildICmp(B, LLVMIntEQ, v[2], zero, ""), KN_RT_ZERO_DIVISION_ERROR,
                   "division by zero");
    LLVMValueRef up = LLVMBuildICmp(B, LLVMIntSGT, v[2], zero, "");
    LLVMValueRef span = LLVMBuildSelect(B, up, LLVMBuildSub(B, v[1], v[0], ""),
                                        LLVMBuildSub(B, v[0], v[1], ""), "");
    LLVMValueRef step = LLVMBuildSelect(B, up, v[2], LLVMBuildNeg(B, v[2], ""), "");
    LLVMValueRef whole = LLVMBuildUDiv(B, span, step, "");
    LLVMValueRef part = LLVMBuildICmp(B, LLVMIntNE, LLVMBuildURem(B, span, step, ""), zero, "");
    LLVMValueRef n = LLVMBuildAdd(B, whole, LLVMBuildZExt(B, part, LLVMTypeOf(whole), ""), "");
    LLVMValueRef ahead = LLVMBuildSelect(B, up, LLVMBuildICmp(B, LLVMIntSLT, v[0], v[1], ""),
                                         LLVMBuildICmp(B, LLVMIntSGT, v[0], v[1], ""), "");
    n = LLVMBuildSelect(B, ahead, n, zero, "");
    kn_cg_raise_if(cg, LLVMBuildICmp(B, LLVMIntSLT, n, zero, ""), KN_RT_VALUE_ERROR,
                   "Maximum allowed size exceeded");
    return n;
}

/*
 * np.arange's length in floats, checked as NumPy checks it: NaN and
 * lengths past int64 raise ValueError; a span that underflows to +0 steps
 * still makes one item.
 */
static LLVMValueRef float_arange_length(kn_cg *cg, LLVMValueRef *v)
{
    LLVMBuilderRef B = cg->b;
    LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(v[2]));
    kn_cg_raise_if(cg, LLVMBuildFCmp(B, LLVMRealOEQ, v[2], zero, ""), KN_RT_ZERO_DIVISION_ERROR,
                   "float division by zero");
    LLVMValueRef span = LLVMBuildFSub(B, v[1], v[0], "");
    LLVMValueRef q = LLVMBuildFDiv(B, span, v[2], "");
    kn_cg_raise_if(cg, LLVMBuildFCmp(B, LLVMRealUNO, q, q, ""), KN_RT_VALUE_ERROR,
                   "arange: cannot compute length");
    LLVMTypeRef f64 = LLVMTypeOf(q);
    LLVMValueRef items = kn_cg_intrinsic(cg, "llvm.ceil", &f64, 1, &q, 1);
    LLVMValueRef size = kn_cg_intrinsic(cg, "llvm.fabs", &f64, 1, &items, 1);
    kn_cg_raise_if(cg, LLVMBuildFCmp(B, LLVMRealOGE, size, LLVMConstReal(f64, 0x1p63), ""),
                   KN_RT_VALUE_ERROR, "Maximum allowed size exceeded");
    LLVMValueRef one = LLVMConstReal(f64, 1.0);
    LLVMValueRef sign = kn_cg_intrinsic(cg, "llvm.copysign", &f64, 1, (LLVMValueRef[]){one, q}, 2);
    LLVMValueRef underflow = LLVMBuildAnd(
        B, LLVMBuildFCmp(B, LLVMRealONE, span, zero, ""),
        LLVMBuildAnd(B, LLVMBuildFCmp(B, LLVMRealOEQ, q, zero, ""),
                     LLVMBuildFCmp(B, LLVMRealOGT, sign, zero, ""), ""),
        "");
    items = LLVMBuildSelect(B, underflow, one, items, "");
    return LLVMBuildFPToSI(B, items, LLVMInt64TypeInContext(cg->ctx), "");
}

// np.arange(start, stop, step): ceil((stop - start) / step) items, never fewer than 0
static LLVMValueRef arange(kn_cg *cg, const kn_expr *e)
{
    const kn_type *dtype = e->type->dtype;
    int ints = 1;
    for (int i = 0; i < 3; i++)
        ints &= kn_cg_is_intlike(e->operands[i]->type);
    const kn_type *in = ints ? kn_type_int(64) : kn_type_float(64);
    LLVMValueRef v[3];
    for (int i = 0; i < 3; i++)
        if (!(v[i] = kn_cg_expr_as(cg, e->operands[i], in)))
            return NULL;
    LLVMValueRef n = ints ? int_arange_length(cg, v) : float_arange_length(cg, v);
    LLVMValueRef i0 = kn_cg_i64(cg, 0);
    n = LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, n, i0, ""), i0, n, "arange.len");
    if (dtype->kind == KN_BOOL) /* NumPy's rule: False, True is as far as bools count */
        kn_cg_raise_if(cg, LLVMBuildICmp(cg->b, LLVMIntSGT, n, kn_cg_i64(cg, 2), ""),
                       KN_RT_TYPE_ERROR,
                       "arange() is only supported for booleans when the result has at most "
                       "length 2.");
    LLVMValueRef a = kn_cg_array_new(cg, e->type, &n, 0);
    if (!a)
        return NULL;
    progression p = {.in = in, .dtype = dtype, .first = v[0], .step = v[2]};
    fill_progression(cg, a, e->type, n, arange_item, &p);
    return a;
}

static LLVMValueRef linspace_item(kn_cg *cg, LLVMValueRef i, void *ctx)
{
    progression *p = ctx;
    LLVMValueRef x = LLVMBuildSIToFP(cg->b, i, LLVMDoubleTypeInContext(cg->ctx), "");
    return LLVMBuildFAdd(cg->b, p->first, LLVMBuildFMul(cg->b, x, p->step, ""), "");
}

// np.linspace(start, stop, num): num evenly spaced floats, the last exactly stop
static LLVMValueRef linspace(kn_cg *cg, const kn_expr *e)
{
    const kn_type *f64 = kn_type_float(64);
    LLVMValueRef lo = kn_cg_expr_as(cg, e->operands[0], f64);
    LLVMValueRef hi = lo ? kn_cg_expr_as(cg, e->operands[1], f64) : NULL;
    LLVMValueRef n = hi ? kn_cg_expr_as(cg, e->operands[2], kn_type_int(64)) : NULL;
    if (!n)
        return NULL;
    kn_cg_raise_if(cg, LLVMBuildICmp(cg->b, LLVMIntSLT, n, kn_cg_i64(cg, 0), ""),
                   KN_RT_VALUE_ERROR, "Number of samples must be non-negative.");
    LLVMValueRef a = kn_cg_array_new(cg, e->type, &n, 0);
    if (!a)
        return NULL;
    LLVMValueRef one = kn_cg_i64(cg, 1);
    LLVMValueRef intervals = LLVMBuildSelect(
        cg->b, LLVMBuildICmp(cg->b, LLVMIntSGT, n, one, ""), LLVMBuildSub(cg->b, n, one, ""), one, "");
    LLVMValueRef step = LLVMBuildFDiv(
        cg->b, LLVMBuildFSub(cg->b, hi, lo, ""),
        LLVMBuildSIToFP(cg->b, intervals, LLVMDoubleTypeInContext(cg->ctx), ""), "");
    progression p = {.first = lo, .step = step};
    fill_progression(cg, a, e->type, n, linspace_item, &p);
    /* the last item is stop itself, as NumPy makes it */
    LLVMBasicBlockRef last = kn_cg_block(cg, "linspace.last"), done = kn_cg_block(cg, "linspace.end");
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSGT, n, one, ""), last, done);
    kn_cg_enter(cg, last);
    LLVMValueRef at = LLVMBuildSub(cg->b, n, one, "");
    kn_cg_store_item(cg, kn_cg_array_item_ptr(cg, a, e->type, &at, 1), hi, f64);
    LLVMBuildBr(cg->b, done);
    kn_cg_enter(cg, done);
    return a;
}

LLVMValueRef kn_cg_array_alloc_call(kn_cg *cg, const kn_expr *e)
{
    kn_builtin id = (kn_builtin)e->ival;
    switch (id) {
    case KN_BI_ARRAY_COPY:
        return copy(cg, e);
    case KN_BI_ARRAY_FILL:
        return fill(cg, e);
    case KN_BI_NP_ARANGE:
        return arange(cg, e);
    case KN_BI_NP_LINSPACE:
        return linspace(cg, e);
    default:
        return allocate(cg, e, id);
    }
}
