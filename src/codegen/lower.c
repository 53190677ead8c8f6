/* The lowering driver: one typed function into its native entry and wrapper, verified. */
#include "codegen/lower.h"

#include <llvm-c/Analysis.h>
#include <stdio.h>
#include <stdlib.h>

#include "codegen/cg.h"

/* A verifier failure is Kiln's bug, never the user's: say so with LLVM's words. */
static int verify(LLVMModuleRef mod)
{
    char *msg = NULL;
    int bad = LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg);
    if (bad)
        PyErr_Format(PyExc_SystemError, "kiln: generated invalid LLVM IR (a bug in kiln): %s", msg);
    LLVMDisposeMessage(msg);
    return bad ? -1 : 0;
}

int kn_cg_generate(kn_cg *cg, LLVMModuleRef mod, int (*define_native)(kn_cg *),
                   void (*define_wrapper)(kn_cg *, const char *))
{
    size_t len;
    cg->name = LLVMGetModuleIdentifier(mod, &len);
    cg->ctx = LLVMGetModuleContext(mod);
    cg->mod = mod;
    cg->b = LLVMCreateBuilderInContext(cg->ctx);
    kn_cg_debug_init(cg);
    int rc = define_native(cg);
    if (rc == 0) {
        char wrapper[len + sizeof KN_CG_WRAPPER_SUFFIX];
        snprintf(wrapper, sizeof wrapper, "%s%s", cg->name, KN_CG_WRAPPER_SUFFIX);
        define_wrapper(cg, wrapper);
    }
    kn_cg_debug_finish(cg);
    LLVMDisposeBuilder(cg->b);
    return rc < 0 ? -1 : verify(mod);
}

int kn_cg_lower(const kn_func *f, const kn_signature *sig, const kn_compile_options *opts,
                LLVMModuleRef mod)
{
    kn_cg cg = {
        .f = f,
        .sig = sig,
        .opts = opts,
        .slots = calloc(f->nvars > 0 ? (size_t)f->nvars : 1, sizeof(LLVMValueRef)),
    };
    if (!cg.slots) {
        PyErr_NoMemory();
        return -1;
    }
    int rc = kn_cg_generate(&cg, mod, kn_cg_define_native, kn_cg_define_wrapper);
    free(cg.slots);
    return rc;
}
