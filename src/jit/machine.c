/* The host target machine, made once for this CPU and its features, and the code it generates. */
#include <llvm-c/Target.h>

#include "jit/jit.h"

static int init_native_target(void)
{
    static int done;
    if (done)
        return 0;
    if (LLVMInitializeNativeTarget() || LLVMInitializeNativeAsmPrinter() ||
        LLVMInitializeNativeAsmParser()) {
        kn_jit_fail(PyExc_RuntimeError, "kiln: LLVM has no native target for this machine");
        return -1;
    }
    done = 1;
    return 0;
}

static LLVMTargetMachineRef new_host_machine(void)
{
    if (init_native_target() < 0)
        return NULL;
    char *triple = LLVMGetDefaultTargetTriple();
    char *cpu = LLVMGetHostCPUName();
    char *features = LLVMGetHostCPUFeatures();
    LLVMTargetRef target;
    LLVMTargetMachineRef tm = NULL;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(triple, &target, &msg)) {
        kn_jit_fail(PyExc_RuntimeError, "kiln: LLVM target %s: %s", triple, msg);
        LLVMDisposeMessage(msg);
    } else {
        /* PIC and the small code model: what JITLink expects on x86-64 ELF, and the shortest calls.
         */
        tm = LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelAggressive,
                                     LLVMRelocPIC, LLVMCodeModelSmall);
    }
    LLVMDisposeMessage(triple);
    LLVMDisposeMessage(cpu);
    LLVMDisposeMessage(features);
    return tm;
}

LLVMTargetMachineRef kn_jit_host_machine(void)
{
    static LLVMTargetMachineRef host;
    if (!host)
        host = new_host_machine();
    return host;
}

LLVMMemoryBufferRef kn_jit_emit(LLVMModuleRef mod, LLVMCodeGenFileType kind)
{
    LLVMTargetMachineRef tm = kn_jit_host_machine();
    char *msg = NULL;
    LLVMMemoryBufferRef buf = NULL;
    if (tm && LLVMTargetMachineEmitToMemoryBuffer(tm, mod, kind, &msg, &buf)) {
        kn_jit_fail(PyExc_RuntimeError, "kiln: generating %s: %s",
                     kind == LLVMObjectFile ? "machine code" : "assembly", msg);
        LLVMDisposeMessage(msg);
        buf = NULL;
    }
    return buf;
}
