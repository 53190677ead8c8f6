/* Exceptions raised by compiled code: a runtime call that sets them, then the error block. */
#include "codegen/cg.h"
#include "runtime/raise.h"

/* The branch to an exception is taken almost never: say so, for block layout and inlining. */
void kn_cg_unlikely(kn_cg *cg, LLVMValueRef br)
{
    LLVMTypeRef i32 = LLVMInt32TypeInContext(cg->ctx);
    LLVMMetadataRef weights[] = {
        LLVMMDStringInContext2(cg->ctx, "branch_weights", 14),
        LLVMValueAsMetadata(LLVMConstInt(i32, 1, 0)),
        LLVMValueAsMetadata(LLVMConstInt(i32, 1 << 20, 0)),
    };
    LLVMMetadataRef node = LLVMMDNodeInContext2(cg->ctx, weights, 3);
    LLVMSetMetadata(br, LLVMGetMDKindIDInContext(cg->ctx, "prof", 4),
                    LLVMMetadataAsValue(cg->ctx, node));
}

/* int kn_rt_raise(int kind, const char *msg), cold: never worth inlining or hoisting toward. */
static LLVMValueRef raise_fn(kn_cg *cg)
{
    LLVMTypeRef params[] = {LLVMInt32TypeInContext(cg->ctx), LLVMPointerTypeInContext(cg->ctx, 0)};
    LLVMValueRef fn = kn_cg_declare(cg, "kn_rt_raise", params[0], params, 2);
    unsigned cold = LLVMGetEnumAttributeKindForName("cold", 4);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(cg->ctx, cold, 0));
    return fn;
}

// raise Kind(msg)   (msg NULL: raise Kind)
void kn_cg_raise(kn_cg *cg, int kind, const char *msg)
{
    if (cg->gpu) { /* no Python on the device: the launch fails with an illegal instruction */
        kn_cg_intrinsic(cg, "llvm.trap", NULL, 0, NULL, 0);
        LLVMBuildBr(cg->b, cg->error);
        return;
    }
    LLVMValueRef args[] = {
        LLVMConstInt(LLVMInt32TypeInContext(cg->ctx), (unsigned)kind, 0),
        msg ? kn_cg_string(cg, msg) : LLVMConstNull(LLVMPointerTypeInContext(cg->ctx, 0)),
    };
    kn_cg_call(cg, raise_fn(cg), args, 2);
    LLVMBuildBr(cg->b, cg->error);
}

/* Branches to cg->error when cond holds, otherwise on in a new block. */
static void branch_out(kn_cg *cg, LLVMValueRef cond, LLVMBasicBlockRef out)
{
    LLVMBasicBlockRef ok = kn_cg_block(cg, "ok");
    kn_cg_unlikely(cg, LLVMBuildCondBr(cg->b, cond, out, ok));
    kn_cg_enter(cg, ok);
}

void kn_cg_raise_if(kn_cg *cg, LLVMValueRef cond, int kind, const char *msg)
{
    LLVMBasicBlockRef raise = kn_cg_block(cg, "raise");
    branch_out(cg, cond, raise);
    LLVMBasicBlockRef ok = LLVMGetInsertBlock(cg->b);
    kn_cg_enter(cg, raise);
    kn_cg_raise(cg, kind, msg);
    kn_cg_enter(cg, ok);
}

void kn_cg_error_if(kn_cg *cg, LLVMValueRef cond)
{
    branch_out(cg, cond, cg->error);
}

/* After a call that returns a status: nonzero means an exception is set, pass it up. */
void kn_cg_check_status(kn_cg *cg, LLVMValueRef status)
{
    kn_cg_error_if(cg,
                   LLVMBuildICmp(cg->b, LLVMIntNE, status, LLVMConstNull(LLVMTypeOf(status)), ""));
}
