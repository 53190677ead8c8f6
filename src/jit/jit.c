/* The one ORC LLJIT of the process: modules compiled for the host in, linked code out, one tracker each. */
#include "jit/jit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/DebugInfo.h>
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>

#include "runtime/symbols.h"

struct kn_jit_code {
    LLVMOrcResourceTrackerRef tracker;
    char name[]; /* the module's unique name */
};

static LLVMOrcLLJITRef jit;

_Thread_local int kn_jit_quiet;

void kn_jit_fail(PyObject *type, const char *fmt, ...)
{
    if (kn_jit_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    PyErr_FormatV(type, fmt, ap);
    va_end(ap);
}

int kn_jit_error(const char *what, LLVMErrorRef err)
{
    char *msg = LLVMGetErrorMessage(err);
    kn_jit_fail(PyExc_RuntimeError, "kiln: %s: %s", what, msg);
    LLVMDisposeErrorMessage(msg);
    return -1;
}

/* The runtime's helpers and the Python API generated code calls, defined by address. */
static LLVMErrorRef define_runtime(LLVMOrcJITDylibRef jd)
{
    LLVMOrcCSymbolMapPair pairs[kn_rt_nsymbols];
    for (int i = 0; i < kn_rt_nsymbols; i++) {
        pairs[i].Name = LLVMOrcLLJITMangleAndIntern(jit, kn_rt_symbols[i].name);
        pairs[i].Sym.Address = (LLVMOrcExecutorAddress)(uintptr_t)kn_rt_symbols[i].address;
        pairs[i].Sym.Flags.GenericFlags = LLVMJITSymbolGenericFlagsExported;
        pairs[i].Sym.Flags.TargetFlags = 0;
    }
    return LLVMOrcJITDylibDefine(jd, LLVMOrcAbsoluteSymbols(pairs, kn_rt_nsymbols));
}

/* Everything else (libm, libc, libpython) resolves through the process's own symbols. */
static LLVMErrorRef add_process_symbols(LLVMOrcJITDylibRef jd)
{
    LLVMOrcDefinitionGeneratorRef gen;
    LLVMErrorRef err = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
        &gen, LLVMOrcLLJITGetGlobalPrefix(jit), NULL, NULL);
    if (!err)
        LLVMOrcJITDylibAddGenerator(jd, gen);
    return err;
}

/*
 * The LLJIT, made on first use with the default builder: it only links the
 * objects kn_jit_add compiles, so the target machine it makes for itself
 * never generates code and need not match the host machine's settings.
 */
static LLVMOrcLLJITRef get_jit(void)
{
    if (jit)
        return jit;
    if (!kn_jit_host_machine()) /* initialises the native target the LLJIT needs */
        return NULL;
    LLVMErrorRef err = LLVMOrcCreateLLJIT(&jit, NULL);
    if (err) {
        jit = NULL;
        kn_jit_error("creating the JIT", err);
        return NULL;
    }
    LLVMOrcJITDylibRef jd = LLVMOrcLLJITGetMainJITDylib(jit);
    if ((err = define_runtime(jd)) || (err = add_process_symbols(jd))) {
        kn_jit_error("setting up the JIT's symbols", err);
        LLVMConsumeError(LLVMOrcDisposeLLJIT(jit));
        jit = NULL;
    }
    return jit;
}

int kn_jit_module_new(kn_jit_module *m, const char *base)
{
    static unsigned long counter;
    LLVMTargetMachineRef tm = kn_jit_host_machine();
    if (!tm)
        return -1;
    char name[256];
    snprintf(name, sizeof name, "%s_%lu", base, ++counter);
    m->ctx = LLVMContextCreate();
    m->mod = LLVMModuleCreateWithNameInContext(name, m->ctx);
    char *triple = LLVMGetTargetMachineTriple(tm);
    LLVMSetTarget(m->mod, triple);
    LLVMDisposeMessage(triple);
    LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(tm);
    LLVMSetModuleDataLayout(m->mod, layout);
    LLVMDisposeTargetData(layout);
    return 0;
}

void kn_jit_module_dispose(kn_jit_module *m)
{
    if (m->mod)
        LLVMDisposeModule(m->mod);
    if (m->ctx)
        LLVMContextDispose(m->ctx);
    m->mod = NULL;
    m->ctx = NULL;
}

/* A code handle named as mod, without a tracker yet; NULL with MemoryError. */
static kn_jit_code *new_code(LLVMModuleRef mod)
{
    size_t len;
    const char *name = LLVMGetModuleIdentifier(mod, &len);
    kn_jit_code *code = malloc(sizeof *code + len + 1);
    if (!code) {
        kn_jit_fail(PyExc_MemoryError, "kiln: out of memory for machine code");
        return NULL;
    }
    memcpy(code->name, name, len);
    code->name[len] = '\0';
    code->tracker = NULL;
    return code;
}

/*
 * The host machine that optimized the module generates its code too: code
 * generation by the LLJIT's own target machine would build a second X86
 * subtarget, ~3 ms of the first compilation. The line tables go first: they
 * are for the IR and assembly text, printed before and made again from it,
 * and emitting them takes a tenth of code generation.
 */
kn_jit_code *kn_jit_add(kn_jit_module *m)
{
    LLVMStripModuleDebugInfo(m->mod);
    LLVMMemoryBufferRef obj = get_jit() ? kn_jit_emit(m->mod, LLVMObjectFile) : NULL;
    kn_jit_code *code = obj ? new_code(m->mod) : NULL;
    kn_jit_module_dispose(m);
    if (!code) {
        if (obj)
            LLVMDisposeMemoryBuffer(obj);
        return NULL;
    }
    code->tracker = LLVMOrcJITDylibCreateResourceTracker(LLVMOrcLLJITGetMainJITDylib(jit));
    /* The JIT takes obj even when it fails. */
    LLVMErrorRef err = LLVMOrcLLJITAddObjectFileWithRT(jit, code->tracker, obj);
    if (err) {
        kn_jit_code_free(code);
        kn_jit_error("adding machine code to the JIT", err);
        return NULL;
    }
    return code;
}

void *kn_jit_lookup(kn_jit_code *code, const char *name)
{
    (void)code; /* every tracker lives in the main JITDylib, where names are unique */
    LLVMOrcExecutorAddress addr = 0;
    LLVMErrorRef err = LLVMOrcLLJITLookup(jit, &addr, name);
    if (err) {
        kn_jit_error("linking machine code", err);
        return NULL;
    }
    return (void *)(uintptr_t)addr;
}

const char *kn_jit_code_name(const kn_jit_code *code)
{
    return code->name;
}

void kn_jit_code_free(kn_jit_code *code)
{
    if (!code)
        return;
    LLVMErrorRef err = LLVMOrcResourceTrackerRemove(code->tracker);
    if (err)
        LLVMConsumeError(err); /* nothing to undo: the code is gone or never was */
    LLVMOrcReleaseResourceTracker(code->tracker);
    free(code);
}
