/* The optimization pipeline: the new pass manager's default<O3> for the host CPU. */
#include <llvm-c/Transforms/PassBuilder.h>

#include "jit/jit.h"

int kn_jit_optimize(LLVMModuleRef mod)
{
    LLVMTargetMachineRef tm = kn_jit_host_machine();
    if (!tm)
        return -1;
    LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
    LLVMPassBuilderOptionsSetLoopVectorization(opts, 1);
    LLVMPassBuilderOptionsSetSLPVectorization(opts, 1);
    LLVMPassBuilderOptionsSetLoopInterleaving(opts, 1);
    LLVMPassBuilderOptionsSetLoopUnrolling(opts, 1);
    LLVMErrorRef err = LLVMRunPasses(mod, "default<O3>", tm, opts);
    LLVMDisposePassBuilderOptions(opts);
    return err ? kn_jit_error("optimizing", err) : 0;
}
