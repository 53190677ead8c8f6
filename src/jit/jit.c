/* The one ORC LLJIT of the process: modules in, machine code out, one tracker each. */
#include "jit/jit.h"

#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>

#include "runtime/symbols.h"

struct kn_jit_code {
    LLVMOrcResourceTrackerRef tracker;
    char name[]; /* the module's unique name */
};

static LLVMOrcLLJITRef jit;

int kn_jit_error(const char *what, LLVMErrorRef err)
{
    char *msg = LLVMGetErrorMessage(err);
    PyErr_Format(PyExc_RuntimeError, "kiln: %s: %s", what, msg);
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

static LLVMOrcLLJITRef get_jit(void)
{
    if (jit)
        return jit;
    LLVMTargetMachineRef tm = kn_jit_new_host_machine();
    if (!tm)
        return NULL;
    LLVMOrcLLJITBuilderRef builder = LLVMOrcCreateLLJITBuilder();
    LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(
        builder, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(tm));
    LLVMErrorRef err = LLVMOrcCreateLLJIT(&jit, builder);
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
    m->tsc = LLVMOrcCreateNewThreadSafeContext();
    m->ctx = LLVMOrcThreadSafeContextGetContext(m->tsc);
    m->mod = LLVMModuleCreateWithNameInContext(name, m->ctx);
    char *triple = LLVMGetTargetMachineTriple(tm);
    LLVMSetTarget(m->mod, triple);
    LLVMDisposeMessage(triple);
    LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(tm);
    LLVMSetModuleDataLayout(m->mod, layout);
    LLVMDisposeTargetData(layout);
    return 0;
}

/* m no longer holds anything: disposed, or handed to the JIT. */
static void forget(kn_jit_module *m)
{
    m->mod = NULL;
    m->tsc = NULL;
    m->ctx = NULL;
}

void kn_jit_module_dispose(kn_jit_module *m)
{
    if (m->mod)
        LLVMDisposeModule(m->mod);
    if (m->tsc)
        LLVMOrcDisposeThreadSafeContext(m->tsc);
    forget(m);
}

kn_jit_code *kn_jit_add(kn_jit_module *m)
{
    if (!get_jit()) {
        kn_jit_module_dispose(m);
        return NULL;
    }
    size_t len;
    const char *name = LLVMGetModuleIdentifier(m->mod, &len);
    kn_jit_code *code = malloc(sizeof *code + len + 1);
    if (!code) {
        kn_jit_module_dispose(m);
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(code->name, name, len);
    code->name[len] = '\0';
    code->tracker = LLVMOrcJITDylibCreateResourceTracker(LLVMOrcLLJITGetMainJITDylib(jit));
    /* The thread-safe module takes the module and shares the context; ours goes. */
    LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(m->mod, m->tsc);
    LLVMOrcDisposeThreadSafeContext(m->tsc);
    forget(m);
    /* The JIT takes tsm even when it fails. */
    LLVMErrorRef err = LLVMOrcLLJITAddLLVMIRModuleWithRT(jit, code->tracker, tsm);
    if (err) {
        kn_jit_code_free(code);
        kn_jit_error("adding a module to the JIT", err);
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
        kn_jit_error("compiling to machine code", err);
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
