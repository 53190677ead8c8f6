/* The process's JIT: host target machine, O3 pipeline, one ORC LLJIT, IR and assembly text. */
#ifndef KN_JIT_JIT_H
#define KN_JIT_JIT_H

#include <Python.h>
#include <stdatomic.h>

#include <llvm-c/Core.h>
#include <llvm-c/Error.h>
#include <llvm-c/TargetMachine.h>

/*
 * Errors: every function here that can fail sets a Python exception
 * (RuntimeError with LLVM's message) through kn_jit_fail and returns NULL or
 * -1. They are called with the GIL held, which also serialises them, except
 * by kn_jit_warm: it runs in a thread of its own, quietly, and the kiln
 * module waits for it to finish before it compiles anything.
 */

/* Set in a thread that runs without the GIL: failures are then reported by the return value only. */
extern _Thread_local int kn_jit_quiet;

/* PyErr_Format(type, fmt, ...) unless this thread is quiet. */
void kn_jit_fail(PyObject *type, const char *fmt, ...);

/*
 * The host's target machine: its CPU name and features, so AVX2 and
 * AVX-512 are used where present. Made once, at the first call, which also
 * initialises the native target; the optimizer, code generation and the
 * assembly printer share it. NULL on failure.
 */
LLVMTargetMachineRef kn_jit_host_machine(void);

/* mod's code for the host, an object file or assembly text, as LLVM's buffer; NULL on failure. */
LLVMMemoryBufferRef kn_jit_emit(LLVMModuleRef mod, LLVMCodeGenFileType kind);

/*
 * A module on its way to machine code, in an LLVM context of its own:
 * both go once the module is compiled, so nothing accumulates across
 * specializations.
 */
typedef struct kn_jit_module {
    LLVMContextRef ctx;
    LLVMModuleRef mod;
} kn_jit_module;

/*
 * An empty module for the host named `base` plus a process-unique number
 * ("fib_3"), which is also the name its code is known by (kn_jit_code_name).
 * Returns 0 or -1.
 */
int kn_jit_module_new(kn_jit_module *m, const char *base);
/* Frees a module that never reached kn_jit_add. */
void kn_jit_module_dispose(kn_jit_module *m);

/* The new pass manager's default<O3> for the host, loop and SLP vectorization on. Returns 0 or -1.
 */
int kn_jit_optimize(LLVMModuleRef mod);

/* One module's machine code, removable on its own (an ORC resource tracker). */
typedef struct kn_jit_code kn_jit_code;

/*
 * Compiles m to an object for the host and hands it to the one LLJIT
 * (creating it on first use) under a resource tracker of its own; m is
 * consumed whatever the outcome. Linking happens at the first
 * kn_jit_lookup, so the object may call symbols added after it.
 */
kn_jit_code *kn_jit_add(kn_jit_module *m);
/* The address of the symbol `name` defined by code, linking it on first use. NULL on failure. */
void *kn_jit_lookup(kn_jit_code *code, const char *name);
/* The unique name of the module the code came from. */
const char *kn_jit_code_name(const kn_jit_code *code);
/* Frees the machine code; its symbols must no longer be called. */
void kn_jit_code_free(kn_jit_code *code);

/*
 * Assembly for the host from LLVM IR text (the optimized IR a specialization
 * keeps), as a malloc'd string, or NULL. Parsing the text again costs
 * nothing until someone asks, where keeping each module alive would cost
 * memory for every specialization.
 */
char *kn_jit_asm(const char *ir_text);

/* Sets a Python RuntimeError from an LLVM error (consumed), prefixed by what failed. Returns -1. */
int kn_jit_error(const char *what, LLVMErrorRef err);

/*
 * Warms LLVM up: builds, optimizes, compiles and links a small loop, so
 * that the one-time costs of the first compilation (the target machine,
 * the pass pipelines, the LLJIT, code generation's tables, page faults in
 * LLVM's code) are paid before a user's function needs them. Meant for a
 * thread started when the process begins; quiet, and without the GIL.
 * Returns after the stage it is in once *stop is set. 0, or -1 on failure.
 */
int kn_jit_warm(const atomic_int *stop);

#endif
