/* Object mode's statements: expressions, assignments, return, if, assert, raise, del, import. */
#include "codegen/object.h"

static const kn_ov failed = {NULL, -1};

/* a, b = x, y without starred parts: no tuple is built; every value is held before any store. */
static int is_parallel(const kn_stmt *s)
{
    const kn_expr *t = s->targets[0], *v = s->value;
    if (s->ntargets != 1 || (t->kind != KN_E_TUPLE && t->kind != KN_E_LIST) ||
        v->kind != KN_E_TUPLE || t->noperands != v->noperands)
        return 0;
    for (int i = 0; i < t->noperands; i++)
        if (t->operands[i]->kind == KN_E_STARRED || v->operands[i]->kind == KN_E_STARRED)
            return 0;
    return 1;
}

// a, b = b, a + b
static int parallel_assign(kn_obj *o, const kn_stmt *s)
{
    int n = s->value->noperands;
    kn_ov values[n > 0 ? n : 1];
    for (int i = 0; i < n; i++) {
        kn_ov v = kn_obj_expr(o, s->value->operands[i]);
        if (!v.v)
            return -1;
        values[i] = v.temp < 0 ? kn_obj_copy(o, v) : v; /* a local the stores may rebind */
    }
    for (int i = 0; i < n; i++)
        if (kn_obj_store(o, s->targets[0]->operands[i], values[i]) < 0)
            return -1;
    return 0;
}

// target = ... = target = value: the value computed once, stored left to right
static int assign(kn_obj *o, const kn_stmt *s)
{
    if (is_parallel(s))
        return parallel_assign(o, s);
    kn_ov v = kn_obj_expr(o, s->value);
    if (!v.v)
        return -1;
    for (int i = 0; i < s->ntargets; i++)
        if (kn_obj_store(o, s->targets[i], i == s->ntargets - 1 ? v : kn_obj_copy(o, v)) < 0)
            return -1;
    return 0;
}

// obj.name op= v | container[index] op= v: the object and key evaluated once
static int augassign_into(kn_obj *o, const kn_stmt *s)
{
    const kn_expr *t = s->targets[0];
    int item = t->kind == KN_E_SUBSCRIPT;
    kn_ov obj, key;
    if (kn_obj_target_parts(o, t, &obj, &key) < 0)
        return -1;
    LLVMValueRef get[] = {obj.v, key.v};
    kn_ov cur = kn_obj_api_new(o, item ? "PyObject_GetItem" : "PyObject_GetAttr", get, 2, NULL, 0);
    kn_ov v = kn_obj_expr(o, s->value);
    if (!v.v)
        return -1;
    kn_obj_at(o, s->loc);
    kn_ov r = kn_obj_binary(o, s->op, cur, v, 1);
    LLVMValueRef set[] = {obj.v, key.v, r.v};
    kn_obj_api_int(o, item ? "PyObject_SetItem" : "PyObject_SetAttr", set, 3);
    kn_obj_release(o, r);
    kn_obj_release(o, key);
    kn_obj_release(o, obj);
    return 0;
}

// target op= value: in place when the object can (list +=), else a new value stored
static int augassign(kn_obj *o, const kn_stmt *s)
{
    const kn_expr *t = s->targets[0];
    if (t->kind != KN_E_NAME)
        return augassign_into(o, s);
    kn_ov cur = kn_obj_load(o, t);
    kn_ov v = cur.v ? kn_obj_expr(o, s->value) : failed;
    if (!v.v)
        return -1;
    kn_obj_at(o, s->loc);
    return kn_obj_store(o, t, kn_obj_binary(o, s->op, cur, v, 1));
}

/*
 * return [value]: the value is held by a temporary while the blocks left
 * run their exits (finally bodies, __exit__), so an exception there lets
 * it go; then it is the result.
 */
static int return_stmt(kn_obj *o, const kn_stmt *s)
{
    kn_ov v = s->value ? kn_obj_expr(o, s->value) : kn_obj_borrowed(kn_obj_none(o));
    if (!v.v)
        return -1;
    if (v.temp < 0)
        v = kn_obj_copy(o, v);
    if (kn_obj_unwind(o, NULL) < 0)
        return -1;
    if (kn_cg_terminated(&o->cg)) /* a finally body returned or raised instead */
        return 0;
    LLVMBuildStore(o->cg.b, kn_obj_give(o, v), o->result);
    LLVMBuildBr(o->cg.b, o->exit);
    return 0;
}

int kn_obj_arm(kn_obj *o, const kn_block *block, LLVMBasicBlockRef next)
{
    if (kn_obj_stmts(o, block) < 0)
        return -1;
    if (!kn_cg_terminated(&o->cg))
        LLVMBuildBr(o->cg.b, next);
    return 0;
}

// if test: body else: orelse
static int if_stmt(kn_obj *o, const kn_stmt *s)
{
    LLVMValueRef test = kn_obj_condition(o, s->test);
    if (!test)
        return -1;
    LLVMBasicBlockRef then = kn_cg_block(&o->cg, "if.then"), other = kn_cg_block(&o->cg, "if.else");
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "if.end");
    LLVMBuildCondBr(o->cg.b, test, then, other);
    kn_cg_enter(&o->cg, then);
    if (kn_obj_arm(o, &s->body, done) < 0)
        return -1;
    kn_cg_enter(&o->cg, other);
    if (kn_obj_arm(o, &s->orelse, done) < 0)
        return -1;
    kn_cg_enter(&o->cg, done);
    return 0;
}

/* raise exc [from cause]: exc, cause borrowed or NULL. */
static void raise_object(kn_obj *o, LLVMValueRef exc, LLVMValueRef cause)
{
    LLVMValueRef args[] = {exc, cause ? cause : LLVMConstNull(o->ptr)};
    kn_obj_helper(o, "kn_obj_rt_raise", (void *)kn_obj_rt_raise, o->i32, args, 2);
}

// assert test[, msg]: AssertionError(msg), the message evaluated only when the test fails
static int assert_stmt(kn_obj *o, const kn_stmt *s)
{
    LLVMValueRef test = kn_obj_condition(o, s->test);
    if (!test)
        return -1;
    LLVMBasicBlockRef fail = kn_cg_block(&o->cg, "assert.fail"),
                      ok = kn_cg_block(&o->cg, "assert.ok");
    kn_cg_unlikely(&o->cg, LLVMBuildCondBr(o->cg.b, test, ok, fail));
    kn_cg_enter(&o->cg, fail);
    kn_ov exc = kn_obj_borrowed(kn_obj_load_symbol(o, "PyExc_AssertionError"));
    if (s->value) {
        kn_ov msg = kn_obj_expr(o, s->value);
        if (!msg.v)
            return -1;
        kn_obj_at(o, s->loc);
        LLVMValueRef args[] = {exc.v, msg.v};
        exc = kn_obj_api_new(o, "PyObject_CallOneArg", args, 2, &msg, 1);
    }
    raise_object(o, exc.v, NULL);
    kn_obj_release(o, exc);
    kn_obj_raise_here(o);
    kn_cg_enter(&o->cg, ok);
    return 0;
}

/*
 * raise alone: the exception being handled again, adding no traceback
 * entry (it has this line already), or RuntimeError when there is none.
 */
static void reraise(kn_obj *o)
{
    LLVMValueRef again =
        kn_obj_helper(o, "kn_obj_rt_reraise", (void *)kn_obj_rt_reraise, o->i32, NULL, 0);
    LLVMValueRef line =
        LLVMBuildSelect(o->cg.b, LLVMBuildICmp(o->cg.b, LLVMIntNE, again, kn_obj_i32(o, 0), ""),
                        kn_obj_i32(o, 0), kn_obj_i32(o, o->line), "");
    LLVMBuildStore(o->cg.b, line, o->errline);
    LLVMBuildBr(o->cg.b, o->unwind);
}

// raise | raise exc | raise exc from cause
static int raise_stmt(kn_obj *o, const kn_stmt *s)
{
    if (!s->value) {
        reraise(o);
        return 0;
    }
    kn_ov exc = kn_obj_expr(o, s->value);
    kn_ov cause = !exc.v || !s->test ? kn_obj_borrowed(NULL) : kn_obj_expr(o, s->test);
    if (!exc.v || (s->test && !cause.v))
        return -1;
    kn_obj_at(o, s->loc);
    raise_object(o, exc.v, cause.v);
    kn_obj_release(o, exc);
    kn_obj_release(o, cause);
    kn_obj_raise_here(o);
    return 0;
}

// del target, ...
static int del_stmt(kn_obj *o, const kn_stmt *s)
{
    for (int i = 0; i < s->ntargets; i++)
        if (kn_obj_delete(o, s->targets[i]) < 0)
            return -1;
    return 0;
}

// import a.b [as c] | from .m import name [as other]: each name bound in turn
static int import_one(kn_obj *o, const kn_import *im, const kn_expr *target)
{
    LLVMValueRef fromlist = kn_obj_names(o, im->fromlist, im->nfromlist);
    LLVMValueRef args[] = {kn_obj_str(o, im->module),
                           kn_obj_const(o, Py_NewRef(PyFunction_GET_GLOBALS(o->func))), fromlist,
                           kn_obj_i32(o, im->level)};
    if (!args[0] || !fromlist)
        return -1;
    LLVMValueRef m =
        kn_obj_helper(o, "kn_obj_rt_import", (void *)kn_obj_rt_import, o->ptr, args, 4);
    kn_obj_check(o, m);
    kn_ov v = kn_obj_owned(o, m);
    for (int i = 0; i < im->nattrs; i++) {
        LLVMValueRef from[] = {v.v, kn_obj_str(o, im->attrs[i])};
        LLVMValueRef a = kn_obj_helper(o, "kn_obj_rt_import_from", (void *)kn_obj_rt_import_from,
                                       o->ptr, from, 2);
        kn_obj_release(o, v);
        kn_obj_check(o, a);
        v = kn_obj_owned(o, a);
    }
    return kn_obj_store(o, target, v);
}

static int import_stmt(kn_obj *o, const kn_stmt *s)
{
    for (int i = 0; i < s->ntargets; i++)
        if (import_one(o, &s->import[i], s->targets[i]) < 0)
            return -1;
    return 0;
}

/* break | continue: the blocks in between undone, then on to the loop's. */
static int jump(kn_obj *o, int is_break)
{
    kn_ofblock *loop = o->fblock;
    while (loop && loop->kind != KN_OF_LOOP)
        loop = loop->outer;
    if (kn_obj_unwind(o, loop) < 0)
        return -1;
    if (!kn_cg_terminated(&o->cg))
        LLVMBuildBr(o->cg.b, is_break ? loop->brk : loop->next);
    return 0;
}

static int expr_stmt(kn_obj *o, const kn_stmt *s)
{
    kn_ov v = kn_obj_expr(o, s->value);
    if (!v.v)
        return -1;
    kn_obj_release(o, v);
    return 0;
}

static int statement(kn_obj *o, const kn_stmt *s)
{
    switch (s->kind) {
    case KN_S_EXPR:
        return expr_stmt(o, s);
    case KN_S_ASSIGN:
        return assign(o, s);
    case KN_S_AUGASSIGN:
        return augassign(o, s);
    case KN_S_RETURN:
        return return_stmt(o, s);
    case KN_S_IF:
        return if_stmt(o, s);
    case KN_S_WHILE:
        return kn_obj_while(o, s);
    case KN_S_FOR:
        return kn_obj_for(o, s);
    case KN_S_BREAK:
    case KN_S_CONTINUE:
        return jump(o, s->kind == KN_S_BREAK);
    case KN_S_PASS:
    case KN_S_GLOBAL:
        return 0;
    case KN_S_ASSERT:
        return assert_stmt(o, s);
    case KN_S_RAISE:
        return raise_stmt(o, s);
    case KN_S_DEL:
        return del_stmt(o, s);
    case KN_S_TRY:
        return kn_obj_try(o, s);
    case KN_S_WITH:
        return kn_obj_with(o, s);
    case KN_S_IMPORT:
        return import_stmt(o, s);
    }
    kn_cg_fail(&o->cg, s->loc, "object mode cannot compile this statement");
    return -1;
}

/* Statements after one that leaves the block (return, break, raise) never run: not emitted. */
int kn_obj_stmts(kn_obj *o, const kn_block *block)
{
    for (int i = 0; i < block->n && !kn_cg_terminated(&o->cg); i++) {
        kn_obj_at(o, block->stmts[i]->loc);
        if (statement(o, block->stmts[i]) < 0)
            return -1;
    }
    return 0;
}
