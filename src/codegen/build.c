/* Small IR builders every lowering file uses: calls, intrinsics, blocks, allocas, diagnostics. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codegen/cg.h"
#include "compiler/diag.h"

LLVMValueRef kn_cg_declare(kn_cg *cg, const char *name, LLVMTypeRef ret, LLVMTypeRef *params, int n)
{
    LLVMValueRef fn = LLVMGetNamedFunction(cg->mod, name);
    return fn ? fn : LLVMAddFunction(cg->mod, name, LLVMFunctionType(ret, params, n, 0));
}

LLVMValueRef kn_cg_declare_pure(kn_cg *cg, const char *name, LLVMTypeRef ret, LLVMTypeRef *params,
                                int n)
{
    LLVMValueRef fn = kn_cg_declare(cg, name, ret, params, n);
    const char *attrs[] = {"memory", "nounwind", "willreturn"}; /* memory(none): the value 0 */
    for (int i = 0; i < 3; i++) {
        unsigned kind = LLVMGetEnumAttributeKindForName(attrs[i], strlen(attrs[i]));
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                                LLVMCreateEnumAttribute(cg->ctx, kind, 0));
    }
    return fn;
}

LLVMValueRef kn_cg_call(kn_cg *cg, LLVMValueRef fn, LLVMValueRef *args, int n)
{
    return LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(fn), fn, args, n, "");
}

LLVMValueRef kn_cg_intrinsic(kn_cg *cg, const char *name, LLVMTypeRef *types, int ntypes,
                             LLVMValueRef *args, int n)
{
    LLVMValueRef nv = cg->gpu ? kn_cg_cuda_libdevice(cg, name, types, ntypes, args, n) : NULL;
    if (nv)
        return nv;
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(cg->mod, id, types, ntypes);
    LLVMTypeRef fty = LLVMIntrinsicGetType(cg->ctx, id, types, ntypes);
    return kn_cg_fast(cg, LLVMBuildCall2(cg->b, fty, fn, args, n, ""));
}

void kn_cg_assume(kn_cg *cg, LLVMIntPredicate p, LLVMValueRef a, LLVMValueRef b)
{
    LLVMValueRef holds = LLVMBuildICmp(cg->b, p, a, b, "");
    kn_cg_intrinsic(cg, "llvm.assume", NULL, 0, &holds, 1);
}

/* fastmath=True: every float operation may reassociate, contract and assume finite values. */
LLVMValueRef kn_cg_fast(kn_cg *cg, LLVMValueRef v)
{
    if (cg->opts->fastmath && LLVMIsAInstruction(v) && LLVMCanValueUseFastMathFlags(v))
        LLVMSetFastMathFlags(v, LLVMFastMathAll);
    return v;
}

LLVMValueRef kn_cg_phi(kn_cg *cg, LLVMTypeRef t, LLVMValueRef *values, LLVMBasicBlockRef *blocks,
                       int n)
{
    LLVMValueRef phi = LLVMBuildPhi(cg->b, t, "");
    LLVMAddIncoming(phi, values, blocks, n);
    return phi;
}

LLVMBasicBlockRef kn_cg_block(kn_cg *cg, const char *name)
{
    return LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, name);
}

void kn_cg_enter(kn_cg *cg, LLVMBasicBlockRef bb)
{
    LLVMPositionBuilderAtEnd(cg->b, bb);
}

int kn_cg_terminated(kn_cg *cg)
{
    return LLVMGetBasicBlockTerminator(LLVMGetInsertBlock(cg->b)) != NULL;
}

/* In the entry block, where mem2reg and SROA look for them. */
LLVMValueRef kn_cg_alloca(kn_cg *cg, LLVMTypeRef t, const char *name)
{
    LLVMBuilderRef b = LLVMCreateBuilderInContext(cg->ctx);
    LLVMPositionBuilderAtEnd(b, cg->entry);
    LLVMValueRef slot = LLVMBuildAlloca(b, t, name);
    LLVMDisposeBuilder(b);
    return slot;
}

LLVMValueRef kn_cg_string(kn_cg *cg, const char *s)
{
    return LLVMBuildGlobalString(cg->b, s, ".str");
}

void *kn_cg_fail(kn_cg *cg, kn_loc loc, const char *fmt, ...)
{
    if (PyErr_Occurred())
        return NULL; /* the first error stands: later ones are its echoes */
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kn_diag_raise_at(cg->f, loc, "%s", msg);
    return NULL;
}

LLVMValueRef kn_cg_count_begin(kn_cg *cg, kn_cg_counter *c, LLVMValueRef n)
{
    LLVMTypeRef i64 = LLVMInt64TypeInContext(cg->ctx);
    c->slot = kn_cg_alloca(cg, i64, "k");
    LLVMBuildStore(cg->b, kn_cg_i64(cg, 0), c->slot);
    c->head = kn_cg_block(cg, "count.head");
    LLVMBasicBlockRef body = kn_cg_block(cg, "count.body");
    c->end = kn_cg_block(cg, "count.end");
    LLVMBuildBr(cg->b, c->head);
    kn_cg_enter(cg, c->head);
    LLVMValueRef i = LLVMBuildLoad2(cg->b, i64, c->slot, "");
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, i, n, ""), body, c->end);
    kn_cg_enter(cg, body);
    return i;
}

void kn_cg_count_end(kn_cg *cg, kn_cg_counter *c, LLVMValueRef i)
{
    LLVMBuildStore(cg->b, LLVMBuildNSWAdd(cg->b, i, kn_cg_i64(cg, 1), ""), c->slot);
    LLVMBuildBr(cg->b, c->head);
    kn_cg_enter(cg, c->end);
}
