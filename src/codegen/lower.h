/* Typed AST -> LLVM IR: one specialization's native entry and Python wrapper. */
#ifndef KN_CODEGEN_LOWER_H
#define KN_CODEGEN_LOWER_H

#include <llvm-c/Core.h>

#include "compiler/ast.h"
#include "compiler/compile.h"

/* The Python wrapper's symbol is the native entry's plus this. */
#define KN_CG_WRAPPER_SUFFIX "_py"

/*
 * Lowers f, typed by kn_infer for sig, into mod (empty, with the host's
 * triple and data layout): the native entry takes the module's name
 * (kn_jit_module_new makes it unique), the wrapper that name plus
 * KN_CG_WRAPPER_SUFFIX; src/codegen/func.c documents the native calling
 * convention. Returns 0, or -1 with kiln.TypingError set for what the
 * native back end cannot compile (with its location), or SystemError for
 * a module LLVM's verifier rejects (a bug in Kiln).
 */
int kn_cg_lower(const kn_func *f, const kn_signature *sig, const kn_compile_options *opts,
                LLVMModuleRef mod);

#endif
