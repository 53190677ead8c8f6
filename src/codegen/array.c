/* Arrays in compiled code: their LLVM form, shape and strides, items, and views. */
#include "codegen/cg.h"

#include <string.h>

#include "runtime/raise.h"

/*
 * An array of ndim dimensions is the struct runtime/array.h describes:
 * {ptr owner, ptr data, [ndim x i64] shape, [ndim x i64] strides}, strides
 * in bytes. The same struct in registers and in memory.
 */
enum { OWNER, DATA, SHAPE, STRIDES };

LLVMTypeRef kn_cg_array_type(kn_cg *cg, const kn_type *t)
{
    LLVMTypeRef ptr = LLVMPointerTypeInContext(cg->ctx, 0);
    LLVMTypeRef dims = LLVMArrayType2(LLVMInt64TypeInContext(cg->ctx), (uint64_t)t->ndim);
    LLVMTypeRef fields[] = {ptr, ptr, dims, dims};
    return LLVMStructTypeInContext(cg->ctx, fields, 4, 0);
}

int kn_cg_itemsize(const kn_type *dtype)
{
    return dtype->kind == KN_BOOL ? 1 : dtype->bits / 8;
}

LLVMValueRef kn_cg_array_owner(kn_cg *cg, LLVMValueRef a)
{
    return LLVMBuildExtractValue(cg->b, a, OWNER, "owner");
}

LLVMValueRef kn_cg_array_data(kn_cg *cg, LLVMValueRef a)
{
    return LLVMBuildExtractValue(cg->b, a, DATA, "data");
}

LLVMValueRef kn_cg_array_dim(kn_cg *cg, LLVMValueRef a, int axis)
{
    LLVMValueRef dims = LLVMBuildExtractValue(cg->b, a, SHAPE, "");
    return LLVMBuildExtractValue(cg->b, dims, (unsigned)axis, "dim");
}

/* A contiguous array's innermost stride is its itemsize: a constant, which lets LLVM vectorize. */
LLVMValueRef kn_cg_array_stride(kn_cg *cg, LLVMValueRef a, const kn_type *t, int axis)
{
    int inner = (t->layout == 'C' && axis == t->ndim - 1) || (t->layout == 'F' && axis == 0);
    if (inner)
        return kn_cg_i64(cg, kn_cg_itemsize(t->dtype));
    LLVMValueRef strides = LLVMBuildExtractValue(cg->b, a, STRIDES, "");
    return LLVMBuildExtractValue(cg->b, strides, (unsigned)axis, "stride");
}

LLVMValueRef kn_cg_array_size(kn_cg *cg, LLVMValueRef a, const kn_type *t)
{
    LLVMValueRef n = kn_cg_i64(cg, 1);
    for (int i = 0; i < t->ndim; i++)
        n = LLVMBuildNSWMul(cg->b, n, kn_cg_array_dim(cg, a, i), "size");
    return n;
}

LLVMValueRef kn_cg_array_make(kn_cg *cg, const kn_type *t, LLVMValueRef owner, LLVMValueRef data,
                              LLVMValueRef *shape, LLVMValueRef *strides)
{
    LLVMTypeRef ty = kn_cg_array_type(cg, t);
    LLVMTypeRef dims_ty = LLVMStructGetTypeAtIndex(ty, SHAPE);
    LLVMValueRef dims = LLVMGetUndef(dims_ty), steps = LLVMGetUndef(dims_ty);
    for (int i = 0; i < t->ndim; i++) {
        dims = LLVMBuildInsertValue(cg->b, dims, shape[i], (unsigned)i, "");
        steps = LLVMBuildInsertValue(cg->b, steps, strides[i], (unsigned)i, "");
    }
    LLVMValueRef a = LLVMGetUndef(ty);
    a = LLVMBuildInsertValue(cg->b, a, owner, OWNER, "");
    a = LLVMBuildInsertValue(cg->b, a, data, DATA, "");
    a = LLVMBuildInsertValue(cg->b, a, dims, SHAPE, "");
    return LLVMBuildInsertValue(cg->b, a, steps, STRIDES, "");
}

/* Every field of a, shape and strides into arrays of ndim values. */
void kn_cg_array_parts(kn_cg *cg, LLVMValueRef a, const kn_type *t, LLVMValueRef *shape,
                       LLVMValueRef *strides)
{
    for (int i = 0; i < t->ndim; i++) {
        shape[i] = kn_cg_array_dim(cg, a, i);
        strides[i] = kn_cg_array_stride(cg, a, t, i);
    }
}

/*
 * An index into axis of size dim, as Python reads it: negative counts from
 * the end; out of range raises IndexError unless bounds checks are off.
 * Returns the index as a non-negative i64.
 */
LLVMValueRef kn_cg_array_index(kn_cg *cg, LLVMValueRef index, const kn_type *it, LLVMValueRef dim,
                               int axis)
{
    LLVMValueRef i = kn_cg_cast(cg, index, it, it->kind == KN_UINT ? kn_type_uint(64)
                                                                    : kn_type_int(64));
    if (it->kind != KN_UINT && it->kind != KN_BOOL) {
        LLVMValueRef negative = LLVMBuildICmp(cg->b, LLVMIntSLT, i, kn_cg_i64(cg, 0), "");
        i = LLVMBuildSelect(cg->b, negative, LLVMBuildAdd(cg->b, i, dim, ""), i, "index");
    }
    if (!cg->opts->boundscheck)
        return i;
    LLVMValueRef out = LLVMBuildICmp(cg->b, LLVMIntUGE, i, dim, "");
    LLVMBasicBlockRef raise = kn_cg_block(cg, "index.error"), ok = kn_cg_block(cg, "index.ok");
    kn_cg_unlikely(cg, LLVMBuildCondBr(cg->b, out, raise, ok));
    kn_cg_enter(cg, raise);
    LLVMTypeRef i64 = LLVMInt64TypeInContext(cg->ctx);
    LLVMValueRef fn = kn_cg_declare(cg, "kn_rt_index_error", LLVMInt32TypeInContext(cg->ctx),
                                    (LLVMTypeRef[]){i64, i64, i64}, 3);
    LLVMValueRef args[] = {kn_cg_cast(cg, index, it, kn_type_int(64)), kn_cg_i64(cg, axis), dim};
    kn_cg_call(cg, fn, args, 3);
    LLVMBuildBr(cg->b, cg->error);
    kn_cg_enter(cg, ok);
    return i;
}

int kn_cg_folds_float_index(kn_cg *cg)
{
    return !cg->gpu && cg->opts->boundscheck && strncmp(LLVMGetTarget(cg->mod), "x86_64", 6) == 0;
}

/*
 * a[int(x)] for a float x, where kn_cg_folds_float_index: int()'s range
 * check and the wrap of negative indexes fold into the bounds check.
 * cvttsd2si answers INT64_MIN for NaN and for |x| >= 2**63, which no bounds
 * check lets through, so the fast path is one unsigned compare, as a
 * histogram's counts[int((v - lo) * scale)] += 1 wants. The slow path (a
 * negative index, NaN, an infinity, or a float past int64 that int() wraps)
 * converts as int() does and checks again.
 */
LLVMValueRef kn_cg_array_float_index(kn_cg *cg, LLVMValueRef x, LLVMValueRef dim, int axis)
{
    LLVMTypeRef f64 = LLVMDoubleTypeInContext(cg->ctx), i64 = LLVMInt64TypeInContext(cg->ctx);
    x = LLVMBuildFPExt(cg->b, x, f64, "");
    LLVMValueRef lanes = LLVMBuildInsertElement(cg->b, LLVMGetUndef(LLVMVectorType(f64, 2)), x,
                                                kn_cg_i64(cg, 0), "");
    LLVMValueRef truncated = kn_cg_intrinsic(cg, "llvm.x86.sse2.cvttsd2si64", NULL, 0, &lanes, 1);
    LLVMValueRef values[2] = {truncated};
    LLVMBasicBlockRef from[2] = {LLVMGetInsertBlock(cg->b)};
    LLVMValueRef out = LLVMBuildICmp(cg->b, LLVMIntUGE, values[0], dim, "");
    LLVMBasicBlockRef slow = kn_cg_block(cg, "index.slow"), ok = kn_cg_block(cg, "index.ok");
    kn_cg_unlikely(cg, LLVMBuildCondBr(cg->b, out, slow, ok));
    kn_cg_enter(cg, slow);
    LLVMTypeRef params[] = {f64, i64, i64, LLVMPointerTypeInContext(cg->ctx, 0)};
    LLVMValueRef fn =
        kn_cg_declare(cg, "kn_rt_float_index", LLVMInt32TypeInContext(cg->ctx), params, 4);
    LLVMValueRef slot = kn_cg_alloca(cg, i64, "index");
    LLVMValueRef args[] = {x, dim, kn_cg_i64(cg, axis), slot};
    kn_cg_check_status(cg, kn_cg_call(cg, fn, args, 4));
    values[1] = LLVMBuildLoad2(cg->b, i64, slot, "");
    from[1] = LLVMGetInsertBlock(cg->b);
    LLVMBuildBr(cg->b, ok);
    kn_cg_enter(cg, ok);
    return kn_cg_phi(cg, i64, values, from, 2);
}

/* The address of the item at idx[0..n) (already made non-negative and checked). */
LLVMValueRef kn_cg_array_item_ptr(kn_cg *cg, LLVMValueRef a, const kn_type *t,
                                  LLVMValueRef *idx, int n)
{
    LLVMValueRef offset = kn_cg_i64(cg, 0);
    for (int i = 0; i < n; i++) {
        LLVMValueRef step = LLVMBuildNSWMul(cg->b, idx[i], kn_cg_array_stride(cg, a, t, i), "");
        offset = LLVMBuildNSWAdd(cg->b, offset, step, "");
    }
    LLVMTypeRef i8 = LLVMInt8TypeInContext(cg->ctx);
    return LLVMBuildInBoundsGEP2(cg->b, i8, kn_cg_array_data(cg, a), &offset, 1, "item");
}

LLVMValueRef kn_cg_load_item(kn_cg *cg, LLVMValueRef ptr, const kn_type *dtype)
{
    LLVMTypeRef mem = kn_cg_mem_type(cg, dtype);
    return kn_cg_from_mem(cg, LLVMBuildLoad2(cg->b, mem, ptr, ""), dtype);
}

void kn_cg_store_item(kn_cg *cg, LLVMValueRef ptr, LLVMValueRef v, const kn_type *dtype)
{
    LLVMBuildStore(cg->b, kn_cg_to_mem(cg, v, dtype), ptr);
}
