/* Type inference for numpy's array functions: making arrays, reductions, np.dot. */
#include <string.h>

#include "compiler/infer_impl.h"

kn_expr *kn_infer_argument(kn_expr *e, int pos, const char *name)
{
    int positional = e->noperands - e->nkw;
    if (pos < positional)
        return e->operands[pos];
    for (int i = 0; i < e->nkw; i++)
        if (name && !strcmp(e->kwnames[i], name))
            return e->operands[positional + i];
    return NULL;
}

/*
 * Every keyword is one of names (NULL-terminated); positional arguments at
 * most max, and at least min arguments, keywords included.
 */
static int check_arguments(kn_infer_state *s, kn_expr *e, const char *fn, int min, int max,
                           const char *const *names)
{
    int positional = e->noperands - e->nkw;
    if (positional > max || e->noperands < min) {
        kn_infer_error(s, e->loc, "np.%s() takes %d to %d arguments (%d given)", fn, min, max,
                       e->noperands);
        return 0;
    }
    for (int i = 0; i < e->nkw; i++) {
        int ok = 0;
        for (int j = 0; names[j]; j++)
            ok |= !strcmp(names[j], e->kwnames[i]);
        if (!ok) {
            kn_infer_error(s, e->loc, "np.%s() got an unexpected keyword argument '%s'", fn,
                           e->kwnames[i]);
            return 0;
        }
    }
    return 1;
}

/* A kiln.Type (kiln.float32, where Numba code has numba.float32), by its name. */
static const kn_type *kiln_type(PyObject *obj)
{
    PyObject *name = PyObject_Str(obj);
    const char *text = name ? PyUnicode_AsUTF8(name) : NULL;
    const kn_type *t = text ? kn_type_parse(text, NULL, 0) : NULL;
    Py_XDECREF(name);
    PyErr_Clear();
    return t;
}

/* The scalar type a Python type object stands for as a dtype: float, np.int32, np.bool_. */
static const kn_type *dtype_of_object(PyObject *obj)
{
    if (obj == (PyObject *)&PyFloat_Type)
        return kn_type_float(64);
    if (obj == (PyObject *)&PyLong_Type)
        return kn_type_int(64);
    if (obj == (PyObject *)&PyBool_Type)
        return kn_type_bool();
    if (obj == (PyObject *)&PyComplex_Type)
        return kn_type_complex128();
    if (!strcmp(Py_TYPE(obj)->tp_name, "kiln.Type"))
        return kiln_type(obj);
    if (!PyType_Check(obj))
        return NULL;
    const char *name = ((PyTypeObject *)obj)->tp_name;
    if (strncmp(name, "numpy.", 6))
        return NULL;
    const kn_type *t = kn_type_parse(name + 6, NULL, 0);
    return t && kn_type_is_number(t) ? t : NULL;
}

const kn_type *kn_infer_dtype_argument(kn_infer_state *s, kn_expr *d)
{
    const kn_type *t = NULL;
    if (d->kind == KN_E_STR)
        t = kn_type_parse(d->sval, NULL, 0);
    else if (d->kind == KN_E_ATTR && !strcmp(d->sval, "dtype") && !kn_infer_object(s, d)) {
        const kn_type *a = kn_infer_expr(s, d->value);
        if (!a)
            return NULL;
        t = a->kind == KN_ARRAY ? a->dtype : NULL;
    } else {
        PyObject *obj = kn_infer_object(s, d);
        t = obj ? dtype_of_object(obj) : NULL;
    }
    if (t && kn_type_is_number(t)) {
        d->type = kn_type_void(); /* a compile-time value: nothing to lower */
        return t;
    }
    return kn_infer_error(s, d->loc, "unsupported dtype: give a NumPy type such as np.float64, "
                                     "a name such as 'int32', or a.dtype");
}

/* The number of dimensions a shape argument gives: an int, or a tuple of ints. */
static int shape_ndim(kn_infer_state *s, kn_expr *shape)
{
    const kn_type *t = kn_infer_expr(s, shape);
    if (!t)
        return -1;
    if (kn_type_is_integer(t))
        return 1;
    for (int i = 0; t->kind == KN_TUPLE && i < t->nfields; i++)
        if (!kn_type_is_integer(t->fields[i]))
            t = NULL;
    if (t && t->kind == KN_TUPLE)
        return t->nfields;
    kn_infer_error(s, shape->loc, "a shape is an integer or a tuple of integers, not %s",
                   kn_infer_describe(s, shape));
    return -1;
}

/* The default dtype of np.full: the fill value's type, with Python ints as int64. */
static const kn_type *value_dtype(kn_infer_state *s, kn_expr *value)
{
    const kn_type *t = kn_infer_expr(s, value);
    if (t && !kn_type_is_number(t))
        return kn_infer_error(s, value->loc, "the fill value must be a number, not %s", t->name);
    return t;
}

/* The call's operands become ops, its canonical form for the lowering, bound to builtin id. */
static void bind(kn_infer_state *s, kn_expr *e, kn_expr *const *ops, int n, kn_builtin id)
{
    e->operands = kn_arena_alloc(s->f->arena, (size_t)n * sizeof *e->operands);
    memcpy(e->operands, ops, (size_t)n * sizeof *ops);
    e->noperands = n;
    e->nkw = 0;
    e->ival = id;
}

/* The argument at pos or named name (NULL: neither); both is an error, as in NumPy. */
static kn_expr *argument(kn_infer_state *s, kn_expr *e, const char *fn, int pos, const char *name)
{
    kn_expr *given = kn_infer_argument(e, pos, name);
    kn_expr *named = kn_infer_argument(e, e->noperands, name); /* past every position: keywords */
    if (named && named != given)
        kn_infer_error(s, named->loc, "np.%s() got '%s' by name and by position", fn, name);
    return given;
}

static int is_like(kn_builtin id)
{
    return id == KN_BI_NP_EMPTY_LIKE || id == KN_BI_NP_ZEROS_LIKE || id == KN_BI_NP_ONES_LIKE ||
           id == KN_BI_NP_FULL_LIKE;
}

/*
 * The arguments of an allocation into the canonical form: operands {shape
 * or array, fill value or NULL}, and the dtype argument's type (NULL when
 * none was given) in the payload. 0 when not done yet (a type unknown) or
 * failed.
 */
static int bind_allocation(kn_infer_state *s, kn_expr *e, kn_builtin id, const char *fn)
{
    int full = id == KN_BI_NP_FULL || id == KN_BI_NP_FULL_LIKE;
    const char *first_name = id == KN_BI_NP_EMPTY_LIKE ? "prototype" : is_like(id) ? "a" : "shape";
    const char *const keywords[] = {first_name, "dtype", full ? "fill_value" : NULL, NULL};
    if (!check_arguments(s, e, fn, 1 + full, 2 + full, keywords))
        return 0;
    kn_expr *first = argument(s, e, fn, 0, first_name);
    kn_expr *value = full ? argument(s, e, fn, 1, "fill_value") : NULL;
    kn_expr *dtype = argument(s, e, fn, 1 + full, "dtype");
    if (s->failed)
        return 0;
    if (!first || (full && !value)) {
        kn_infer_error(s, e->loc, "np.%s() is missing its '%s' argument", fn,
                       first ? "fill_value" : first_name);
        return 0;
    }
    const kn_type *dt = NULL;
    if (dtype && !(dt = kn_infer_dtype_argument(s, dtype)))
        return 0;
    bind(s, e, (kn_expr *[]){first, value}, 2, id);
    e->payload = (void *)dt;
    return 1;
}

// np.empty(shape[, dtype]) | np.zeros | np.ones | np.full(shape, value[, dtype]) | np.*_like(a...)
static const kn_type *allocation(kn_infer_state *s, kn_expr *e, kn_builtin id, const char *fn)
{
    if (e->ival != id && !bind_allocation(s, e, id, fn))
        return NULL;
    kn_expr *first = e->operands[0], *value = e->operands[1];
    const kn_type *dt = e->payload, *like = NULL;
    int ndim;
    if (is_like(id)) {
        like = kn_infer_expr(s, first);
        if (like && like->kind != KN_ARRAY)
            return kn_infer_error(s, first->loc, "np.%s() needs an array, not %s", fn,
                                  like->name);
        if (!like)
            return NULL;
        ndim = like->ndim;
    } else if ((ndim = shape_ndim(s, first)) < 0)
        return NULL;
    const kn_type *vt = value ? value_dtype(s, value) : NULL;
    if (value && !vt)
        return NULL;
    if (!dt)
        dt = like ? like->dtype : vt ? vt : kn_type_float(64);
    if (vt && !kn_infer_storable(vt, dt))
        return kn_infer_error(s, value->loc, "np.%s() cannot fill %s items with %s", fn, dt->name,
                              vt->name);
    char layout = like && like->layout == 'F' && ndim > 1 ? 'F' : 'C';
    return kn_type_array(dt, ndim, layout);
}

/* A literal integer operand made by inference (arange's default start and step). */
static kn_expr *int_literal(kn_infer_state *s, kn_loc loc, int64_t v)
{
    kn_expr *x = kn_arena_alloc(s->f->arena, sizeof *x);
    x->kind = KN_E_INT;
    x->loc = loc;
    x->ival = v;
    x->type = kn_type_int(64);
    return x;
}

static const kn_type *real_argument(kn_infer_state *s, kn_expr *x, const char *fn)
{
    const kn_type *t = kn_infer_expr(s, x);
    if (t && (!kn_type_is_number(t) || t->kind == KN_COMPLEX))
        return kn_infer_error(s, x->loc, "np.%s() needs real numbers, not %s", fn, t->name);
    return t;
}

static const char *const arange_keywords[] = {"start", "stop", "step", "dtype", NULL};

// np.arange(stop) | np.arange(start, stop[, step]) [dtype=]: operands become {start, stop, step}
static int bind_arange(kn_infer_state *s, kn_expr *e)
{
    if (!check_arguments(s, e, "arange", 1, 4, arange_keywords))
        return 0;
    kn_expr *start = argument(s, e, "arange", 0, "start");
    kn_expr *stop = argument(s, e, "arange", 1, "stop");
    kn_expr *step = argument(s, e, "arange", 2, "step");
    kn_expr *dtype = argument(s, e, "arange", 3, "dtype");
    if (s->failed)
        return 0;
    if (!start) {
        kn_infer_error(s, e->loc, "np.arange() is missing its first argument");
        return 0;
    }
    const kn_type *dt = NULL;
    if (dtype && !(dt = kn_infer_dtype_argument(s, dtype)))
        return 0;
    /* one bound is the stop: np.arange(n) counts from 0 */
    kn_expr *ops[3] = {stop ? start : int_literal(s, e->loc, 0), stop ? stop : start,
                       step ? step : int_literal(s, e->loc, 1)};
    bind(s, e, ops, 3, KN_BI_NP_ARANGE);
    e->payload = (void *)dt;
    return 1;
}

static const kn_type *arange(kn_infer_state *s, kn_expr *e)
{
    if (e->ival != KN_BI_NP_ARANGE && !bind_arange(s, e))
        return NULL;
    int all_ints = 1;
    for (int i = 0; i < 3; i++) {
        const kn_type *t = real_argument(s, e->operands[i], "arange");
        if (!t)
            return NULL;
        all_ints &= kn_type_is_integer(t) || t->kind == KN_BOOL;
    }
    const kn_type *dt = e->payload ? e->payload : all_ints ? kn_type_int(64) : kn_type_float(64);
    return kn_type_array(dt, 1, 'C');
}

static const char *const linspace_keywords[] = {"start", "stop", "num", NULL};

// np.linspace(start, stop[, num=50]): operands become {start, stop, num}
static const kn_type *linspace(kn_infer_state *s, kn_expr *e)
{
    if (e->ival != KN_BI_NP_LINSPACE) {
        if (!check_arguments(s, e, "linspace", 2, 3, linspace_keywords))
            return NULL;
        kn_expr *start = argument(s, e, "linspace", 0, "start");
        kn_expr *stop = argument(s, e, "linspace", 1, "stop");
        kn_expr *num = argument(s, e, "linspace", 2, "num");
        if (s->failed)
            return NULL;
        if (!start || !stop)
            return kn_infer_error(s, e->loc, "np.linspace() is missing its '%s' argument",
                                  start ? "stop" : "start");
        kn_expr *ops[3] = {start, stop, num ? num : int_literal(s, e->loc, 50)};
        bind(s, e, ops, 3, KN_BI_NP_LINSPACE);
    }
    kn_expr **ops = e->operands;
    for (int i = 0; i < 2; i++)
        if (!real_argument(s, ops[i], "linspace"))
            return NULL;
    const kn_type *n = kn_infer_expr(s, ops[2]);
    if (n && !kn_type_is_integer(n))
        return kn_infer_error(s, ops[2]->loc, "np.linspace()'s num must be an integer");
    if (!n)
        return NULL;
    return kn_type_array(kn_type_float(64), 1, 'C');
}

static const kn_type *array_argument(kn_infer_state *s, kn_expr *e, int i, const char *fn)
{
    if (e->nkw || i >= e->noperands)
        return kn_infer_error(s, e->loc, "np.%s() takes %s array argument%s in nopython mode",
                              fn, i ? "two" : "one", i ? "s" : "");
    const kn_type *t = kn_infer_expr(s, e->operands[i]);
    if (t && t->kind != KN_ARRAY)
        return kn_infer_error(s, e->operands[i]->loc, "np.%s() needs an array here, not %s", fn,
                              t->name);
    return t;
}

// np.sum(a) | np.min(a) | np.max(a) | np.mean(a)
static const kn_type *reduction(kn_infer_state *s, kn_expr *e, kn_builtin id, const char *fn)
{
    if (e->noperands != 1)
        return kn_infer_error(s, e->loc, "np.%s() takes one array in nopython mode", fn);
    const kn_type *t = array_argument(s, e, 0, fn);
    if (!t)
        return NULL;
    e->ival = id;
    return kn_infer_reduction(s, e, id, t);
}

/*
 * np.dot(a, b) and a @ b of types a and b: 1-d . 1-d is a number, a matrix
 * with a matrix a matrix, a matrix with a vector (either side) a vector.
 * The items keep NumPy's type: bools multiply as and, add as or.
 */
const kn_type *kn_infer_dot(kn_infer_state *s, kn_expr *e, const kn_type *a, const kn_type *b)
{
    const kn_type *dt = kn_type_unify(a->dtype, b->dtype);
    if (!dt || a->ndim < 1 || a->ndim > 2 || b->ndim < 1 || b->ndim > 2) {
        kn_infer_error(s, e->loc, "%s of %s and %s is not supported",
                       e->kind == KN_E_BINARY ? "a @ b" : "np.dot()", a->name, b->name);
        kn_diag_note(&s->diags, "compiled code multiplies vectors and matrices: arrays of 1 or 2 "
                     "dimensions and numbers");
        return NULL;
    }
    int ndim = a->ndim + b->ndim - 2;
    return ndim ? kn_type_array(dt, ndim, 'C') : dt;
}

// np.dot(a, b)
static const kn_type *dot(kn_infer_state *s, kn_expr *e)
{
    if (e->noperands != 2)
        return kn_infer_error(s, e->loc, "np.dot() takes two arrays");
    const kn_type *a = array_argument(s, e, 0, "dot"), *b = a ? array_argument(s, e, 1, "dot") : NULL;
    if (!a || !b)
        return NULL;
    e->ival = KN_BI_NP_DOT;
    return kn_infer_dot(s, e, a, b);
}

const kn_type *kn_infer_numpy(kn_infer_state *s, kn_expr *e, kn_builtin id, const char *name)
{
    const char *fn = strrchr(name, '.') ? strrchr(name, '.') + 1 : name;
    switch (id) {
    case KN_BI_NP_ARANGE:
        return arange(s, e);
    case KN_BI_NP_LINSPACE:
        return linspace(s, e);
    case KN_BI_NP_DOT:
        return dot(s, e);
    case KN_BI_ARRAY_SUM:
    case KN_BI_ARRAY_MIN:
    case KN_BI_ARRAY_MAX:
    case KN_BI_ARRAY_MEAN:
        return reduction(s, e, id, fn);
    default:
        return allocation(s, e, id, fn);
    }
}
