/* Warming LLVM up in the background: one small loop taken through every stage a compilation takes. */
#include <stdio.h>

#include "jit/jit.h"

/*
 * i64 name(ptr a, i64 n): the sum of a[0..n), a loop the vectorizer takes,
 * and ptr name_box(ptr a, i64 n) returning it as a Python int, so linking
 * resolves a symbol from the process as a wrapper's would.
 */
static void build(kn_jit_module *m, const char *name, const char *box_name)
{
    LLVMContextRef ctx = m->ctx;
    LLVMTypeRef i64 = LLVMInt64TypeInContext(ctx);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);
    LLVMTypeRef params[] = {ptr, i64};
    LLVMTypeRef sum_type = LLVMFunctionType(i64, params, 2, 0);
    LLVMValueRef sum = LLVMAddFunction(m->mod, name, sum_type);
    LLVMValueRef a = LLVMGetParam(sum, 0), n = LLVMGetParam(sum, 1);
    LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(ctx, sum, "entry");
    LLVMBasicBlockRef loop = LLVMAppendBasicBlockInContext(ctx, sum, "loop");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(ctx, sum, "done");
    LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
    LLVMValueRef zero = LLVMConstInt(i64, 0, 0);

    LLVMPositionBuilderAtEnd(b, entry);
    LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSGT, n, zero, ""), loop, done);

    LLVMPositionBuilderAtEnd(b, loop);
    LLVMValueRef i = LLVMBuildPhi(b, i64, "i");
    LLVMValueRef s = LLVMBuildPhi(b, i64, "s");
    LLVMValueRef item = LLVMBuildLoad2(b, i64, LLVMBuildGEP2(b, i64, a, &i, 1, ""), "");
    LLVMValueRef next_s = LLVMBuildAdd(b, s, item, "");
    LLVMValueRef next_i = LLVMBuildNSWAdd(b, i, LLVMConstInt(i64, 1, 0), "");
    LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSLT, next_i, n, ""), loop, done);
    LLVMValueRef i_in[] = {zero, next_i}, s_in[] = {zero, next_s};
    LLVMBasicBlockRef from[] = {entry, loop};
    LLVMAddIncoming(i, i_in, from, 2);
    LLVMAddIncoming(s, s_in, from, 2);

    LLVMPositionBuilderAtEnd(b, done);
    LLVMValueRef result = LLVMBuildPhi(b, i64, "");
    LLVMValueRef result_in[] = {zero, next_s};
    LLVMAddIncoming(result, result_in, from, 2);
    LLVMBuildRet(b, result);

    LLVMTypeRef from_long_type = LLVMFunctionType(ptr, &i64, 1, 0);
    LLVMValueRef from_long = LLVMAddFunction(m->mod, "PyLong_FromLongLong", from_long_type);
    LLVMValueRef box = LLVMAddFunction(m->mod, box_name, LLVMFunctionType(ptr, params, 2, 0));
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ctx, box, "entry"));
    LLVMValueRef args[] = {LLVMGetParam(box, 0), LLVMGetParam(box, 1)};
    LLVMValueRef total = LLVMBuildCall2(b, sum_type, sum, args, 2, "");
    LLVMBuildRet(b, LLVMBuildCall2(b, from_long_type, from_long, &total, 1, ""));
    LLVMDisposeBuilder(b);
}

static int warm(const atomic_int *stop)
{
    int rc = -1;
    kn_jit_module m;
    if (kn_jit_module_new(&m, "kn_warm") < 0)
        return -1;
    size_t len;
    char name[128], box_name[160];
    snprintf(name, sizeof name, "%s", LLVMGetModuleIdentifier(m.mod, &len));
    snprintf(box_name, sizeof box_name, "%s_box", name);
    build(&m, name, box_name);
    if (atomic_load(stop) || kn_jit_optimize(m.mod) < 0 || atomic_load(stop)) {
        kn_jit_module_dispose(&m);
        return atomic_load(stop) ? 0 : -1;
    }
    kn_jit_code *code = kn_jit_add(&m);
    if (code && (atomic_load(stop) || kn_jit_lookup(code, box_name)))
        rc = 0;
    kn_jit_code_free(code);
    return rc;
}

int kn_jit_warm(const atomic_int *stop)
{
    kn_jit_quiet = 1;
    int rc = warm(stop);
    kn_jit_quiet = 0;
    return rc;
}
