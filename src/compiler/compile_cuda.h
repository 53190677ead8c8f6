/* One CUDA kernel: a Python function compiled to PTX for one tuple of argument types. */
#ifndef KN_COMPILER_COMPILE_CUDA_H
#define KN_COMPILER_COMPILE_CUDA_H

#include <Python.h>

#include "compiler/types.h"

typedef struct kn_cuda_kernel {
    kn_signature sig;   /* the argument types; ret is void */
    char *name;         /* the kernel's .entry in the PTX */
    char arch[16];      /* the architecture the PTX is for: "sm_70" */
    char *ir_raw;       /* LLVM IR before optimization */
    char *ir_optimized; /* after O3 for NVPTX */
    char *ptx;
} kn_cuda_kernel;

/*
 * Compiles the kernel func (a Python function that returns nothing) for
 * sig's argument types to PTX for arch (NULL: kn_jit_ptx_default_arch).
 * The device functions it calls (objects with a py_func and a true
 * _kiln_cuda_device attribute, as @cuda.jit(device=True) makes) are
 * compiled for their argument types into the same module. Needs no GPU.
 * Returns NULL with an exception set: kiln.TypingError for what cannot run
 * on the device. Called with the GIL held.
 */
kn_cuda_kernel *kn_cuda_compile(PyObject *func, const kn_signature *sig, const char *arch);
void kn_cuda_free(kn_cuda_kernel *k);

#endif
