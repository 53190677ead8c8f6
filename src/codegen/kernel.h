/* Typed AST -> LLVM IR for the GPU: a CUDA kernel's entry, and the device functions it calls. */
#ifndef KN_CODEGEN_KERNEL_H
#define KN_CODEGEN_KERNEL_H

#include <llvm-c/Core.h>

#include "compiler/ast.h"
#include "compiler/compile.h"

/*
 * Lowers f, typed by kn_infer for sig with env.gpu set, into mod (made by
 * kn_jit_ptx_module_new) as the function `symbol`, with func.c's native
 * calling convention: internal to the module and always inlined. On the
 * device there is no owner to count, no Python and no interrupt flag:
 * references are not counted, an error traps, loops do not poll. A device
 * function a kernel calls is lowered so before the kernel, under the symbol
 * its KN_BI_JIT calls name. Returns 0, or -1 with kiln.TypingError set.
 */
int kn_cg_lower_device(const kn_func *f, const kn_signature *sig, const kn_compile_options *opts,
                       LLVMModuleRef mod, const char *symbol);

/*
 * Lowers the kernel f (it returns nothing) as `name`_impl, then its entry
 * `name`, marked a kernel in nvvm.annotations. The entry's parameters are
 * sig's arguments flattened, as the host packs them for cuLaunchKernel:
 * an array of n dimensions is its data pointer, n i64 sizes and n i64
 * strides in bytes; a number is passed by value in its memory form (bool
 * as one byte). Returns 0, or -1 with an exception set.
 */
int kn_cg_lower_kernel(const kn_func *f, const kn_signature *sig, const kn_compile_options *opts,
                       LLVMModuleRef mod, const char *name);

#endif
