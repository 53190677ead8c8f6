/* CUDA kernels and device functions: native lowering for NVPTX, and the kernel's entry. */
#include "codegen/kernel.h"

#include <llvm-c/Analysis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/cg.h"
#include "compiler/diag.h"

static void set_attribute(kn_cg *cg, LLVMValueRef fn, const char *name, int on)
{
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    if (on)
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                                LLVMCreateEnumAttribute(cg->ctx, kind, 0));
    else
        LLVMRemoveEnumAttributeAtIndex(fn, LLVMAttributeFunctionIndex, kind);
}

/*
 * The native entry of f as `symbol`, for the device: inlined into its
 * callers (a call on the GPU costs registers and a stack frame that
 * ptxas cannot undo), and internal, so only the kernels are exported.
 */
static int define_device(kn_cg *cg)
{
    kn_cg_debug_init(cg);
    int rc = kn_cg_define_native(cg);
    kn_cg_debug_finish(cg);
    if (rc < 0)
        return -1;
    set_attribute(cg, cg->fn, "noinline", 0);
    set_attribute(cg, cg->fn, "alwaysinline", 1);
    LLVMSetVisibility(cg->fn, LLVMDefaultVisibility);
    LLVMSetLinkage(cg->fn, LLVMInternalLinkage);
    return 0;
}

/* cg for f in mod: what kn_cg_lower_* share. slots is freed by the caller. */
static int begin(kn_cg *cg, const kn_func *f, const kn_signature *sig,
                 const kn_compile_options *opts, LLVMModuleRef mod, const char *symbol)
{
    *cg = (kn_cg){
        .f = f,
        .sig = sig,
        .opts = opts,
        .ctx = LLVMGetModuleContext(mod),
        .mod = mod,
        .name = symbol,
        .gpu = 1,
        .numpy_math = 1, /* math.sqrt(-1.0) is NaN on the device, as in Numba's CUDA target */
        .slots = calloc(f->nvars > 0 ? (size_t)f->nvars : 1, sizeof(LLVMValueRef)),
    };
    if (!cg->slots) {
        PyErr_NoMemory();
        return -1;
    }
    cg->b = LLVMCreateBuilderInContext(cg->ctx);
    return 0;
}

static void end(kn_cg *cg)
{
    LLVMDisposeBuilder(cg->b);
    free(cg->slots);
}

int kn_cg_lower_device(const kn_func *f, const kn_signature *sig, const kn_compile_options *opts,
                       LLVMModuleRef mod, const char *symbol)
{
    kn_cg cg;
    if (begin(&cg, f, sig, opts, mod, symbol) < 0)
        return -1;
    int rc = define_device(&cg);
    end(&cg);
    return rc;
}

/* Parameter types of the kernel entry: see kernel.h. Returns their number. */
static int entry_params(kn_cg *cg, LLVMTypeRef *params)
{
    LLVMTypeRef i64 = LLVMInt64TypeInContext(cg->ctx);
    int n = 0;
    for (int i = 0; i < cg->sig->nargs; i++) {
        const kn_type *t = cg->sig->args[i];
        if (t->kind != KN_ARRAY) {
            params[n++] = kn_cg_mem_type(cg, t);
            continue;
        }
        params[n++] = LLVMPointerTypeInContext(cg->ctx, 0);
        for (int d = 0; d < 2 * t->ndim; d++)
            params[n++] = i64;
    }
    return n;
}

/* The kernel's arguments from the entry's parameters: arrays rebuilt, without an owner. */
static void entry_args(kn_cg *cg, LLVMValueRef entry, LLVMValueRef *args)
{
    unsigned p = 0;
    for (int i = 0; i < cg->sig->nargs; i++) {
        const kn_type *t = cg->sig->args[i];
        if (t->kind != KN_ARRAY) {
            args[i] = kn_cg_from_mem(cg, LLVMGetParam(entry, p++), t);
            continue;
        }
        LLVMValueRef data = LLVMGetParam(entry, p++), shape[t->ndim], strides[t->ndim];
        for (int d = 0; d < t->ndim; d++)
            shape[d] = LLVMGetParam(entry, p++);
        for (int d = 0; d < t->ndim; d++)
            strides[d] = LLVMGetParam(entry, p++);
        LLVMValueRef owner = LLVMConstNull(LLVMPointerTypeInContext(cg->ctx, 0));
        args[i] = kn_cg_array_make(cg, t, owner, data, shape, strides);
    }
}

/* !nvvm.annotations = !{!{ptr @entry, !"kernel", i32 1}}: what makes a function a .entry. */
static void mark_kernel(kn_cg *cg, LLVMValueRef entry)
{
    LLVMValueRef md[] = {
        entry,
        LLVMMDStringInContext(cg->ctx, "kernel", 6),
        LLVMConstInt(LLVMInt32TypeInContext(cg->ctx), 1, 0),
    };
    LLVMAddNamedMetadataOperand(cg->mod, "nvvm.annotations", LLVMMDNodeInContext(cg->ctx, md, 3));
}

/* void name(params...): calls the body, whose status it drops (an error has trapped already). */
static void define_entry(kn_cg *cg, const char *name)
{
    int max = 1;
    for (int i = 0; i < cg->sig->nargs; i++)
        max += cg->sig->args[i]->kind == KN_ARRAY ? 1 + 2 * cg->sig->args[i]->ndim : 1;
    LLVMTypeRef params[max];
    int n = entry_params(cg, params);
    LLVMTypeRef fty = LLVMFunctionType(LLVMVoidTypeInContext(cg->ctx), params, (unsigned)n, 0);
    LLVMValueRef entry = LLVMAddFunction(cg->mod, name, fty);
    LLVMSetCurrentDebugLocation2(cg->b, NULL);
    LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, entry, "entry"));
    LLVMValueRef args[cg->sig->nargs + 1];
    entry_args(cg, entry, args);
    LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(cg->fn), cg->fn, args, (unsigned)cg->sig->nargs,
                   "");
    LLVMBuildRetVoid(cg->b);
    mark_kernel(cg, entry);
}

/* A verifier failure is Kiln's bug, never the user's. */
static int verify(LLVMModuleRef mod)
{
    char *msg = NULL;
    int bad = LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg);
    if (bad)
        PyErr_Format(PyExc_SystemError, "kiln: generated invalid NVPTX IR (a bug in kiln): %s",
                     msg);
    LLVMDisposeMessage(msg);
    return bad ? -1 : 0;
}

/*
 * What the native lowering calls in Kiln's runtime or CPython (integer **,
 * np.zeros, ...) has no device code: a TypingError naming the first such
 * function, instead of ptxas's "unresolved extern". 0 or -1.
 */
static int device_only(const kn_func *f, LLVMModuleRef mod)
{
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn)) {
        size_t len;
        const char *name = LLVMGetValueName2(fn, &len);
        if (LLVMIsDeclaration(fn) && strncmp(name, "llvm.", 5) && strncmp(name, "__nv_", 5))
            return kn_diag_raise_at(f, f->def_loc,
                                    "%s uses what CUDA kernels cannot run: it needs the host's %s "
                                    "(integer powers, NumPy array functions and Python objects "
                                    "are not supported on the GPU)",
                                    f->name, name);
    }
    return 0;
}

int kn_cg_lower_kernel(const kn_func *f, const kn_signature *sig, const kn_compile_options *opts,
                       LLVMModuleRef mod, const char *name)
{
    char body[strlen(name) + sizeof "_impl"];
    snprintf(body, sizeof body, "%s_impl", name);
    kn_cg cg;
    if (begin(&cg, f, sig, opts, mod, body) < 0)
        return -1;
    int rc = define_device(&cg);
    if (rc == 0)
        define_entry(&cg, name);
    end(&cg);
    return rc < 0 || verify(mod) < 0 ? -1 : device_only(f, mod);
}
