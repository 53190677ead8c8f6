/* Statements: assignment, return, if, break/continue, assert, raise; loops are in loop.c. */
#include "codegen/cg.h"
#include "compiler/infer.h"
#include "runtime/raise.h"

// NAME = v | (a, b, ...) = v: a local takes v converted to its type; a tuple target unpacks
int kn_cg_store(kn_cg *cg, const kn_expr *target, LLVMValueRef v, const kn_type *t)
{
    if (target->kind == KN_E_NAME && target->var) {
        const kn_var *var = target->var;
        LLVMValueRef x = kn_cg_cast(cg, v, t, var->type);
        if (!x)
            return -1;
        kn_cg_store_owned(cg, cg->slots[var->index], x, var->type);
        return 0;
    }
    if (target->kind == KN_E_SUBSCRIPT && target->value->type->kind == KN_ARRAY)
        return kn_cg_array_assign(cg, target, v, t);
    if (target->kind != KN_E_TUPLE || t->kind != KN_TUPLE || t->nfields != target->noperands) {
        kn_cg_fail(cg, target->loc, "cannot assign %s to this target", t->name);
        return -1;
    }
    for (int i = 0; i < t->nfields; i++)
        if (kn_cg_store(cg, target->operands[i], LLVMBuildExtractValue(cg->b, v, i, ""),
                        t->fields[i]) < 0)
            return -1;
    return 0;
}

// a = b = value: the value is computed once
static int assign(kn_cg *cg, const kn_stmt *s)
{
    LLVMValueRef v = kn_cg_expr(cg, s->value);
    if (!v)
        return -1;
    for (int i = 0; i < s->ntargets; i++)
        if (kn_cg_store(cg, s->targets[i], v, s->value->type) < 0)
            return -1;
    return 0;
}

// return [value]: the result goes to the caller's slot, then status 0
static int return_stmt(kn_cg *cg, const kn_stmt *s)
{
    const kn_type *ret = cg->f->ret;
    if (ret->kind == KN_VOID) {
        if (s->value && !kn_cg_expr(cg, s->value))
            return -1;
    } else {
        LLVMValueRef v = kn_cg_expr_as(cg, s->value, ret);
        if (!v)
            return -1;
        kn_cg_retain(cg, v, ret); /* the caller's reference, which outlives the exit's releases */
        LLVMBuildStore(cg->b, kn_cg_to_mem(cg, v, ret), cg->out);
    }
    LLVMBuildBr(cg->b, cg->exit);
    return 0;
}

/* Lowers block into the current block; control that falls off its end goes on to next. */
static int arm(kn_cg *cg, const kn_block *block, LLVMBasicBlockRef next)
{
    if (kn_cg_stmts(cg, block) < 0)
        return -1;
    if (!kn_cg_terminated(cg))
        LLVMBuildBr(cg->b, next);
    return 0;
}

LLVMValueRef kn_cg_condition(kn_cg *cg, const kn_expr *e)
{
    int mark = cg->ntemps;
    LLVMValueRef v = kn_cg_expr(cg, e);
    if (!v)
        return NULL;
    v = kn_cg_truth(cg, v, e->type);
    kn_cg_release_temps(cg, mark);
    return v;
}

// if test: body else: orelse
static int if_stmt(kn_cg *cg, const kn_stmt *s)
{
    LLVMValueRef test = kn_cg_condition(cg, s->test);
    if (!test)
        return -1;
    LLVMBasicBlockRef then = kn_cg_block(cg, "if.then"), orelse = kn_cg_block(cg, "if.else");
    LLVMBasicBlockRef done = kn_cg_block(cg, "if.end");
    LLVMBuildCondBr(cg->b, test, then, orelse);
    kn_cg_enter(cg, then);
    if (arm(cg, &s->body, done) < 0)
        return -1;
    kn_cg_enter(cg, orelse);
    if (arm(cg, &s->orelse, done) < 0)
        return -1;
    kn_cg_enter(cg, done);
    return 0;
}

// assert test[, "message"]
static int assert_stmt(kn_cg *cg, const kn_stmt *s)
{
    LLVMValueRef test = kn_cg_condition(cg, s->test);
    if (!test)
        return -1;
    LLVMValueRef failed = LLVMBuildNot(cg->b, test, "");
    kn_cg_raise_if(cg, failed, KN_RT_ASSERTION_ERROR, s->value ? s->value->sval : NULL);
    return 0;
}

/*
 * raise Exc | raise Exc("message"): builtin exceptions by kind; another
 * class by its address, with a reference that compiled code keeps for
 * ever (the class outlives the code that raises it).
 */
static int raise_stmt(kn_cg *cg, const kn_stmt *s)
{
    const kn_expr *e = s->value;
    PyObject *type = e->payload;
    if (!type)
        return kn_cg_fail(cg, e->loc, "only exception classes can be raised"), -1;
    const char *msg = e->kind == KN_E_CALL && e->noperands ? e->operands[0]->sval : NULL;
    int kind = kn_rt_exc_kind(type);
    if (kind >= 0) {
        kn_cg_raise(cg, kind, msg);
        return 0;
    }
    Py_INCREF(type);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(cg->ctx, 0);
    LLVMValueRef fn = kn_cg_declare(cg, "kn_rt_raise_class", LLVMInt32TypeInContext(cg->ctx),
                                    (LLVMTypeRef[]){ptr, ptr}, 2);
    LLVMValueRef args[] = {
        LLVMConstIntToPtr(kn_cg_i64(cg, (long long)(intptr_t)type), ptr),
        msg ? kn_cg_string(cg, msg) : LLVMConstNull(ptr),
    };
    kn_cg_call(cg, fn, args, 2);
    LLVMBuildBr(cg->b, cg->error);
    return 0;
}

static int statement(kn_cg *cg, const kn_stmt *s)
{
    switch (s->kind) {
    case KN_S_EXPR:
        return kn_cg_expr(cg, s->value) ? 0 : -1;
    case KN_S_ASSIGN:
        return assign(cg, s);
    case KN_S_RETURN:
        return return_stmt(cg, s);
    case KN_S_IF:
        return if_stmt(cg, s);
    case KN_S_WHILE:
        return kn_cg_while(cg, s);
    case KN_S_FOR:
        return kn_cg_for(cg, s);
    case KN_S_BREAK:
        LLVMBuildBr(cg->b, cg->loop->done);
        return 0;
    case KN_S_CONTINUE:
        LLVMBuildBr(cg->b, cg->loop->next);
        return 0;
    case KN_S_PASS:
        return 0;
    case KN_S_ASSERT:
        return assert_stmt(cg, s);
    case KN_S_RAISE:
        return raise_stmt(cg, s);
    case KN_S_AUGASSIGN: /* inference rewrote it for number locals: arrays are left */
        return kn_cg_array_augassign(cg, s);
    default: /* object mode's statements: inference rejects them in nopython mode */
        break;
    }
    kn_cg_fail(cg, s->loc, "this statement cannot be compiled yet");
    return -1;
}

/*
 * Statements after one that leaves the block (return, break, raise) never
 * run: they are not emitted. The arrays a statement made are released
 * when it is done (refs.c).
 */
int kn_cg_stmts(kn_cg *cg, const kn_block *block)
{
    for (int i = 0; i < block->n && !kn_cg_terminated(cg); i++) {
        const kn_stmt *s = block->stmts[i];
        cg->loc = s->loc;
        kn_cg_debug_at(cg, s->loc);
        int mark = cg->ntemps;
        if (statement(cg, s) < 0)
            return -1;
        kn_cg_release_temps(cg, mark); /* after a for loop: its iterable */
    }
    return 0;
}
