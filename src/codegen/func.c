/* The native entry: its calling convention, its prologue (allocas, arguments) and epilogue. */
#include <string.h>

#include "codegen/cg.h"
#include "runtime/raise.h"

/*
 * The native calling convention, used between compiled functions and by
 * the wrapper:
 *
 *     i32 name(ptr out, args...)      i32 name(args...) when it returns None
 *
 * Status 0: the result is in *out, in its memory form (bool as i8).
 * Status -1: a Python exception is set and *out is untouched. Arguments
 * pass in register form, with C's extension attributes on narrow ints,
 * so a C caller with the matching prototype can call it too.
 */
LLVMTypeRef kn_cg_native_type(kn_cg *cg, const kn_type *ret, const kn_type *const *args, int nargs)
{
    LLVMTypeRef params[nargs + 1];
    int n = 0;
    if (ret->kind != KN_VOID)
        params[n++] = LLVMPointerTypeInContext(cg->ctx, 0);
    for (int i = 0; i < nargs; i++)
        params[n++] = kn_cg_type(cg, args[i]);
    return LLVMFunctionType(LLVMInt32TypeInContext(cg->ctx), params, n, 0);
}

LLVMValueRef kn_cg_native_call(kn_cg *cg, LLVMValueRef fn, LLVMTypeRef fty, const kn_type *ret,
                               LLVMValueRef *args, int nargs)
{
    LLVMValueRef all[nargs + 1];
    LLVMValueRef out = NULL;
    int n = 0;
    if (ret->kind != KN_VOID)
        all[n++] = out = kn_cg_alloca(cg, kn_cg_mem_type(cg, ret), "result");
    for (int i = 0; i < nargs; i++)
        all[n++] = args[i];
    kn_cg_check_status(cg, LLVMBuildCall2(cg->b, fty, fn, all, n, ""));
    if (!out)
        return kn_cg_no_value(cg);
    return kn_cg_from_mem(cg, LLVMBuildLoad2(cg->b, kn_cg_mem_type(cg, ret), out, ""), ret);
}

static void add_attribute(kn_cg *cg, LLVMValueRef fn, LLVMAttributeIndex at, const char *name)
{
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    LLVMAddAttributeAtIndex(fn, at, LLVMCreateEnumAttribute(cg->ctx, kind, 0));
}

/*
 * nounwind; noinline, so the wrapper calls the body instead of getting a
 * second copy of it to optimize and compile (a direct call costs a
 * nanosecond, the copy costs compile time for every specialization); the
 * out pointer is private to the call; narrow ints extend as in C.
 */
static void add_attributes(kn_cg *cg, LLVMValueRef fn)
{
    add_attribute(cg, fn, LLVMAttributeFunctionIndex, "nounwind");
    add_attribute(cg, fn, LLVMAttributeFunctionIndex, "noinline");
    unsigned first = 1;
    if (cg->out) {
        add_attribute(cg, fn, 1, "noalias");
        add_attribute(cg, fn, 1, "nocapture");
        first = 2;
    }
    for (int i = 0; i < cg->sig->nargs; i++) {
        const kn_type *t = cg->sig->args[i];
        int narrow =
            t->kind == KN_BOOL || ((t->kind == KN_INT || t->kind == KN_UINT) && t->bits < 32);
        if (narrow)
            add_attribute(cg, fn, first + (unsigned)i, t->kind == KN_INT ? "signext" : "zeroext");
    }
}

/*
 * One alloca per local (those holding arrays start out null, see refs.c),
 * and each argument stored in its local, converted to the local's type;
 * a local takes its own reference to an array argument. An array's sizes
 * are never negative: LLVM, told so, proves a[i + 1] in range(len(a) - 1)
 * in bounds.
 */
static int prologue(kn_cg *cg)
{
    unsigned first = cg->out ? 1 : 0;
    for (int i = 0; i < cg->f->nvars; i++) {
        const kn_var *v = cg->f->vars[i];
        if (!v->type || v->type->kind == KN_VOID)
            continue; /* never assigned a value (only read after an error), or None */
        cg->slots[i] = kn_cg_has_refs(v->type) ? kn_cg_null_slot(cg, v->type, v->name)
                                               : kn_cg_alloca(cg, kn_cg_type(cg, v->type), v->name);
        if (v->is_arg >= 0) {
            LLVMValueRef p = LLVMGetParam(cg->fn, first + (unsigned)v->is_arg);
            LLVMSetValueName2(p, v->name, strlen(v->name));
            LLVMValueRef x = kn_cg_cast(cg, p, cg->sig->args[v->is_arg], v->type);
            if (!x)
                return -1;
            for (int d = 0; v->type->kind == KN_ARRAY && d < v->type->ndim; d++)
                kn_cg_assume(cg, LLVMIntSGE, kn_cg_array_dim(cg, x, d), kn_cg_i64(cg, 0));
            kn_cg_store_owned(cg, cg->slots[i], x, v->type);
        }
    }
    return 0;
}

// falling off the end: return None; a function typed to return a value cannot get here in Python
// terms
static void epilogue(kn_cg *cg)
{
    if (kn_cg_terminated(cg))
        return;
    if (cg->f->ret->kind == KN_VOID) {
        LLVMBuildBr(cg->b, cg->exit);
        return;
    }
    kn_cg_raise(cg, KN_RT_SYSTEM_ERROR,
                "kiln: a compiled function ended without returning its value");
}

/* The two exits, built last, when every slot they release is known. */
static void exits(kn_cg *cg)
{
    LLVMTypeRef i32 = LLVMInt32TypeInContext(cg->ctx);
    kn_cg_enter(cg, cg->exit);
    kn_cg_release_all(cg);
    LLVMBuildRet(cg->b, LLVMConstInt(i32, 0, 0));
    kn_cg_enter(cg, cg->error);
    kn_cg_release_all(cg);
    LLVMBuildRet(cg->b, LLVMConstInt(i32, (unsigned long long)-1, 1));
}

int kn_cg_define_native(kn_cg *cg)
{
    const kn_type *ret = cg->f->ret;
    cg->fn = LLVMAddFunction(cg->mod, cg->name,
                             kn_cg_native_type(cg, ret, cg->sig->args, cg->sig->nargs));
    LLVMSetVisibility(
        cg->fn,
        LLVMProtectedVisibility); /* exported, yet calls from here go direct, not via a PLT */
    cg->out = ret->kind != KN_VOID ? LLVMGetParam(cg->fn, 0) : NULL;
    if (cg->out)
        LLVMSetValueName2(cg->out, "out", 3);
    add_attributes(cg, cg->fn);
    kn_cg_debug_function(cg, cg->fn);
    cg->entry = kn_cg_block(cg, "entry");
    LLVMBasicBlockRef start = kn_cg_block(cg, "start");
    cg->error = kn_cg_block(cg, "error");
    cg->exit = kn_cg_block(cg, "exit");
    kn_cg_enter(cg, start);
    kn_loc def = {.line = cg->f->first_line};
    kn_cg_debug_at(cg, def);
    if (prologue(cg) < 0)
        return -1;
    if (kn_cg_recursive(cg->f))
        kn_cg_poll_interrupt(cg);
    if (kn_cg_stmts(cg, &cg->f->body) < 0)
        return -1;
    epilogue(cg);
    exits(cg);
    kn_cg_enter(cg, cg->entry);
    kn_cg_debug_at(cg, def);
    LLVMBuildBr(cg->b, start);
    return 0;
}
