/* kiln.cuda in kernels, for NVPTX: special registers, the barrier, shared and local arrays,
 * atomics. */
#include <stdio.h>
#include <string.h>

#include "codegen/cg.h"
#include "compiler/cuda_intrinsics.h"
#include "compiler/infer.h"

/* NVPTX's address space of memory shared by a block's threads. */
#define SHARED_ADDRSPACE 3

// threadIdx.x | blockIdx.y | blockDim.z | gridDim.x ...: an i32 special register
static LLVMValueRef sreg(kn_cg *cg, const char *reg)
{
    char name[64];
    snprintf(name, sizeof name, "llvm.nvvm.read.ptx.sreg.%s", reg);
    return kn_cg_intrinsic(cg, name, NULL, 0, NULL, 0);
}

static LLVMValueRef sreg64(kn_cg *cg, const char *reg, char axis)
{
    char name[16];
    snprintf(name, sizeof name, "%s.%c", reg, axis);
    return LLVMBuildSExt(cg->b, sreg(cg, name), LLVMInt64TypeInContext(cg->ctx), "");
}

/*
 * cuda.grid(n): threadIdx + blockIdx * blockDim on each axis;
 * cuda.gridsize(n): blockDim * gridDim. In int64, as Numba, so that grids
 * past 2**31 threads index correctly.
 */
static LLVMValueRef grid(kn_cg *cg, const kn_expr *e, int size)
{
    int n = (int)e->operands[0]->ival;
    LLVMValueRef axes[3];
    for (int i = 0; i < n; i++) {
        char axis = (char)('x' + i);
        LLVMValueRef across = size ? sreg64(cg, "nctaid", axis) : sreg64(cg, "ctaid", axis);
        LLVMValueRef v = LLVMBuildNSWMul(cg->b, across, sreg64(cg, "ntid", axis), "");
        axes[i] = size ? v : LLVMBuildNSWAdd(cg->b, v, sreg64(cg, "tid", axis), "");
    }
    if (n == 1)
        return axes[0];
    LLVMValueRef t = LLVMGetUndef(kn_cg_type(cg, e->type));
    for (int i = 0; i < n; i++)
        t = LLVMBuildInsertValue(cg->b, t, axes[i], (unsigned)i, "");
    return t;
}

/* A constant shape's axes (inference checked them), into dims; returns the item count. */
static long long constant_shape(const kn_expr *shape, int ndim, long long *dims)
{
    long long n = 1;
    for (int i = 0; i < ndim; i++) {
        dims[i] = ndim == 1 && !shape->noperands ? shape->ival : shape->operands[i]->ival;
        n *= dims[i] > 0 ? dims[i] : 0;
    }
    return n;
}

/* A block of memory for n items of dtype: a shared global of the module, or the thread's stack. */
static LLVMValueRef block_memory(kn_cg *cg, const kn_type *dtype, long long n, int shared)
{
    LLVMTypeRef block = LLVMArrayType2(kn_cg_mem_type(cg, dtype), (uint64_t)n);
    if (!shared)
        return kn_cg_alloca(cg, block, "local");
    LLVMValueRef g = LLVMAddGlobalInAddressSpace(cg->mod, block, "shared", SHARED_ADDRSPACE);
    LLVMSetLinkage(g, LLVMInternalLinkage);
    LLVMSetInitializer(g, LLVMGetUndef(block)); /* shared memory cannot be initialized */
    LLVMSetAlignment(g, 16);
    return LLVMConstAddrSpaceCast(g, LLVMPointerTypeInContext(cg->ctx, 0));
}

// cuda.shared.array(shape, dtype) | cuda.local.array(shape, dtype): a C-ordered array, no owner
static LLVMValueRef array(kn_cg *cg, const kn_expr *e, int shared)
{
    const kn_type *t = e->type;
    long long dims[t->ndim];
    long long n = constant_shape(e->operands[0], t->ndim, dims);
    LLVMValueRef shape[t->ndim], strides[t->ndim];
    long long step = kn_cg_itemsize(t->dtype);
    for (int i = t->ndim - 1; i >= 0; i--) {
        shape[i] = kn_cg_i64(cg, dims[i]);
        strides[i] = kn_cg_i64(cg, step);
        step *= dims[i];
    }
    LLVMValueRef owner = LLVMConstNull(LLVMPointerTypeInContext(cg->ctx, 0));
    return kn_cg_array_make(cg, t, owner, block_memory(cg, t->dtype, n, shared), shape, strides);
}

static LLVMAtomicRMWBinOp rmw_op(kn_cuda_rmw rmw, const kn_type *dtype)
{
    if (dtype->kind == KN_FLOAT)
        return rmw == KN_CUDA_ADD   ? LLVMAtomicRMWBinOpFAdd
               : rmw == KN_CUDA_MAX ? LLVMAtomicRMWBinOpFMax
                                    : LLVMAtomicRMWBinOpFMin;
    if (rmw == KN_CUDA_ADD)
        return LLVMAtomicRMWBinOpAdd;
    if (dtype->kind == KN_UINT)
        return rmw == KN_CUDA_MAX ? LLVMAtomicRMWBinOpUMax : LLVMAtomicRMWBinOpUMin;
    return rmw == KN_CUDA_MAX ? LLVMAtomicRMWBinOpMax : LLVMAtomicRMWBinOpMin;
}

// cuda.atomic.add(ary, idx, val) | .max | .min: an atomicrmw on the item, its old value
static LLVMValueRef atomic(kn_cg *cg, const kn_expr *e, kn_cuda_rmw rmw)
{
    const kn_type *at = e->operands[0]->type, *it = e->operands[1]->type;
    LLVMValueRef a = kn_cg_expr(cg, e->operands[0]);
    LLVMValueRef index = a ? kn_cg_expr(cg, e->operands[1]) : NULL;
    LLVMValueRef v = index ? kn_cg_expr_as(cg, e->operands[2], at->dtype) : NULL;
    if (!v)
        return NULL;
    LLVMValueRef idx[at->ndim];
    for (int i = 0; i < at->ndim; i++) {
        int tuple = it->kind == KN_TUPLE;
        LLVMValueRef x = tuple ? LLVMBuildExtractValue(cg->b, index, (unsigned)i, "") : index;
        idx[i] = kn_cg_array_index(cg, x, tuple ? it->fields[i] : it, kn_cg_array_dim(cg, a, i), i);
    }
    LLVMValueRef ptr = kn_cg_array_item_ptr(cg, a, at, idx, at->ndim);
    LLVMValueRef old =
        LLVMBuildAtomicRMW(cg->b, rmw_op(rmw, at->dtype), ptr, kn_cg_to_mem(cg, v, at->dtype),
                           LLVMAtomicOrderingMonotonic, 0);
    return kn_cg_from_mem(cg, old, at->dtype);
}

LLVMValueRef kn_cg_cuda_libdevice(kn_cg *cg, const char *intrinsic, LLVMTypeRef *types, int ntypes,
                                  LLVMValueRef *args, int n)
{
    /* What NVPTX has instructions for (sqrt, fabs, floor, ...) stays an intrinsic. */
    static const char *const libdevice[] = {"llvm.pow",   "llvm.exp", "llvm.log", "llvm.log2",
                                            "llvm.log10", "llvm.sin", "llvm.cos"};
    size_t i = 0;
    while (i < sizeof libdevice / sizeof libdevice[0] && strcmp(libdevice[i], intrinsic))
        i++;
    if (i == sizeof libdevice / sizeof libdevice[0] || ntypes != 1)
        return NULL;
    char name[32];
    int single = LLVMGetTypeKind(types[0]) == LLVMFloatTypeKind;
    snprintf(name, sizeof name, "__nv_%s%s", intrinsic + 5, single ? "f" : "");
    LLVMTypeRef params[] = {types[0], types[0]};
    return kn_cg_fast(cg,
                      kn_cg_call(cg, kn_cg_declare_pure(cg, name, types[0], params, n), args, n));
}

LLVMValueRef kn_cg_cuda(kn_cg *cg, const kn_expr *e)
{
    const kn_cuda_intrinsic *c = e->payload;
    switch (c->op) {
    case KN_CUDA_SREG:
        return sreg(cg, c->sreg);
    case KN_CUDA_GRID:
        return grid(cg, e, 0);
    case KN_CUDA_GRIDSIZE:
        return grid(cg, e, 1);
    case KN_CUDA_SYNCTHREADS:
        kn_cg_intrinsic(cg, "llvm.nvvm.barrier0", NULL, 0, NULL, 0);
        return kn_cg_no_value(cg);
    case KN_CUDA_SHARED:
        return array(cg, e, 1);
    case KN_CUDA_LOCAL:
        return array(cg, e, 0);
    case KN_CUDA_ATOMIC:
        return atomic(cg, e, c->rmw);
    }
    return NULL;
}
