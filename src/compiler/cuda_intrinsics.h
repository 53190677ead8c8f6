/* The kiln.cuda names a kernel can use, shared by their typing and their lowering. */
#ifndef KN_COMPILER_CUDA_INTRINSICS_H
#define KN_COMPILER_CUDA_INTRINSICS_H

typedef enum kn_cuda_op {
    KN_CUDA_SREG,        /* threadIdx.x, blockIdx.y, ...: int32, a special register */
    KN_CUDA_GRID,        /* grid(ndim): the thread's absolute position, int64 or a tuple */
    KN_CUDA_GRIDSIZE,    /* gridsize(ndim): the number of threads in the grid, likewise */
    KN_CUDA_SYNCTHREADS, /* syncthreads(): the block's barrier */
    KN_CUDA_SHARED,      /* shared.array(shape, dtype): per block, in shared memory */
    KN_CUDA_LOCAL,       /* local.array(shape, dtype): per thread */
    KN_CUDA_ATOMIC,      /* atomic.add(ary, idx, val): the old value */
} kn_cuda_op;

typedef enum kn_cuda_rmw { KN_CUDA_ADD, KN_CUDA_MAX, KN_CUDA_MIN } kn_cuda_rmw;

/*
 * One name under kiln.cuda. A CALL of one has ival KN_BI_CUDA and its row
 * as payload; the attributes of threadIdx and the others become such calls
 * with no arguments.
 */
typedef struct kn_cuda_intrinsic {
    const char *path; /* under kiln.cuda: "grid", "threadIdx.x", "atomic.add" */
    kn_cuda_op op;
    const char *sreg; /* SREG: the register, "tid.x" for llvm.nvvm.read.ptx.sreg.tid.x */
    kn_cuda_rmw rmw;  /* ATOMIC */
} kn_cuda_intrinsic;

#endif
