/* Calls: to other compiled functions through their native entries, to itself, or to a builtin. */
#include "codegen/cg.h"
#include "compiler/infer.h"
#include "jit/jit.h"

/* The operands of a call, each converted to the callee's parameter type. Returns 0 or -1. */
static int arguments(kn_cg *cg, const kn_expr *e, const kn_type *const *types, LLVMValueRef *args)
{
    for (int i = 0; i < e->noperands; i++)
        if (!(args[i] = kn_cg_expr_as(cg, e->operands[i], types[i])))
            return -1;
    return 0;
}

/*
 * f(args) where f is another kiln function: a call of its native entry,
 * declared here by its symbol and resolved by the JIT to the code already
 * compiled.
 */
static LLVMValueRef call_compiled(kn_cg *cg, const kn_expr *e)
{
    const kn_specialization *spec = e->payload;
    const kn_signature *sig = &spec->sig;
    LLVMTypeRef fty = kn_cg_native_type(cg, sig->ret, sig->args, sig->nargs);
    const char *name = spec->symbol;
    LLVMValueRef fn = LLVMGetNamedFunction(cg->mod, name);
    if (!fn)
        fn = LLVMAddFunction(cg->mod, name, fty);
    LLVMValueRef args[e->noperands + 1];
    if (arguments(cg, e, sig->args, args) < 0)
        return NULL;
    LLVMValueRef r = kn_cg_own(cg, kn_cg_native_call(cg, fn, fty, sig->ret, args, sig->nargs),
                               sig->ret);
    return sig->ret->kind == KN_VOID ? r : kn_cg_cast(cg, r, sig->ret, e->type);
}

// f(args) inside f, with the argument types being compiled: a direct call, no boxing
static LLVMValueRef call_self(kn_cg *cg, const kn_expr *e)
{
    const kn_type *ret = cg->f->ret;
    LLVMValueRef args[e->noperands + 1];
    if (arguments(cg, e, cg->sig->args, args) < 0)
        return NULL;
    LLVMTypeRef fty = LLVMGlobalGetValueType(cg->fn);
    LLVMValueRef r = kn_cg_own(cg, kn_cg_native_call(cg, cg->fn, fty, ret, args, cg->sig->nargs),
                               ret);
    return ret->kind == KN_VOID ? r : kn_cg_cast(cg, r, ret, e->type);
}

LLVMValueRef kn_cg_call_expr(kn_cg *cg, const kn_expr *e)
{
    switch ((kn_builtin)e->ival) {
    case KN_BI_JIT:
        return call_compiled(cg, e);
    case KN_BI_SELF:
        return call_self(cg, e);
    case KN_BI_ARRAY_SUM:
    case KN_BI_ARRAY_MIN:
    case KN_BI_ARRAY_MAX:
    case KN_BI_ARRAY_MEAN:
        return kn_cg_reduction(cg, e);
    case KN_BI_NP_DOT:
        return kn_cg_dot(cg, e);
    case KN_BI_CUDA:
        return kn_cg_cuda(cg, e);
    case KN_BI_ARRAY_COPY:
    case KN_BI_ARRAY_FILL:
    case KN_BI_NP_EMPTY:
    case KN_BI_NP_ZEROS:
    case KN_BI_NP_ONES:
    case KN_BI_NP_FULL:
    case KN_BI_NP_EMPTY_LIKE:
    case KN_BI_NP_ZEROS_LIKE:
    case KN_BI_NP_ONES_LIKE:
    case KN_BI_NP_FULL_LIKE:
    case KN_BI_NP_ARANGE:
    case KN_BI_NP_LINSPACE:
        return kn_cg_array_alloc_call(cg, e);
    case KN_BI_NONE:
    case KN_BI_EXCEPTION:
    case KN_BI_RANGE:
    case KN_BI_ENUMERATE:
    case KN_BI_ZIP:
        return kn_cg_fail(cg, e->loc, "this call cannot be compiled here");
    default:
        break;
    }
    return e->ival >= KN_BI_SQRT ? kn_cg_math(cg, e) : kn_cg_builtin(cg, e);
}
