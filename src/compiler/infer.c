/* Type inference: the passes to a fixpoint, variables, returns, and the statements. */
#include <string.h>

#include "compiler/infer_impl.h"

/* Each pass widens a variable or the return type a step; types are shallow: plenty. */
enum { MAX_PASSES = 256 };

static void infer_block(kn_infer_state *s, kn_block *b);

static void note_origin(kn_infer_state *s, const kn_var *v)
{
    kn_loc at = s->var_locs[v->index];
    if (at.line)
        kn_diag_note(&s->diags, "'%s' is %s from line %d", v->name, v->type->name, at.line);
    else
        kn_diag_note(&s->diags, "'%s' is argument %d, %s", v->name, v->is_arg, v->type->name);
}

/* v takes t too: its type becomes the union, as Numba unifies a variable's assignments. */
static void widen(kn_infer_state *s, kn_var *v, const kn_type *t, kn_loc loc)
{
    if (t->kind == KN_VOID) {
        kn_infer_error(s, loc,
                       "cannot assign None to '%s': nopython variables hold numbers "
                       "and tuples, not None",
                       v->name);
        return;
    }
    const kn_type *u = v->type ? kn_type_unify(v->type, t) : t;
    if (!u) {
        kn_infer_error(s, loc, "cannot unify %s and %s for variable '%s'", v->type->name, t->name,
                       v->name);
        note_origin(s, v);
        return;
    }
    if (u != v->type) {
        v->type = u;
        s->var_locs[v->index] = loc;
        s->changed = 1;
    }
}

static void assign_to(kn_infer_state *s, kn_expr *target, const kn_type *t);

// (a, b) = value: value must be a tuple of as many items
static void unpack(kn_infer_state *s, kn_expr *target, const kn_type *t)
{
    if (t->kind != KN_TUPLE || t->nfields != target->noperands) {
        kn_infer_error(s, target->loc, "cannot unpack %s into %d names", t->name,
                       target->noperands);
        return;
    }
    target->type = t;
    for (int i = 0; i < target->noperands && !s->failed; i++)
        assign_to(s, target->operands[i], t->fields[i]);
}

// container[index] = value | container[index] op= value
static void assign_item(kn_infer_state *s, kn_expr *target, const kn_type *value)
{
    const kn_type *t = kn_infer_expr(s, target->value);
    if (!t)
        return;
    switch (t->kind) {
    case KN_TUPLE:
        kn_infer_error(s, target->loc, "tuples are immutable: an item of %s cannot be assigned",
                       t->name);
        return;
    case KN_ARRAY:
        kn_infer_array_store(s, target, t, value, target->loc);
        return;
    default:
        kn_infer_error(s, target->loc, "%s does not support item assignment", t->name);
    }
}

// NAME = value | (a, b) = value | x[i] = value | x.attr = value
static void assign_to(kn_infer_state *s, kn_expr *target, const kn_type *t)
{
    switch (target->kind) {
    case KN_E_NAME:
        if (!target->var) {
            kn_infer_error(s, target->loc, "cannot assign to global '%s' in nopython mode",
                           target->sval);
            return;
        }
        widen(s, target->var, t, target->loc);
        target->type = target->var->type;
        return;
    case KN_E_TUPLE:
        unpack(s, target, t);
        return;
    case KN_E_SUBSCRIPT:
        assign_item(s, target, t);
        return;
    case KN_E_ATTR:
        kn_infer_error(s, target->loc, "cannot assign to attribute '%s' in nopython mode",
                       target->sval);
        return;
    default:
        kn_infer_error(s, target->loc, "cannot assign to this expression");
    }
}

// target = ... = target = value
static void infer_assign(kn_infer_state *s, kn_stmt *st)
{
    const kn_type *t = kn_infer_expr(s, st->value);
    for (int i = 0; t && i < st->ntargets && !s->failed; i++)
        assign_to(s, st->targets[i], t);
}

/* `left op value` for the statement `target op= value`. */
static kn_expr *binary_of(kn_infer_state *s, kn_stmt *st, kn_expr *left)
{
    kn_expr *op = kn_arena_alloc(s->f->arena, sizeof *op);
    op->kind = KN_E_BINARY;
    op->loc = st->loc;
    op->op = st->op;
    op->operands = kn_arena_alloc(s->f->arena, 2 * sizeof *op->operands);
    op->operands[0] = left;
    op->operands[1] = st->value;
    op->noperands = 2;
    return op;
}

/* The statement's value becomes `target op value`, once: later passes find it made. */
static const kn_type *update_of(kn_infer_state *s, kn_stmt *st)
{
    kn_expr *target = st->targets[0];
    if (!(st->value->kind == KN_E_BINARY && st->value->operands[0] == target))
        st->value = binary_of(s, st, target);
    return kn_infer_expr(s, st->value);
}

/*
 * target op= value. On a local number, x op= v is x = x op v, and is
 * rewritten so: the lowering then has one assignment rule. Item targets
 * and array locals stay AUGASSIGN, their value becoming `target op value`:
 * a[i] += v and a += v update the array in place, as NumPy does, so the
 * caller and every view see it; the index is evaluated once.
 */
static void infer_augassign(kn_infer_state *s, kn_stmt *st)
{
    kn_expr *target = st->targets[0];
    if (target->kind == KN_E_SUBSCRIPT) {
        const kn_type *t = update_of(s, st);
        if (t)
            assign_to(s, target, t);
        if (t && !s->failed)
            kn_infer_array_in_place(s, st, target->type, t);
        return;
    }
    if (target->kind != KN_E_NAME) {
        assign_to(s, target, NULL);
        return;
    }
    const kn_type *a = target->var ? target->var->type : NULL;
    if (target->var && !a && !s->strict)
        return; /* typed by a later statement: a later pass decides which rule */
    if (a && a->kind == KN_ARRAY) {
        const kn_type *t = update_of(s, st);
        target->type = a;
        if (t)
            kn_infer_array_store(s, target, a, t, target->loc);
        if (t && !s->failed)
            kn_infer_array_in_place(s, st, a, t);
        return;
    }
    kn_expr *load = kn_arena_alloc(s->f->arena, sizeof *load);
    *load = *target;
    st->kind = KN_S_ASSIGN;
    st->value = binary_of(s, st, load);
    infer_assign(s, st);
}

/* The union of the returns widens to t: kept, and told to the functions that call back. */
static void widen_return(kn_infer_state *s, const kn_type *t)
{
    s->ret = t;
    s->changed = 1;
    if (s->env->ret_so_far && !s->sig->ret)
        *s->env->ret_so_far = t;
}

/* Python returns None where a function runs off its end, so that is a return too. */
static void add_return(kn_infer_state *s, const kn_type *t, kn_loc loc, int at_end)
{
    if (!s->ret) {
        s->ret_loc = loc;
        widen_return(s, t);
        return;
    }
    if ((s->ret->kind == KN_VOID) != (t->kind == KN_VOID)) {
        const kn_type *value = t->kind == KN_VOID ? s->ret : t;
        if (at_end)
            kn_infer_error(s, loc,
                           "%s can run past its end, returning None, but returns %s "
                           "elsewhere",
                           s->f->name, value->name);
        else
            kn_infer_error(s, loc, "%s returns both None and %s", s->f->name, value->name);
        kn_diag_note(&s->diags, "a compiled function returns values of one type; return a value "
                                "on every path, or raise");
        return;
    }
    const kn_type *u = kn_type_unify(s->ret, t);
    if (!u) {
        kn_infer_error(s, loc, "cannot unify the return types %s and %s", s->ret->name, t->name);
        kn_diag_note(&s->diags, "line %d returns %s", s->ret_loc.line, s->ret->name);
        return;
    }
    if (u != s->ret)
        widen_return(s, u);
}

// return [value]
static void infer_return(kn_infer_state *s, kn_stmt *st)
{
    const kn_type *t = st->value ? kn_infer_expr(s, st->value) : kn_type_void();
    if (t)
        add_return(s, t, st->loc, 0);
}

// for target in range(...) | array | enumerate(a) | zip(a, b): body [else: orelse]
static void infer_for(kn_infer_state *s, kn_stmt *st)
{
    const kn_type *t = kn_infer_iter(s, st->value);
    if (t)
        assign_to(s, st->targets[0], t);
    infer_block(s, &st->body);
    infer_block(s, &st->orelse);
}

// assert test [, "message"]
static void infer_assert(kn_infer_state *s, kn_stmt *st)
{
    kn_infer_condition(s, st->test);
    if (st->value && st->value->kind != KN_E_STR)
        kn_infer_error(s, st->value->loc,
                       "an assert message must be a constant string in "
                       "nopython mode");
}

// raise exc: a bare raise and raise ... from ... are object mode's
static void infer_raise(kn_infer_state *s, kn_stmt *st)
{
    if (!st->value)
        kn_infer_error(s, st->loc, "bare raise (re-raise) is not supported in nopython mode");
    else if (st->test)
        kn_infer_error(s, st->loc, "raise ... from ... is not supported in nopython mode");
    else
        kn_infer_exception(s, st->value);
}

/* The statements only object mode compiles. */
static void object_only(kn_infer_state *s, kn_stmt *st)
{
    static const char *const names[] = {
        [KN_S_DEL] = "del statement",       [KN_S_TRY] = "try statement",
        [KN_S_WITH] = "with statement",     [KN_S_GLOBAL] = "global statement",
        [KN_S_IMPORT] = "import statement",
    };
    kn_infer_error(s, st->loc, "%s is not supported in nopython mode", names[st->kind]);
}

static void infer_stmt(kn_infer_state *s, kn_stmt *st)
{
    switch (st->kind) {
    case KN_S_EXPR:
        kn_infer_expr(s, st->value);
        return;
    case KN_S_ASSIGN:
        infer_assign(s, st);
        return;
    case KN_S_AUGASSIGN:
        infer_augassign(s, st);
        return;
    case KN_S_RETURN:
        infer_return(s, st);
        return;
    case KN_S_FOR:
        infer_for(s, st);
        return;
    case KN_S_ASSERT:
        infer_assert(s, st);
        return;
    case KN_S_RAISE:
        infer_raise(s, st);
        return;
    case KN_S_DEL:
    case KN_S_TRY:
    case KN_S_WITH:
    case KN_S_GLOBAL:
    case KN_S_IMPORT:
        object_only(s, st);
        return;
    case KN_S_IF:
    case KN_S_WHILE:
        kn_infer_condition(s, st->test);
        infer_block(s, &st->body);
        infer_block(s, &st->orelse);
        return;
    case KN_S_BREAK:
    case KN_S_CONTINUE:
    case KN_S_PASS:
        return;
    }
}

static void infer_block(kn_infer_state *s, kn_block *b)
{
    for (int i = 0; i < b->n && !s->failed; i++)
        infer_stmt(s, b->stmts[i]);
}

/* ---- does control run off the end? ---- */

static int always_true(const kn_expr *e)
{
    int constant = e->kind == KN_E_BOOL || e->kind == KN_E_INT ||
                   (e->kind == KN_E_CONST && kn_type_is_integer(e->type)) ||
                   (e->kind == KN_E_CONST && e->type->kind == KN_BOOL);
    return constant && e->ival != 0;
}

/* A break that leaves the loop whose body b is (not one of a nested loop's body). */
static int breaks(const kn_block *b)
{
    for (int i = 0; i < b->n; i++) {
        const kn_stmt *st = b->stmts[i];
        if (st->kind == KN_S_BREAK)
            return 1;
        if (st->kind == KN_S_IF && (breaks(&st->body) || breaks(&st->orelse)))
            return 1;
        if ((st->kind == KN_S_FOR || st->kind == KN_S_WHILE) && breaks(&st->orelse))
            return 1;
    }
    return 0;
}

static int terminates(const kn_block *b);

// return | raise | if with both branches ending so | while True without break
static int stmt_terminates(const kn_stmt *st)
{
    switch (st->kind) {
    case KN_S_RETURN:
    case KN_S_RAISE:
        return 1;
    case KN_S_IF:
        return terminates(&st->body) && terminates(&st->orelse);
    case KN_S_WHILE:
        return always_true(st->test) && !breaks(&st->body);
    default:
        return 0;
    }
}

static int terminates(const kn_block *b)
{
    for (int i = 0; i < b->n; i++)
        if (stmt_terminates(b->stmts[i]))
            return 1;
    return 0;
}

/* ---- the driver ---- */

/* Where running off the end happens: after the last statement. */
static kn_loc end_loc(const kn_func *f)
{
    return f->body.n ? f->body.stmts[f->body.n - 1]->loc : f->def_loc;
}

/* The signature's argument types: as many as the parameters, and values, not None. */
static int check_arguments(kn_infer_state *s)
{
    kn_func *f = s->f;
    if (s->sig->nargs != f->nargs) {
        kn_infer_error(s, f->def_loc, "%s takes %d argument%s but the signature has %d", f->name,
                       f->nargs, f->nargs == 1 ? "" : "s", s->sig->nargs);
        return 0;
    }
    for (int i = 0; i < f->nargs; i++)
        if (s->sig->args[i]->kind == KN_VOID) {
            kn_infer_error(s, f->vars[i]->loc,
                           "argument '%s' is None: nopython mode takes numbers, tuples and "
                           "arrays",
                           f->vars[i]->name);
            return 0;
        }
    return 1;
}

static int seed(kn_infer_state *s)
{
    kn_func *f = s->f;
    if (!check_arguments(s))
        return 0;
    s->var_locs = kn_arena_alloc(f->arena, (f->nvars ? f->nvars : 1) * sizeof *s->var_locs);
    for (int i = 0; i < f->nvars; i++)
        f->vars[i]->type = f->vars[i]->is_arg >= 0 ? s->sig->args[f->vars[i]->is_arg] : NULL;
    f->ret = NULL;
    if (s->env->ret_so_far)
        *s->env->ret_so_far = s->sig->ret;
    return 1;
}

static void run_pass(kn_infer_state *s)
{
    s->changed = 0;
    infer_block(s, &s->f->body);
    if (!s->failed && !terminates(&s->f->body))
        add_return(s, kn_type_void(), end_loc(s->f), 1);
}

/* Passes until one widens nothing. */
static void iterate(kn_infer_state *s)
{
    for (int pass = 0; !s->failed; pass++) {
        run_pass(s);
        if (!s->changed)
            return;
        if (pass == MAX_PASSES)
            kn_infer_error(s, s->f->def_loc, "type inference of %s does not settle", s->f->name);
    }
}

static int convertible(const kn_type *from, const kn_type *to)
{
    if (from == to)
        return 1;
    if (kn_type_is_number(from) && kn_type_is_number(to))
        return from->kind != KN_COMPLEX || to->kind == KN_COMPLEX;
    if (from->kind == KN_ARRAY && to->kind == KN_ARRAY)
        return from->dtype == to->dtype && from->ndim == to->ndim &&
               (to->layout == 'A' || to->layout == from->layout) && (to->readonly || !from->readonly);
    if (from->kind != KN_TUPLE || to->kind != KN_TUPLE || from->nfields != to->nfields)
        return 0;
    for (int i = 0; i < from->nfields; i++)
        if (!convertible(from->fields[i], to->fields[i]))
            return 0;
    return 1;
}

/* The return type: the union of the returns, or the signature's when it gives one. */
static void finish(kn_infer_state *s)
{
    const kn_type *ret = s->ret ? s->ret : kn_type_void();
    const kn_type *declared = s->sig->ret;
    if (declared && !convertible(ret, declared)) {
        kn_infer_error(s, s->ret ? s->ret_loc : s->f->def_loc,
                       "%s returns %s, which does not convert to %s as its signature declares",
                       s->f->name, ret->kind == KN_VOID ? "None" : ret->name, declared->name);
        return;
    }
    s->f->ret = declared ? declared : ret;
}

int kn_infer(kn_func *f, const kn_signature *sig, const kn_infer_env *env)
{
    static const kn_infer_env no_env;
    kn_infer_state s = {.f = f, .sig = sig, .env = env ? env : &no_env};
    kn_diag_init(&s.diags, f);
    if (seed(&s))
        iterate(&s);
    if (!s.failed) {
        s.strict = 1;
        run_pass(&s);
    }
    if (!s.failed)
        finish(&s);
    if (!s.failed || s.py_error) {
        kn_diag_free(&s.diags);
        return s.failed ? -1 : 0;
    }
    return kn_diag_raise(&s.diags);
}
