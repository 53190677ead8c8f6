/* PTX from LLVM's NVPTX target: no GPU needed, only LLVM (and the toolkit's libdevice for math). */
#include "jit/ptx.h"

#include <Python.h>

#include <llvm-c/BitReader.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <stdlib.h>
#include <string.h>

#define TRIPLE "nvptx64-nvidia-cuda"

const char *kn_jit_ptx_default_arch(void)
{
    const char *arch = getenv("KILN_CUDA_ARCH");
    return arch && *arch ? arch : "sm_70";
}

static void init_nvptx(void)
{
    static int done;
    if (!done) {
        LLVMInitializeNVPTXTargetInfo();
        LLVMInitializeNVPTXTarget();
        LLVMInitializeNVPTXTargetMC();
        LLVMInitializeNVPTXAsmPrinter();
        done = 1;
    }
}

/*
 * The PTX ISA version to write for sm_XY: the oldest that has the
 * architecture, so that the oldest driver that knows the GPU loads it
 * (PTX 6.4 is CUDA 10.0's; 7.8, CUDA 11.8's, the first with sm_89 and sm_90).
 */
static int ptx_version(const char *arch)
{
    int sm = strncmp(arch, "sm_", 3) ? 0 : atoi(arch + 3);
    if (sm < 80)
        return 64;
    if (sm < 86)
        return 70;
    if (sm < 87)
        return 71;
    return sm < 89 ? 74 : 78;
}

static LLVMTargetMachineRef new_machine(const char *arch)
{
    LLVMTargetRef target;
    char *msg = NULL;
    init_nvptx();
    if (LLVMGetTargetFromTriple(TRIPLE, &target, &msg)) {
        PyErr_Format(PyExc_RuntimeError, "kiln: LLVM has no NVPTX target: %s", msg);
        LLVMDisposeMessage(msg);
        return NULL;
    }
    char features[16];
    snprintf(features, sizeof features, "+ptx%d", ptx_version(arch));
    return LLVMCreateTargetMachine(target, TRIPLE, arch, features, LLVMCodeGenLevelAggressive,
                                   LLVMRelocDefault, LLVMCodeModelDefault);
}

/* One target machine per architecture asked for, kept for the process. */
static LLVMTargetMachineRef machine(const char *arch)
{
    static struct {
        char arch[16];
        LLVMTargetMachineRef tm;
    } made[8];
    size_t i = 0;
    for (; i < sizeof made / sizeof made[0] && made[i].tm; i++)
        if (!strcmp(made[i].arch, arch))
            return made[i].tm;
    if (strlen(arch) >= sizeof made[0].arch || strncmp(arch, "sm_", 3)) {
        PyErr_Format(PyExc_ValueError, "kiln: not a CUDA architecture: '%s' (try sm_70)", arch);
        return NULL;
    }
    LLVMTargetMachineRef tm = new_machine(arch);
    if (tm && i < sizeof made / sizeof made[0]) {
        snprintf(made[i].arch, sizeof made[i].arch, "%s", arch);
        made[i].tm = tm;
    }
    return tm;
}

int kn_jit_ptx_module_new(kn_jit_module *m, const char *name, const char *arch)
{
    LLVMTargetMachineRef tm = machine(arch);
    if (!tm)
        return -1;
    m->ctx = LLVMContextCreate();
    m->mod = LLVMModuleCreateWithNameInContext(name, m->ctx);
    LLVMSetTarget(m->mod, TRIPLE);
    LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(tm);
    LLVMSetModuleDataLayout(m->mod, layout);
    LLVMDisposeTargetData(layout);
    return 0;
}

/* Whether mod declares a libdevice function without defining it. */
static int calls_libdevice(LLVMModuleRef mod)
{
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn)) {
        size_t len;
        const char *name = LLVMGetValueName2(fn, &len);
        if (LLVMIsDeclaration(fn) && !strncmp(name, "__nv_", 5))
            return 1;
    }
    return 0;
}

/* The toolkit's libdevice.10.bc, or NULL when there is none. */
static const char *libdevice_path(char *buf, size_t size)
{
    const char *home = getenv("CUDA_HOME");
    snprintf(buf, size, "%s/nvvm/libdevice/libdevice.10.bc",
             home && *home ? home : "/usr/local/cuda");
    FILE *f = fopen(buf, "rb");
    if (!f)
        return NULL;
    fclose(f);
    return buf;
}

/* Links libdevice into mod when mod needs it and the toolkit has it. Returns 0 or -1. */
static int link_libdevice(LLVMModuleRef mod)
{
    char buf[4096];
    const char *path = calls_libdevice(mod) ? libdevice_path(buf, sizeof buf) : NULL;
    if (!path)
        return 0; /* nothing to link, or ptxas will name the missing function */
    LLVMMemoryBufferRef bc = NULL;
    LLVMModuleRef lib = NULL;
    char *msg = NULL;
    if (LLVMCreateMemoryBufferWithContentsOfFile(path, &bc, &msg)) {
        PyErr_Format(PyExc_RuntimeError, "kiln: reading %s: %s", path, msg);
        LLVMDisposeMessage(msg);
        return -1;
    }
    int bad = LLVMParseBitcodeInContext2(LLVMGetModuleContext(mod), bc, &lib);
    LLVMDisposeMemoryBuffer(bc);
    if (bad) {
        PyErr_Format(PyExc_RuntimeError, "kiln: %s is not LLVM bitcode", path);
        return -1;
    }
    /* libdevice says nvptx64-nvidia-gpulibs: made ours, the linker does not warn. */
    LLVMSetTarget(lib, LLVMGetTarget(mod));
    LLVMSetDataLayout(lib, LLVMGetDataLayoutStr(mod));
    if (LLVMLinkModules2(mod, lib)) {
        PyErr_Format(PyExc_RuntimeError, "kiln: linking %s failed", path);
        return -1;
    }
    return 0;
}

/* Only the kernel stays visible: O3 then drops the libdevice functions nothing calls. */
static void internalize(LLVMModuleRef mod, const char *kernel)
{
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn)) {
        size_t len;
        const char *name = LLVMGetValueName2(fn, &len);
        if (!LLVMIsDeclaration(fn) && strcmp(name, kernel))
            LLVMSetLinkage(fn, LLVMInternalLinkage);
    }
}

static char *copy_message(char *text)
{
    char *copy = strdup(text);
    LLVMDisposeMessage(text);
    if (!copy)
        PyErr_NoMemory();
    return copy;
}

char *kn_jit_ptx(LLVMModuleRef mod, const char *arch, const char *kernel, char **ir_raw,
                 char **ir_optimized)
{
    LLVMTargetMachineRef tm = machine(arch);
    if (!tm || !(*ir_raw = copy_message(LLVMPrintModuleToString(mod))))
        return NULL;
    /* Line tables would make the NVPTX printer ask ptxas for a debug build. */
    LLVMStripModuleDebugInfo(mod);
    if (link_libdevice(mod) < 0)
        return NULL;
    internalize(mod, kernel);
    LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
    LLVMPassBuilderOptionsSetLoopUnrolling(opts, 1);
    LLVMErrorRef err = LLVMRunPasses(mod, "default<O3>", tm, opts);
    LLVMDisposePassBuilderOptions(opts);
    if (err) {
        kn_jit_error("optimizing for NVPTX", err);
        return NULL;
    }
    if (!(*ir_optimized = copy_message(LLVMPrintModuleToString(mod))))
        return NULL;
    char *msg = NULL;
    LLVMMemoryBufferRef buf = NULL;
    if (LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMAssemblyFile, &msg, &buf)) {
        PyErr_Format(PyExc_RuntimeError, "kiln: generating PTX: %s", msg);
        LLVMDisposeMessage(msg);
        return NULL;
    }
    char *ptx = strndup(LLVMGetBufferStart(buf), LLVMGetBufferSize(buf));
    LLVMDisposeMemoryBuffer(buf);
    if (!ptx)
        PyErr_NoMemory();
    return ptx;
}
