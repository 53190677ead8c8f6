/* Object mode's loops: while, and for over range() natively or over any iterable. */
#include "codegen/object.h"

/*
 * Loops poll the interrupt flag on every back-edge, as native loops
 * with calls in them do: one load next to the C API calls of an
 * iteration costs nothing measurable.
 */
static void poll(kn_obj *o)
{
    o->cg.error = kn_obj_landing(o);
    kn_cg_poll_interrupt(&o->cg);
}

/* Lowers a loop's body with break and continue going to brk and next. */
static int body(kn_obj *o, const kn_block *block, LLVMBasicBlockRef next, LLVMBasicBlockRef brk,
                int iter)
{
    kn_ofblock loop = {.kind = KN_OF_LOOP,
                       .outer = o->fblock,
                       .unwind = o->unwind,
                       .next = next,
                       .brk = brk,
                       .temp = iter};
    o->fblock = &loop;
    int rc = kn_obj_stmts(o, block);
    o->fblock = loop.outer;
    if (rc == 0 && !kn_cg_terminated(&o->cg))
        LLVMBuildBr(o->cg.b, next);
    return rc;
}

/* The else clause of a loop runs when it ends without break; then control goes on at done. */
static int orelse(kn_obj *o, const kn_block *block, LLVMBasicBlockRef done)
{
    if (kn_obj_stmts(o, block) < 0)
        return -1;
    if (!kn_cg_terminated(&o->cg))
        LLVMBuildBr(o->cg.b, done);
    kn_cg_enter(&o->cg, done);
    return 0;
}

// while test: body else: orelse
int kn_obj_while(kn_obj *o, const kn_stmt *s)
{
    LLVMBasicBlockRef head = kn_cg_block(&o->cg, "while.test"),
                      loop = kn_cg_block(&o->cg, "while.body");
    LLVMBasicBlockRef next = kn_cg_block(&o->cg, "while.next"),
                      other = kn_cg_block(&o->cg, "while.else");
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "while.end");
    LLVMBuildBr(o->cg.b, head);
    kn_cg_enter(&o->cg, head);
    LLVMValueRef test = kn_obj_condition(o, s->test);
    if (!test)
        return -1;
    LLVMBuildCondBr(o->cg.b, test, loop, other);
    kn_cg_enter(&o->cg, loop);
    if (body(o, &s->body, next, done, -1) < 0)
        return -1;
    kn_cg_enter(&o->cg, next);
    kn_obj_at(o, s->loc);
    poll(o);
    LLVMBuildBr(o->cg.b, head);
    kn_cg_enter(&o->cg, other);
    return orelse(o, &s->orelse, done);
}

/* range(a[, b[, c]]) written as such: a call that may be the builtin range, checked at run time. */
static int maybe_range(const kn_expr *e)
{
    if (e->kind != KN_E_CALL || e->nkw || e->noperands < 1 || e->noperands > 3)
        return 0;
    for (int i = 0; i < e->noperands; i++)
        if (e->operands[i]->kind == KN_E_STARRED)
            return 0;
    return 1;
}

/*
 * Native range variables. A variable that only range loops assign and
 * that is only read as an index, as i in `for i in range(n): total +=
 * xs[i]`, is never boxed: when the loop counts natively it keeps i in an
 * i64 slot, and the items it indexes are read and written with that
 * index. The loop falls back to iterating an object when range is not the
 * builtin (the variable then holds what the iterator gives); a flag says
 * which the variable holds now. Object mode has no native slots
 * otherwise: cg.slots holds these, the value at the variable's index and
 * the flag nvars after it, NULL for the other variables.
 */
typedef struct uses {
    char *bad;     /* by variable index: assigned or read in a way that needs the object */
    char *counted; /* the target of a range loop */
} uses;

static void expr_uses(const kn_expr *e, uses *u, int index_ok);

// a store into target that is not a native range loop's: every name in it needs the object
static void target_uses(const kn_expr *t, uses *u)
{
    if (!t)
        return;
    if (t->kind == KN_E_NAME && t->var)
        u->bad[t->var->index] = 1;
    else if (t->kind == KN_E_TUPLE || t->kind == KN_E_LIST)
        for (int i = 0; i < t->noperands; i++)
            target_uses(t->operands[i], u);
    else if (t->kind == KN_E_STARRED)
        target_uses(t->value, u);
    else if (t->kind == KN_E_SUBSCRIPT && t->index->kind == KN_E_NAME)
        expr_uses(t->value, u, 1); /* container[i] = v: the store takes a native i */
    else
        expr_uses(t, u, 1);
}

// for target in iterable: a NAME counted over range() natively
static void loop_uses(const kn_expr *target, const kn_expr *iterable, uses *u)
{
    if (target->kind == KN_E_NAME && target->var && maybe_range(iterable))
        u->counted[target->var->index] = 1;
    else
        target_uses(target, u);
}

/* index_ok: a subscript here is read by kn_obj_expr, which takes a native index. */
static void expr_uses(const kn_expr *e, uses *u, int index_ok)
{
    if (!e)
        return;
    if (e->kind == KN_E_NAME) {
        if (e->var)
            u->bad[e->var->index] = 1;
        return;
    }
    if (e->kind == KN_E_COMPFOR) {
        loop_uses(e->operands[0], e->value, u);
        expr_uses(e->value, u, 1);
        for (int i = 1; i < e->noperands; i++)
            expr_uses(e->operands[i], u, 1);
        return;
    }
    expr_uses(e->value, u, 1);
    if (!(e->kind == KN_E_SUBSCRIPT && index_ok && e->index->kind == KN_E_NAME))
        expr_uses(e->index, u, 1);
    for (int i = 0; i < e->noperands; i++)
        expr_uses(e->operands[i], u, 1);
}

static void block_uses(const kn_block *b, uses *u);

static void stmt_uses(const kn_stmt *s, uses *u)
{
    for (int i = 0; i < s->ntargets; i++) {
        if (s->kind == KN_S_FOR)
            loop_uses(s->targets[i], s->value, u);
        else if (s->kind == KN_S_AUGASSIGN || s->kind == KN_S_DEL)
            expr_uses(s->targets[i], u, 0); /* their subscripts box the index */
        else
            target_uses(s->targets[i], u);
    }
    expr_uses(s->value, u, 1);
    expr_uses(s->test, u, 1);
    block_uses(&s->body, u);
    block_uses(&s->orelse, u);
    block_uses(&s->finalbody, u);
    for (int i = 0; i < s->nhandlers; i++) {
        expr_uses(s->handlers[i].type, u, 1);
        if (s->handlers[i].name)
            target_uses(s->handlers[i].name, u);
        block_uses(&s->handlers[i].body, u);
    }
}

static void block_uses(const kn_block *b, uses *u)
{
    for (int i = 0; i < b->n; i++)
        stmt_uses(b->stmts[i], u);
}

/* Finds the native range variables of the function once, making their slots. */
static void find_native(kn_obj *o)
{
    const kn_func *f = o->cg.f;
    int n = f->nvars;
    o->cg.slots = kn_arena_alloc(f->arena, sizeof(LLVMValueRef) * (size_t)(2 * n + 1));
    uses u = {kn_arena_alloc(f->arena, (size_t)n + 1), kn_arena_alloc(f->arena, (size_t)n + 1)};
    block_uses(&f->body, &u);
    for (int i = 0; i < n; i++) {
        if (!u.counted[i] || u.bad[i] || f->vars[i]->is_arg >= 0)
            continue;
        o->cg.slots[i] = kn_cg_alloca(&o->cg, o->i64, f->vars[i]->name);
        o->cg.slots[n + i] = kn_cg_null_slot(&o->cg, kn_type_int(64), "native");
    }
}

LLVMValueRef kn_obj_native_var(kn_obj *o, const kn_var *var, LLVMValueRef *native)
{
    if (!o->cg.slots)
        find_native(o);
    LLVMValueRef slot = o->cg.slots[var->index];
    if (!slot || !native)
        return slot;
    LLVMValueRef flag =
        LLVMBuildLoad2(o->cg.b, o->i64, o->cg.slots[o->cg.f->nvars + var->index], "");
    *native = LLVMBuildICmp(o->cg.b, LLVMIntNE, flag, LLVMConstInt(o->i64, 0, 0), "native");
    return LLVMBuildLoad2(o->cg.b, o->i64, slot, var->name);
}

/* Stores a native value (native) or an object (a new reference) in a native range variable. */
static void set_native_var(kn_obj *o, const kn_var *var, LLVMValueRef value, LLVMValueRef object)
{
    LLVMValueRef flag = o->cg.slots[o->cg.f->nvars + var->index];
    if (value)
        LLVMBuildStore(o->cg.b, value, o->cg.slots[var->index]);
    LLVMBuildStore(o->cg.b, LLVMConstInt(o->i64, value ? 1 : 0, 0), flag);
    kn_obj_set_local(o, var, object ? object : LLVMConstNull(o->ptr));
}

/* The iterator of an object, into the loop's temporary: iter(v), v released. */
static void get_iter(kn_obj *o, kn_oloop *l, kn_ov v)
{
    LLVMValueRef it = kn_obj_api(o, "PyObject_GetIter", o->ptr, &v.v, 1);
    kn_obj_release(o, v);
    kn_obj_check(o, it);
    LLVMBuildStore(o->cg.b, it, o->temps[l->iter].slot);
}

/* The start, step and count the range helper wrote, as i64 values. */
static void range_parts(kn_obj *o, kn_oloop *l, LLVMValueRef parts)
{
    LLVMValueRef *fields[] = {&l->start, &l->step, &l->count};
    for (int i = 0; i < 3; i++) {
        LLVMValueRef at = LLVMConstInt(o->i64, (unsigned long long)i, 0);
        *fields[i] =
            LLVMBuildLoad2(o->cg.b, o->i64, LLVMBuildGEP2(o->cg.b, o->i64, parts, &at, 1, ""), "");
    }
}

/*
 * for i in range(...): when the callee is the builtin range and the
 * arguments exact ints (the helper checks both), the loop counts in a
 * native i64 and boxes i for the body; else it calls the callee and
 * iterates what it returns, as any other for loop.
 */
static int range_setup(kn_obj *o, kn_oloop *l, const kn_expr *call)
{
    int n = call->noperands;
    kn_ov callee = kn_obj_expr(o, call->value), args[3];
    for (int i = 0; callee.v && i < n; i++)
        if (!(args[i] = kn_obj_expr(o, call->operands[i])).v)
            return -1;
    if (!callee.v)
        return -1;
    kn_obj_at(o, call->loc);
    LLVMValueRef values[3];
    for (int i = 0; i < n; i++)
        values[i] = args[i].v;
    LLVMValueRef argv = kn_obj_array(o, values, n);
    LLVMValueRef parts = kn_cg_alloca(&o->cg, LLVMArrayType2(o->i64, 3), "range");
    LLVMValueRef check[] = {callee.v, argv, kn_obj_i32(o, n), parts};
    LLVMValueRef native =
        kn_obj_helper(o, "kn_obj_rt_range", (void *)kn_obj_rt_range, o->i32, check, 4);
    l->native = LLVMBuildICmp(o->cg.b, LLVMIntNE, native, kn_obj_i32(o, 0), "native");
    range_parts(o, l, parts);
    LLVMBasicBlockRef call_it = kn_cg_block(&o->cg, "range.call");
    LLVMBasicBlockRef ready = kn_cg_block(&o->cg, "for.ready");
    LLVMBuildCondBr(o->cg.b, l->native, ready, call_it);
    kn_cg_enter(&o->cg, call_it);
    LLVMValueRef vc[] = {callee.v, argv, LLVMConstInt(o->i64, (unsigned long long)n, 0),
                         LLVMConstNull(o->ptr)};
    LLVMValueRef r = kn_obj_api(o, "PyObject_Vectorcall", o->ptr, vc, 4);
    kn_obj_check(o, r);
    get_iter(o, l, kn_obj_owned(o, r));
    LLVMBuildBr(o->cg.b, ready);
    kn_cg_enter(&o->cg, ready);
    kn_obj_release(o, callee);
    for (int i = 0; i < n; i++)
        kn_obj_release(o, args[i]);
    return 0;
}

/* The native count's next item: start + index * step; or on to exhausted. */
static LLVMValueRef count_value(kn_obj *o, kn_oloop *l)
{
    LLVMBuilderRef B = o->cg.b;
    LLVMValueRef j = LLVMBuildLoad2(B, o->i64, l->index, "j");
    LLVMBasicBlockRef item = kn_cg_block(&o->cg, "range.item");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntULT, j, l->count, ""), item, l->exhausted);
    kn_cg_enter(&o->cg, item);
    LLVMBuildStore(B, LLVMBuildAdd(B, j, LLVMConstInt(o->i64, 1, 0), ""), l->index);
    return LLVMBuildAdd(B, l->start, LLVMBuildMul(B, j, l->step, ""), "i");
}

/*
 * Whether the int in old (a local's) can become v in place: the local's
 * reference is its only one, so nobody sees it change, and both are
 * one-digit ints outside the small ints CPython shares (-5..256).
 */
static LLVMValueRef reusable(kn_obj *o, LLVMValueRef old, LLVMValueRef v, LLVMValueRef magnitude)
{
    LLVMBuilderRef B = o->cg.b;
    LLVMValueRef refs =
        LLVMBuildLoad2(B, o->i64, kn_obj_field(o, old, offsetof(PyObject, ob_refcnt)), "");
    LLVMValueRef size =
        LLVMBuildLoad2(B, o->i64, kn_obj_field(o, old, offsetof(PyVarObject, ob_size)), "");
    LLVMValueRef one_digit = LLVMBuildICmp(B, LLVMIntEQ, LLVMBuildMul(B, size, size, ""),
                                           LLVMConstInt(o->i64, 1, 0), "");
    LLVMValueRef ok = LLVMBuildAnd(B, kn_obj_is_type(o, old, "PyLong_Type"), one_digit, "");
    ok = LLVMBuildAnd(B, ok, LLVMBuildICmp(B, LLVMIntEQ, refs, LLVMConstInt(o->i64, 1, 0), ""), "");
    LLVMValueRef shared =
        LLVMBuildICmp(B, LLVMIntULE, LLVMBuildAdd(B, v, LLVMConstInt(o->i64, 5, 0), ""),
                      LLVMConstInt(o->i64, 256 + 5, 0), "");
    ok = LLVMBuildAnd(B, ok, LLVMBuildNot(B, shared, ""), "");
    LLVMValueRef fits =
        LLVMBuildICmp(B, LLVMIntULT, magnitude, LLVMConstInt(o->i64, 1ull << PyLong_SHIFT, 0), "");
    return LLVMBuildAnd(B, ok, fits, "reusable");
}

/*
 * The native count's next item, boxed: a new reference. When var, the
 * loop's variable, holds an int that can become the item in place (as
 * the last item usually can), that int, rewritten: the boxing costs no
 * allocation, and the variable's store lets go of the reference it had.
 */
static LLVMValueRef count_next(kn_obj *o, kn_oloop *l, const kn_var *var)
{
    LLVMBuilderRef B = o->cg.b;
    LLVMValueRef v = count_value(o, l);
    LLVMBasicBlockRef fresh = kn_cg_block(&o->cg, "range.box");
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "range.boxed");
    LLVMValueRef values[2];
    LLVMBasicBlockRef from[2];
    int n = 0;
    if (var) {
        LLVMValueRef old = LLVMBuildLoad2(B, o->ptr, o->locals[var->index], "old");
        LLVMBasicBlockRef check = kn_cg_block(&o->cg, "range.old");
        LLVMBasicBlockRef reuse = kn_cg_block(&o->cg, "range.reuse");
        LLVMBuildCondBr(B, LLVMBuildIsNull(B, old, ""), fresh, check);
        kn_cg_enter(&o->cg, check);
        LLVMValueRef negative = LLVMBuildICmp(B, LLVMIntSLT, v, LLVMConstInt(o->i64, 0, 0), "");
        LLVMValueRef magnitude = LLVMBuildSelect(B, negative, LLVMBuildNeg(B, v, ""), v, "");
        LLVMBuildCondBr(B, reusable(o, old, v, magnitude), reuse, fresh);
        kn_cg_enter(&o->cg, reuse);
        LLVMBuildStore(B, LLVMBuildTrunc(B, magnitude, o->i32, ""),
                       kn_obj_field(o, old, offsetof(PyLongObject, ob_digit)));
        LLVMBuildStore(B,
                       LLVMBuildSelect(B, negative, LLVMConstInt(o->i64, (unsigned long long)-1, 1),
                                       LLVMConstInt(o->i64, 1, 0), ""),
                       kn_obj_field(o, old, offsetof(PyVarObject, ob_size)));
        kn_cg_incref(&o->cg, old);
        values[n] = old;
        from[n++] = reuse;
        LLVMBuildBr(B, done);
    } else {
        LLVMBuildBr(B, fresh);
    }
    kn_cg_enter(&o->cg, fresh);
    LLVMValueRef boxed = kn_obj_api(o, "PyLong_FromSsize_t", o->ptr, &v, 1);
    kn_obj_check(o, boxed);
    values[n] = boxed;
    from[n++] = LLVMGetInsertBlock(B);
    LLVMBuildBr(B, done);
    kn_cg_enter(&o->cg, done);
    return kn_cg_phi(&o->cg, o->ptr, values, from, n);
}

/*
 * A list's iterator, as CPython 3.11 lays it out (listiterobject in
 * Objects/listobject.c; 3.12 names it _PyListIterObject): its FOR_ITER_LIST
 * reads it so.
 */
typedef struct list_iter {
    PyObject_HEAD Py_ssize_t it_index;
    PyListObject *it_seq; /* NULL once exhausted */
} list_iter;

/*
 * A list iterator's next item while the list has one, as FOR_ITER_LIST
 * takes it: a new reference, the index moved on. Else (another iterator,
 * or the list's end) on to other.
 */
static LLVMValueRef list_next(kn_obj *o, LLVMValueRef it, LLVMBasicBlockRef other)
{
    LLVMBuilderRef B = o->cg.b;
    LLVMBasicBlockRef is_list = kn_cg_block(&o->cg, "listiter"),
                      more = kn_cg_block(&o->cg, "listiter.item");
    LLVMBuildCondBr(B, kn_obj_is_type(o, it, "PyListIter_Type"), is_list, other);
    kn_cg_enter(&o->cg, is_list);
    LLVMValueRef at = kn_obj_field(o, it, offsetof(list_iter, it_index));
    LLVMValueRef index = LLVMBuildLoad2(B, o->i64, at, "it_index");
    LLVMValueRef seq =
        LLVMBuildLoad2(B, o->ptr, kn_obj_field(o, it, offsetof(list_iter, it_seq)), "it_seq");
    LLVMBasicBlockRef live = kn_cg_block(&o->cg, "listiter.live");
    LLVMBuildCondBr(B, LLVMBuildIsNull(B, seq, ""), other, live);
    kn_cg_enter(&o->cg, live);
    LLVMValueRef size =
        LLVMBuildLoad2(B, o->i64, kn_obj_field(o, seq, offsetof(PyVarObject, ob_size)), "len");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, index, size, ""), more, other);
    kn_cg_enter(&o->cg, more);
    LLVMValueRef items =
        LLVMBuildLoad2(B, o->ptr, kn_obj_field(o, seq, offsetof(PyListObject, ob_item)), "ob_item");
    LLVMValueRef item =
        LLVMBuildLoad2(B, o->ptr, LLVMBuildGEP2(B, o->ptr, items, &index, 1, ""), "item");
    kn_cg_incref(&o->cg, item);
    LLVMBuildStore(B, LLVMBuildAdd(B, index, LLVMConstInt(o->i64, 1, 0), ""), at);
    return item;
}

/*
 * The iterator's next item: inline from a list's iterator, else
 * PyIter_Next; at its end, an error or on to exhausted.
 */
static LLVMValueRef iter_next(kn_obj *o, kn_oloop *l, LLVMBasicBlockRef have)
{
    LLVMValueRef it = LLVMBuildLoad2(o->cg.b, o->ptr, o->temps[l->iter].slot, "it");
    LLVMBasicBlockRef call = kn_cg_block(&o->cg, "iter.next");
    LLVMValueRef listed = list_next(o, it, call);
    LLVMBasicBlockRef from_list = LLVMGetInsertBlock(o->cg.b);
    LLVMBuildBr(o->cg.b, have);
    kn_cg_enter(&o->cg, call);
    LLVMValueRef item = kn_obj_api(o, "PyIter_Next", o->ptr, &it, 1);
    LLVMBasicBlockRef end = kn_cg_block(&o->cg, "iter.end");
    LLVMBasicBlockRef from_call = LLVMGetInsertBlock(o->cg.b);
    LLVMBuildCondBr(o->cg.b, LLVMBuildIsNull(o->cg.b, item, ""), end, have);
    kn_cg_enter(&o->cg, end);
    LLVMValueRef raised = kn_obj_api(o, "PyErr_Occurred", o->ptr, NULL, 0);
    kn_obj_error_if(o, LLVMBuildIsNotNull(o->cg.b, raised, ""));
    LLVMBuildBr(o->cg.b, l->exhausted);
    kn_cg_enter(&o->cg, have);
    return kn_cg_phi(&o->cg, o->ptr, (LLVMValueRef[]){listed, item},
                     (LLVMBasicBlockRef[]){from_list, from_call}, 2);
}

/*
 * The loop's head: the next item, from the native count or the iterator.
 * A new reference. var: the target, when it is a local.
 */
static LLVMValueRef next_item(kn_obj *o, kn_oloop *l, const kn_var *var)
{
    LLVMBasicBlockRef have = kn_cg_block(&o->cg, "for.item");
    LLVMValueRef values[2];
    LLVMBasicBlockRef from[2];
    int n = 0;
    if (l->native) {
        LLVMBasicBlockRef counted = kn_cg_block(&o->cg, "for.count");
        LLVMBasicBlockRef iterated = kn_cg_block(&o->cg, "for.iter");
        LLVMBuildCondBr(o->cg.b, l->native, counted, iterated);
        kn_cg_enter(&o->cg, counted);
        values[n] = count_next(o, l, var);
        from[n++] = LLVMGetInsertBlock(o->cg.b);
        LLVMBuildBr(o->cg.b, have);
        kn_cg_enter(&o->cg, iterated);
    }
    LLVMBasicBlockRef got = kn_cg_block(&o->cg, "for.got");
    values[n] = iter_next(o, l, got);
    from[n++] = LLVMGetInsertBlock(o->cg.b);
    LLVMBuildBr(o->cg.b, have);
    kn_cg_enter(&o->cg, have);
    return kn_cg_phi(&o->cg, o->ptr, values, from, n);
}

/* The loop's head for a native range variable: the count's next value, or the iterator's item. */
static void next_native(kn_obj *o, kn_oloop *l, const kn_var *var)
{
    LLVMBasicBlockRef counted = kn_cg_block(&o->cg, "for.count");
    LLVMBasicBlockRef iterated = kn_cg_block(&o->cg, "for.iter");
    LLVMBasicBlockRef got = kn_cg_block(&o->cg, "for.got"), body = kn_cg_block(&o->cg, "for.body");
    LLVMBuildCondBr(o->cg.b, l->native, counted, iterated);
    kn_cg_enter(&o->cg, counted);
    set_native_var(o, var, count_value(o, l), NULL);
    LLVMBuildBr(o->cg.b, body);
    kn_cg_enter(&o->cg, iterated);
    set_native_var(o, var, NULL, iter_next(o, l, got));
    LLVMBuildBr(o->cg.b, body);
    kn_cg_enter(&o->cg, body);
}

static int is_native_var(kn_obj *o, const kn_expr *target)
{
    return target->kind == KN_E_NAME && target->var && kn_obj_native_var(o, target->var, NULL);
}

int kn_obj_loop_begin(kn_obj *o, kn_oloop *l, const kn_expr *iterable, const kn_expr *target)
{
    *l = (kn_oloop){.loc = iterable->loc};
    l->iter = kn_obj_owned(o, LLVMConstNull(o->ptr)).temp;
    if (maybe_range(iterable)) {
        if (range_setup(o, l, iterable) < 0)
            return -1;
    } else {
        kn_ov v = kn_obj_expr(o, iterable);
        if (!v.v)
            return -1;
        kn_obj_at(o, l->loc);
        get_iter(o, l, v);
    }
    l->index = kn_cg_alloca(&o->cg, o->i64, "index");
    LLVMBuildStore(o->cg.b, LLVMConstInt(o->i64, 0, 0), l->index);
    l->head = kn_cg_block(&o->cg, "for.head");
    l->next = kn_cg_block(&o->cg, "for.next");
    l->exhausted = kn_cg_block(&o->cg, "for.exhausted");
    LLVMBuildBr(o->cg.b, l->head);
    kn_cg_enter(&o->cg, l->head);
    if (l->native && is_native_var(o, target)) {
        next_native(o, l, target->var);
        return 0;
    }
    const kn_var *var = target->kind == KN_E_NAME ? target->var : NULL;
    kn_ov item = kn_obj_owned(o, next_item(o, l, var));
    return kn_obj_store(o, target, item);
}

void kn_obj_loop_end(kn_obj *o, kn_oloop *l)
{
    if (!kn_cg_terminated(&o->cg))
        LLVMBuildBr(o->cg.b, l->next);
    kn_cg_enter(&o->cg, l->next);
    kn_obj_at(o, l->loc);
    poll(o);
    LLVMBuildBr(o->cg.b, l->head);
    kn_cg_enter(&o->cg, l->exhausted);
    kn_obj_drop_temp(o, l->iter);
    o->temps[l->iter].live = 0;
}

// for target in iterable: body else: orelse   (break skips the else clause)
int kn_obj_for(kn_obj *o, const kn_stmt *s)
{
    kn_oloop l;
    if (kn_obj_loop_begin(o, &l, s->value, s->targets[0]) < 0)
        return -1;
    LLVMBasicBlockRef brk = kn_cg_block(&o->cg, "for.break"), done = kn_cg_block(&o->cg, "for.end");
    if (body(o, &s->body, l.next, brk, l.iter) < 0)
        return -1;
    kn_obj_loop_end(o, &l);
    if (orelse(o, &s->orelse, done) < 0)
        return -1;
    kn_cg_enter(&o->cg, brk);
    kn_obj_drop_temp(o, l.iter);
    LLVMBuildBr(o->cg.b, done);
    kn_cg_enter(&o->cg, done);
    return 0;
}
