/* Object mode's exception handling: try/except/else/finally, with, and the exits of blocks. */
#include "codegen/object.h"

/*
 * A try body, a with body, a handler: each is a region whose exceptions go
 * to a target of its own (obj_errors.c). Handling an exception follows
 * CPython 3.11: the exception becomes the one being handled
 * (PyErr_SetHandledException, what sys.exc_info() and implicit chaining
 * read) until handling ends, when the one handled before is restored.
 * return, break and continue that leave such blocks run what leaving them
 * needs (finally bodies, __exit__) first, inline, as CPython's compiler
 * does.
 */

/* An exception caught: the temporaries holding it and the one handled before it. */
typedef struct caught {
    int exc, prev;
    LLVMValueRef value;
} caught;

static void set_handled(kn_obj *o, LLVMValueRef exc)
{
    kn_obj_api(o, "PyErr_SetHandledException", LLVMVoidTypeInContext(o->cg.ctx), &exc, 1);
}

/* The exception out of the error indicator; it becomes the one being handled. */
static caught catch (kn_obj *o)
{
    caught c;
    c.value = kn_obj_helper(o, "kn_obj_rt_catch", (void *)kn_obj_rt_catch, o->ptr, NULL, 0);
    c.exc = kn_obj_owned(o, c.value).temp;
    c.prev = kn_obj_owned(o, kn_obj_api(o, "PyErr_GetHandledException", o->ptr, NULL, 0)).temp;
    set_handled(o, c.value);
    return c;
}

static LLVMValueRef globals(kn_obj *o)
{
    return kn_obj_const(o, Py_NewRef(PyFunction_GET_GLOBALS(o->func)));
}

/*
 * `except ... as name` ends with `name = None; del name`, which cannot
 * fail: for a global, the name leaves the globals, whatever exception is
 * on its way out meanwhile. Called by address.
 */
static void unbind_global(PyObject *globals, PyObject *name)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (PyDict_DelItem(globals, name) < 0)
        PyErr_Clear();
    PyErr_Restore(type, value, tb);
}

// except ... as name: the exception bound to name, a local or a global
static void bind(kn_obj *o, const kn_expr *name, LLVMValueRef exc)
{
    if (name->var) {
        kn_cg_incref(&o->cg, exc);
        kn_obj_set_local(o, name->var, exc);
        return;
    }
    LLVMValueRef args[] = {globals(o), kn_obj_str(o, name->sval), exc};
    kn_obj_api_int(o, "PyDict_SetItem", args, 3);
}

static void unbind(kn_obj *o, const kn_expr *name)
{
    if (name->var) {
        kn_obj_clear_local(o, name->var);
        return;
    }
    LLVMValueRef args[] = {globals(o), kn_obj_str(o, name->sval)};
    kn_obj_helper(o, "kn_obj_unbind_global", (void *)unbind_global,
                  LLVMVoidTypeInContext(o->cg.ctx), args, 2);
}

/*
 * Handling ends: the exception handled before is again; the references go,
 * and `except ... as name` unbinds name. Emitted on each path that leaves;
 * what is live while lowering is the callers' to say.
 */
static void let_go(kn_obj *o, const caught *c, const kn_expr *name)
{
    set_handled(o, LLVMBuildLoad2(o->cg.b, o->ptr, o->temps[c->prev].slot, ""));
    kn_obj_drop_temp(o, c->prev);
    if (c->exc >= 0)
        kn_obj_drop_temp(o, c->exc);
    if (name)
        unbind(o, name);
}

/* Handling did not stop the exception: it is raised on outward, with no new traceback entry. */
static void throw_again(kn_obj *o, const caught *c, LLVMBasicBlockRef outer)
{
    o->unwind = outer;
    caught rest = {-1, c->prev, NULL};
    let_go(o, &rest, NULL);
    LLVMValueRef exc = kn_obj_take_temp(o, c->exc);
    kn_obj_helper(o, "kn_obj_rt_throw", (void *)kn_obj_rt_throw, LLVMVoidTypeInContext(o->cg.ctx),
                  &exc, 1);
    kn_obj_reraise(o);
}

/*
 * A new exception while handling (in an except clause, a finally body,
 * __exit__): handling ends and the new one goes outward. Its traceback
 * entry was added by the target's prelude.
 */
static void handler_failed(kn_obj *o, kn_otarget *t, const caught *c, const kn_expr *name, int also,
                           LLVMBasicBlockRef outer)
{
    LLVMBasicBlockRef here = LLVMGetInsertBlock(o->cg.b);
    kn_cg_enter(&o->cg, t->body);
    let_go(o, c, name);
    if (also >= 0)
        kn_obj_drop_temp(o, also);
    LLVMBuildBr(o->cg.b, outer);
    kn_cg_enter(&o->cg, here);
}

/* Lowers a block that handles c, inside a HANDLER block (for return, break, continue). */
static int handling(kn_obj *o, const kn_block *block, const caught *c, const kn_expr *name,
                    LLVMBasicBlockRef outer)
{
    kn_ofblock fb = {.kind = KN_OF_HANDLER,
                     .outer = o->fblock,
                     .unwind = outer,
                     .exc = c->exc,
                     .prev = c->prev,
                     .name = name};
    o->fblock = &fb;
    int rc = kn_obj_stmts(o, block);
    o->fblock = fb.outer;
    return rc;
}

// except type: matched against the exception, else on to next
static int match(kn_obj *o, const kn_handler *h, const caught *c, LLVMBasicBlockRef next)
{
    kn_ov type = kn_obj_expr(o, h->type);
    if (!type.v)
        return -1;
    kn_obj_at(o, h->loc);
    LLVMValueRef args[] = {c->value, type.v};
    LLVMValueRef m =
        kn_obj_helper(o, "kn_obj_rt_matches", (void *)kn_obj_rt_matches, o->i32, args, 2);
    kn_obj_release(o, type);
    kn_obj_check_status(o, m);
    LLVMBasicBlockRef matched = kn_cg_block(&o->cg, "except.match");
    LLVMBuildCondBr(o->cg.b, LLVMBuildICmp(o->cg.b, LLVMIntNE, m, kn_obj_i32(o, 0), ""), matched,
                    next);
    kn_cg_enter(&o->cg, matched);
    return 0;
}

// except ... [as name]: body   (then on to done; name is unbound after, as in Python)
static int handler_body(kn_obj *o, const kn_handler *h, const caught *c, LLVMBasicBlockRef outer,
                        LLVMBasicBlockRef done)
{
    kn_otarget *t = NULL;
    if (h->name) {
        bind(o, h->name, c->value);
        t = kn_obj_target_begin(o, h->loc); /* an error in the body unbinds name too */
    }
    if (handling(o, &h->body, c, h->name, outer) < 0)
        return -1;
    if (!kn_cg_terminated(&o->cg)) {
        let_go(o, c, h->name);
        LLVMBuildBr(o->cg.b, done);
    }
    if (t)
        handler_failed(o, t, c, h->name, -1, outer);
    return 0;
}

/* except ...: the clauses tried in order on the exception caught; none matching, it goes on. */
static int handlers(kn_obj *o, const kn_stmt *s, LLVMBasicBlockRef outer, LLVMBasicBlockRef done)
{
    kn_obj_at(o, s->handlers[0].loc);
    caught c = catch (o);
    int n, *live = kn_obj_live_set(o, &n);
    kn_otarget *clauses = kn_obj_target_begin(o, s->loc);
    for (int i = 0; i < s->nhandlers; i++) {
        const kn_handler *h = &s->handlers[i];
        LLVMBasicBlockRef next = kn_cg_block(&o->cg, "except.next");
        kn_obj_at(o, h->loc);
        if (h->type && match(o, h, &c, next) < 0) /* a bare except matches anything */
            return -1;
        if (handler_body(o, h, &c, outer, done) < 0)
            return -1;
        kn_obj_restore_live(o, live, n);
        kn_cg_enter(&o->cg, next);
        o->unwind = clauses->prelude;
    }
    throw_again(o, &c, outer);
    handler_failed(o, clauses, &c, NULL, -1, outer);
    return 0;
}

// try: body except ...: handlers else: orelse
static int try_except(kn_obj *o, const kn_stmt *s)
{
    LLVMBasicBlockRef outer = o->unwind, done = kn_cg_block(&o->cg, "try.end");
    kn_otarget *t = kn_obj_target_begin(o, s->loc);
    if (kn_obj_stmts(o, &s->body) < 0)
        return -1;
    o->unwind = outer;
    if (kn_obj_arm(o, &s->orelse, done) < 0) /* the else clause's exceptions are not handled here */
        return -1;
    kn_cg_enter(&o->cg, t->body);
    kn_obj_restore_live(o, t->keep, t->nkeep);
    if (handlers(o, s, outer, done) < 0)
        return -1;
    o->unwind = outer;
    kn_cg_enter(&o->cg, done);
    kn_obj_restore_live(o, t->keep, t->nkeep);
    return 0;
}

/* finally: body after an exception: it runs with the exception handled, then raises it on. */
static int finally_raised(kn_obj *o, const kn_stmt *s, LLVMBasicBlockRef outer)
{
    caught c = catch (o);
    kn_otarget *t = kn_obj_target_begin(o, s->loc);
    if (handling(o, &s->finalbody, &c, NULL, outer) < 0)
        return -1;
    if (!kn_cg_terminated(&o->cg))
        throw_again(o, &c, outer);
    handler_failed(o, t, &c, NULL, -1, outer);
    o->unwind = outer;
    return 0;
}

// try: ... finally: finalbody   (the body may have except and else clauses)
static int try_finally(kn_obj *o, const kn_stmt *s)
{
    LLVMBasicBlockRef outer = o->unwind, done = kn_cg_block(&o->cg, "finally.end");
    kn_otarget *t = kn_obj_target_begin(o, s->loc);
    kn_ofblock fb = {
        .kind = KN_OF_FINALLY, .outer = o->fblock, .unwind = outer, .finalbody = &s->finalbody};
    o->fblock = &fb;
    int rc = s->nhandlers ? try_except(o, s) : kn_obj_stmts(o, &s->body);
    o->fblock = fb.outer;
    o->unwind = outer;
    if (rc < 0 || kn_obj_arm(o, &s->finalbody, done) < 0)
        return -1;
    kn_cg_enter(&o->cg, t->body);
    kn_obj_restore_live(o, t->keep, t->nkeep);
    if (finally_raised(o, s, outer) < 0)
        return -1;
    kn_cg_enter(&o->cg, done);
    kn_obj_restore_live(o, t->keep, t->nkeep);
    return 0;
}

int kn_obj_try(kn_obj *o, const kn_stmt *s)
{
    return s->finalbody.n ? try_finally(o, s) : try_except(o, s);
}

/* __exit__(None, None, None), its result dropped: a with body left without an exception. */
static void exit_quietly(kn_obj *o, int exit)
{
    LLVMValueRef args[] = {LLVMBuildLoad2(o->cg.b, o->ptr, o->temps[exit].slot, "exit"),
                           LLVMConstNull(o->ptr)};
    LLVMValueRef r = kn_obj_helper(o, "kn_obj_rt_exit", (void *)kn_obj_rt_exit, o->ptr, args, 2);
    kn_obj_check(o, r);
    kn_cg_xdecref(&o->cg, r);
    kn_obj_drop_temp(o, exit);
}

/*
 * with body raised: __exit__(type, exc, traceback), with the exception
 * handled; a true result swallows it, else it goes on outward.
 */
static void exit_raised(kn_obj *o, const kn_stmt *s, int exit, LLVMBasicBlockRef outer,
                        LLVMBasicBlockRef done)
{
    caught c = catch (o);
    kn_otarget *t = kn_obj_target_begin(o, s->loc);
    LLVMValueRef args[] = {LLVMBuildLoad2(o->cg.b, o->ptr, o->temps[exit].slot, "exit"), c.value};
    LLVMValueRef r = kn_obj_helper(o, "kn_obj_rt_exit", (void *)kn_obj_rt_exit, o->ptr, args, 2);
    kn_obj_check(o, r);
    kn_ov result = kn_obj_owned(o, r);
    LLVMValueRef swallow = kn_obj_truth(o, result);
    kn_obj_release(o, result);
    o->unwind = outer;
    kn_obj_drop_temp(o, exit);
    LLVMBasicBlockRef swallowed = kn_cg_block(&o->cg, "with.swallowed");
    LLVMBasicBlockRef again = kn_cg_block(&o->cg, "with.raise");
    LLVMBuildCondBr(o->cg.b, swallow, swallowed, again);
    kn_cg_enter(&o->cg, swallowed);
    let_go(o, &c, NULL);
    LLVMBuildBr(o->cg.b, done);
    kn_cg_enter(&o->cg, again);
    throw_again(o, &c, outer);
    handler_failed(o, t, &c, NULL, exit, outer);
}

// with value [as target]: body
int kn_obj_with(kn_obj *o, const kn_stmt *s)
{
    LLVMBasicBlockRef outer = o->unwind, done = kn_cg_block(&o->cg, "with.end");
    int n, *before = kn_obj_live_set(o, &n);
    kn_ov mgr = kn_obj_expr(o, s->value);
    if (!mgr.v)
        return -1;
    kn_obj_at(o, s->loc);
    LLVMValueRef exit_out = kn_cg_alloca(&o->cg, o->ptr, "exit");
    LLVMValueRef args[] = {mgr.v, exit_out};
    LLVMValueRef value =
        kn_obj_helper(o, "kn_obj_rt_enter", (void *)kn_obj_rt_enter, o->ptr, args, 2);
    int exit = kn_obj_owned(o, LLVMBuildLoad2(o->cg.b, o->ptr, exit_out, "")).temp;
    kn_obj_release(o, mgr);
    kn_obj_check(o, value);
    kn_ov entered = kn_obj_owned(o, value);
    kn_otarget *t = kn_obj_target_begin(o, s->loc);
    kn_ofblock fb = {.kind = KN_OF_WITH, .outer = o->fblock, .unwind = outer, .temp = exit};
    o->fblock = &fb;
    int rc = 0;
    if (s->ntargets)
        rc = kn_obj_store(o, s->targets[0], entered);
    else
        kn_obj_release(o, entered);
    if (rc == 0)
        rc = kn_obj_stmts(o, &s->body);
    o->fblock = fb.outer;
    o->unwind = outer;
    if (rc < 0)
        return -1;
    if (!kn_cg_terminated(&o->cg)) {
        kn_obj_at(o, s->loc);
        exit_quietly(o, exit);
        LLVMBuildBr(o->cg.b, done);
    }
    kn_cg_enter(&o->cg, t->body);
    kn_obj_restore_live(o, t->keep, t->nkeep);
    exit_raised(o, s, exit, outer, done);
    kn_cg_enter(&o->cg, done);
    kn_obj_restore_live(o, before, n);
    return 0;
}

/* What leaving fb on the way out undoes, its exceptions going outside it. */
static int leave(kn_obj *o, kn_ofblock *fb)
{
    switch (fb->kind) {
    case KN_OF_LOOP: /* return leaves the loop: its iterator goes */
        if (fb->temp >= 0)
            kn_obj_drop_temp(o, fb->temp);
        return 0;
    case KN_OF_FINALLY:
        return kn_obj_stmts(o, fb->finalbody);
    case KN_OF_WITH:
        exit_quietly(o, fb->temp);
        return 0;
    case KN_OF_HANDLER: {
        caught c = {fb->exc, fb->prev, NULL};
        let_go(o, &c, fb->name);
        return 0;
    }
    }
    return 0;
}

int kn_obj_unwind(kn_obj *o, kn_ofblock *until)
{
    kn_ofblock *inner = o->fblock;
    LLVMBasicBlockRef unwind = o->unwind;
    int n, *live = kn_obj_live_set(o, &n);
    int rc = 0;
    for (kn_ofblock *fb = inner; fb && fb != until && rc == 0 && !kn_cg_terminated(&o->cg);
         fb = fb->outer) {
        o->fblock = fb->outer;
        o->unwind = fb->unwind;
        rc = leave(o, fb);
    }
    o->fblock = inner;
    o->unwind = unwind;
    kn_obj_restore_live(o, live, n);
    return rc;
}
