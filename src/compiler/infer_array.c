/* Type inference for arrays: indexing and slicing, attributes, methods, stores, iteration. */
#include <string.h>

#include "compiler/infer_impl.h"

/* The items of a subscript's index: a[i, j] has two, a[i] one. */
static int index_items(kn_expr *e, kn_expr ***items)
{
    if (e->index->kind == KN_E_TUPLE) {
        *items = e->index->operands;
        return e->index->noperands;
    }
    *items = &e->index;
    return 1;
}

static int is_index_type(const kn_type *t)
{
    return kn_type_is_integer(t);
}

// lo:hi:step: each part missing or an integer
static int infer_slice(kn_infer_state *s, kn_expr *slice)
{
    int known = 1;
    for (int i = 0; i < 3; i++) {
        kn_expr *part = slice->operands[i];
        if (!part || part->kind == KN_E_NONE)
            continue;
        const kn_type *t = kn_infer_expr(s, part);
        if (s->failed)
            return 0;
        if (t && !is_index_type(t)) {
            kn_infer_error(s, part->loc, "slice indices must be integers, not %s", t->name);
            return 0;
        }
        known &= t != NULL;
    }
    return known;
}

/* A slice that takes a whole axis: ':' with nothing in it. */
int kn_infer_full_slice(const kn_expr *slice)
{
    for (int i = 0; i < 3; i++)
        if (slice->operands[i] && slice->operands[i]->kind != KN_E_NONE)
            return 0;
    return 1;
}

static int unit_step(const kn_expr *slice)
{
    const kn_expr *step = slice->operands[2];
    return !step || step->kind == KN_E_NONE ||
           ((step->kind == KN_E_INT || step->kind == KN_E_CONST) && step->ival == 1);
}

/*
 * The layout of a view of a C array: still C when integers pick leading
 * axes and one slice of step 1 is followed only by whole axes (a[i],
 * a[i, :], a[1:-1], a[2:5, :]); anything else may skip memory: A.
 */
static char view_layout(const kn_type *t, kn_expr **items, int n)
{
    if (t->layout != 'C')
        return t->ndim == 1 && n == 1 && items[0]->kind == KN_E_SLICE && unit_step(items[0]) &&
                       t->layout == 'F'
                   ? 'C'
                   : 'A';
    int sliced = 0;
    for (int i = 0; i < n; i++) {
        if (items[i]->kind != KN_E_SLICE) {
            if (sliced)
                return 'A';
            continue;
        }
        if (sliced ? !kn_infer_full_slice(items[i]) : !unit_step(items[i]))
            return 'A';
        sliced = 1;
    }
    return 'C';
}

// a[i] | a[i, j] | a[1:-1] | a[i, :] | a[::2]: an item, or a view of fewer dimensions
const kn_type *kn_infer_array_subscript(kn_infer_state *s, kn_expr *e, const kn_type *t)
{
    kn_expr **items;
    int n = index_items(e, &items), ints = 0, known = 1;
    if (n > t->ndim)
        return kn_infer_error(s, e->index->loc,
                              "too many indices for array: array is %d-dimensional, but %d were "
                              "indexed",
                              t->ndim, n);
    for (int i = 0; i < n; i++) {
        if (items[i]->kind == KN_E_SLICE) {
            known &= infer_slice(s, items[i]);
            items[i]->type = kn_type_void();
            continue;
        }
        const kn_type *it = kn_infer_expr(s, items[i]);
        if (s->failed)
            return NULL;
        if (it && !is_index_type(it))
            return kn_infer_error(s, items[i]->loc,
                                  "arrays are indexed by integers and slices, not %s", it->name);
        known &= it != NULL;
        ints++;
    }
    if (!known || s->failed)
        return NULL;
    if (ints == t->ndim)
        return t->dtype;
    return kn_type_array_like(t, t->ndim - ints, view_layout(t, items, n));
}

/*
 * a op= v, a an array or a view of one: the result is written into a's
 * items, so it may not be of a wider kind (int_array += 1.5), nor signed
 * items into unsigned ones (uint8_array += int8_array, uint8_array += -1),
 * as NumPy's same-kind rule refuses them; a = a op v makes a new array
 * instead. Other numbers count by their kind alone: uint8_array += 1 is
 * fine, as in NumPy.
 */
void kn_infer_array_in_place(kn_infer_state *s, const kn_stmt *st, const kn_type *slot,
                             const kn_type *value)
{
    if (slot->kind != KN_ARRAY)
        return;
    const kn_type *items = value->kind == KN_ARRAY ? value->dtype : value;
    const kn_expr *operand = st->value->operands[1];
    const kn_type *v = operand->type;
    int sign_lost = slot->dtype->kind == KN_UINT && v &&
                    (v->kind == KN_ARRAY ? v->dtype->kind == KN_INT : kn_infer_negative(operand));
    if (kn_type_rank(items) <= kn_type_rank(slot->dtype) && !sign_lost)
        return;
    const char *op = kn_infer_op_symbol(st->op);
    kn_infer_error(s, st->loc, "'%s=' gives %s items, which cannot be written in place into %s",
                   op, items->name, slot->name);
    kn_diag_note(&s->diags, "NumPy casts in place only within a kind%s; write a = a %s ... for a "
                 "new array", sign_lost ? ", and not from signed to unsigned integers" : "", op);
}

/*
 * Whether value (a number or an array's items) may be written into items of
 * type dtype: anything but complex into real ones, which NumPy truncates
 * with a warning and Numba refuses.
 */
int kn_infer_storable(const kn_type *value, const kn_type *dtype)
{
    const kn_type *items = value->kind == KN_ARRAY ? value->dtype : value;
    return kn_type_is_number(items) && (items->kind != KN_COMPLEX || dtype->kind == KN_COMPLEX);
}

/* What an array's items take: a number for an item, a number or an array for a view. */
void kn_infer_array_store(kn_infer_state *s, kn_expr *target, const kn_type *container,
                          const kn_type *value, kn_loc loc)
{
    if (container->readonly) {
        kn_infer_error(s, target->loc, "cannot write to a read-only array (%s)", container->name);
        return;
    }
    const kn_type *slot = kn_infer_expr(s, target);
    if (!slot || !value)
        return;
    int ok = kn_type_is_number(value) ||
             (slot->kind == KN_ARRAY && value->kind == KN_ARRAY && value->ndim <= slot->ndim);
    if (!ok || !kn_infer_storable(value, slot->kind == KN_ARRAY ? slot->dtype : slot))
        kn_infer_error(s, loc, "cannot store %s into %s", value->name,
                       slot->kind == KN_ARRAY ? slot->name : "an item of the array");
}

// a.shape | a.size | a.ndim | a.T
const kn_type *kn_infer_array_attr(kn_infer_state *s, kn_expr *e, const kn_type *t)
{
    if (!strcmp(e->sval, "shape")) {
        const kn_type *dims[32];
        for (int i = 0; i < t->ndim; i++)
            dims[i] = kn_type_int(64);
        return kn_type_tuple(dims, t->ndim);
    }
    if (!strcmp(e->sval, "size") || !strcmp(e->sval, "ndim"))
        return kn_type_int(64);
    if (!strcmp(e->sval, "T")) {
        char layout = t->layout == 'C' ? 'F' : t->layout == 'F' ? 'C' : 'A';
        return kn_type_array_like(t, t->ndim, t->ndim < 2 ? t->layout : layout);
    }
    if (!strcmp(e->sval, "dtype"))
        return kn_infer_error(s, e->loc,
                              "a.dtype can only be the dtype argument of a numpy function here, "
                              "as in np.empty(n, a.dtype)");
    return kn_infer_error(s, e->loc, "%s has no attribute '%s' in nopython mode", t->name, e->sval);
}

/* The type a sum of items of dtype has, as NumPy gives it: integers widen to 64 bits. */
const kn_type *kn_infer_sum_type(const kn_type *dtype)
{
    if (dtype->kind == KN_BOOL || dtype->kind == KN_INT)
        return kn_type_int(64);
    if (dtype->kind == KN_UINT)
        return kn_type_uint(64);
    return dtype;
}

/* mean: float64, except float32 and complex stay themselves. */
const kn_type *kn_infer_mean_type(const kn_type *dtype)
{
    return dtype->kind == KN_FLOAT || dtype->kind == KN_COMPLEX ? dtype : kn_type_float(64);
}

/* a.method(args) is lowered as a call with a as its first operand. */
static void prepend_self(kn_infer_state *s, kn_expr *e)
{
    if (e->ival != KN_BI_NONE)
        return; /* rewritten in an earlier pass */
    kn_expr **ops = kn_arena_alloc(s->f->arena, (size_t)(e->noperands + 1) * sizeof *ops);
    ops[0] = e->value->value;
    for (int i = 0; i < e->noperands; i++)
        ops[i + 1] = e->operands[i];
    e->operands = ops;
    e->noperands++;
}

static const struct {
    const char *name;
    kn_builtin id;
    int nargs;
} methods[] = {
    {"copy", KN_BI_ARRAY_COPY, 0}, {"fill", KN_BI_ARRAY_FILL, 1}, {"sum", KN_BI_ARRAY_SUM, 0},
    {"min", KN_BI_ARRAY_MIN, 0},   {"max", KN_BI_ARRAY_MAX, 0},   {"mean", KN_BI_ARRAY_MEAN, 0},
};

/* The type of a reduction (sum, min, max, mean) of an array of type t. */
const kn_type *kn_infer_reduction(kn_infer_state *s, kn_expr *e, kn_builtin id, const kn_type *t)
{
    switch (id) {
    case KN_BI_ARRAY_SUM:
        return kn_infer_sum_type(t->dtype);
    case KN_BI_ARRAY_MEAN:
        return kn_infer_mean_type(t->dtype);
    default:
        if (t->dtype->kind == KN_COMPLEX)
            return kn_infer_error(s, e->loc, "min() and max() of complex arrays are not supported");
        return t->dtype;
    }
}

// a.copy() | a.fill(v) | a.sum() | a.min() | a.max() | a.mean()
const kn_type *kn_infer_array_method(kn_infer_state *s, kn_expr *e, const kn_type *t)
{
    const char *name = e->value->sval;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        if (strcmp(methods[i].name, name))
            continue;
        int given = e->ival != KN_BI_NONE ? e->noperands - 1 : e->noperands;
        if (e->nkw > 0 || given != methods[i].nargs)
            return kn_infer_error(s, e->loc, "%s.%s() takes %d argument%s in nopython mode",
                                  "array", name, methods[i].nargs, methods[i].nargs == 1 ? "" : "s");
        prepend_self(s, e);
        e->ival = methods[i].id;
        if (methods[i].id == KN_BI_ARRAY_COPY)
            return kn_type_array(t->dtype, t->ndim, 'C');
        if (methods[i].id != KN_BI_ARRAY_FILL)
            return kn_infer_reduction(s, e, methods[i].id, t);
        const kn_type *v = kn_infer_expr(s, e->operands[1]);
        if (v && (v->kind == KN_ARRAY || !kn_infer_storable(v, t->dtype)))
            return kn_infer_error(s, e->operands[1]->loc, "%s.fill() cannot take %s", t->name,
                                  v->name);
        if (t->readonly)
            return kn_infer_error(s, e->loc, "cannot write to a read-only array (%s)", t->name);
        return v ? kn_type_void() : NULL;
    }
    return kn_infer_error(s, e->loc, "%s has no method '%s' in nopython mode", t->name, name);
}

/* What iterating over an array gives: its items (1-d) or views of its rows. */
const kn_type *kn_infer_array_element(const kn_type *t)
{
    if (t->ndim == 1)
        return t->dtype;
    return kn_type_array_like(t, t->ndim - 1, t->layout == 'C' ? 'C' : 'A');
}

const kn_type *kn_infer_elementwise(const kn_type *dtype, const kn_type *const *types, int n)
{
    int ndim = 0;
    for (int i = 0; i < n; i++)
        if (types[i]->kind == KN_ARRAY && types[i]->ndim > ndim)
            ndim = types[i]->ndim;
    return kn_type_array(dtype, ndim, 'C');
}
