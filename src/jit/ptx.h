/* PTX for NVIDIA GPUs from LLVM's NVPTX target: target machines, libdevice, the pipeline, the text.
 */
#ifndef KN_JIT_PTX_H
#define KN_JIT_PTX_H

#include "jit/jit.h"

/*
 * The GPU architecture PTX is made for when the caller names none:
 * $KILN_CUDA_ARCH ("sm_90"), else sm_70, which every GPU CUDA 12 runs can
 * load (the driver compiles PTX for its own GPU).
 */
const char *kn_jit_ptx_default_arch(void);

/*
 * An empty module for NVPTX named `name` (triple nvptx64-nvidia-cuda and
 * its data layout), in a context of its own; kn_jit_module_dispose frees
 * it. Returns 0, or -1 with RuntimeError set (no NVPTX target, or an
 * architecture LLVM does not know).
 */
int kn_jit_ptx_module_new(kn_jit_module *m, const char *name, const char *arch);

/*
 * Optimizes mod for arch (O3 with NVPTX's own passes: address spaces
 * inferred, so array accesses become ld.global and ld.shared) and returns
 * its PTX, malloc'd. Debug info is dropped first. The __nv_* functions it
 * calls (math on the device) come from the CUDA toolkit's libdevice,
 * linked in when it is found ($CUDA_HOME or /usr/local/cuda). Every
 * function but `kernel` becomes internal. *ir_raw and *ir_optimized get
 * the IR as it came and after O3, malloc'd. NULL with an exception set on
 * failure (what the IR pointers got is the caller's to free).
 */
char *kn_jit_ptx(LLVMModuleRef mod, const char *arch, const char *kernel, char **ir_raw,
                 char **ir_optimized);

#endif
