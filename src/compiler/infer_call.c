/* Type inference of calls: builtins, math, numpy, exceptions, kiln functions, recursion. */
#include <string.h>

#include "compiler/cuda_intrinsics.h"
#include "compiler/infer_impl.h"

/* How a known callable types its arguments; each rule's arity follows. */
typedef enum rule {
    R_ABS,       /* abs(x) */
    R_MINMAX,    /* min(a, b, ...) */
    R_ROUND,     /* round(x[, ndigits]) */
    R_CAST,      /* int(x): to the entry's type */
    R_COMPLEX,   /* complex(x) | complex(re, im) */
    R_POW,       /* pow(a, b) */
    R_DIVMOD,    /* divmod(a, b) */
    R_LEN,       /* len(t) */
    R_RANGE,     /* range(...): only in for */
    R_MATH1,     /* sqrt(x): a float */
    R_CMATH1,    /* numpy.sqrt(x): a float, or complex128 of a complex x */
    R_MATH2,     /* atan2(y, x): a float */
    R_MATH_INT,  /* math.floor(x): int64 */
    R_MATH_PRED, /* isnan(x): bool */
    R_LOG,       /* math.log(x[, base]): a float */
    R_NUMPY,     /* np.zeros(...), np.sum(a), ...: infer_numpy.c binds and types them */
    R_ITER,      /* enumerate(a), zip(a, b): only in for */
} rule;

static const struct {
    int min, max;
} arity[] = {
    [R_ABS] = {1, 1},       [R_MINMAX] = {2, 64}, [R_ROUND] = {1, 2},  [R_CAST] = {1, 1},
    [R_COMPLEX] = {1, 2},   [R_POW] = {2, 2},     [R_DIVMOD] = {2, 2}, [R_LEN] = {1, 1},
    [R_RANGE] = {1, 3},     [R_MATH1] = {1, 1},   [R_MATH2] = {2, 2},  [R_MATH_INT] = {1, 1},
    [R_MATH_PRED] = {1, 1}, [R_LOG] = {1, 2},     [R_NUMPY] = {0, 64}, [R_ITER] = {1, 64},
    [R_CMATH1] = {1, 1},
};

typedef struct known {
    const char *module; /* builtins, math or numpy */
    const char *name;   /* empty: the module has no such function */
    kn_builtin id;
    rule rule;
    const char *to; /* R_CAST: the result type */
} known;

/* The rows of knowns for math_functions.h's functions, and for numpy's scalar types. */
#define MATH_ROWS(id, math, numpy, math_rule, numpy_rule, ...)                                     \
    {"math", #math, KN_BI_##id, R_##math_rule, NULL},                                              \
        {"numpy", #numpy, KN_BI_##id, R_##numpy_rule, NULL},
#define CAST_ROW(type) {"numpy", #type, KN_BI_CAST, R_CAST, #type},

static const known knowns[] = {{"builtins", "abs", KN_BI_ABS, R_ABS, NULL},
                               {"builtins", "min", KN_BI_MIN, R_MINMAX, NULL},
                               {"builtins", "max", KN_BI_MAX, R_MINMAX, NULL},
                               {"builtins", "round", KN_BI_ROUND, R_ROUND, NULL},
                               {"builtins", "int", KN_BI_CAST, R_CAST, "int64"},
                               {"builtins", "float", KN_BI_CAST, R_CAST, "float64"},
                               {"builtins", "bool", KN_BI_CAST, R_CAST, "bool"},
                               {"builtins", "complex", KN_BI_COMPLEX, R_COMPLEX, NULL},
                               {"builtins", "pow", KN_BI_POW, R_POW, NULL},
                               {"builtins", "divmod", KN_BI_DIVMOD, R_DIVMOD, NULL},
                               {"builtins", "len", KN_BI_LEN, R_LEN, NULL},
                               {"builtins", "range", KN_BI_RANGE, R_RANGE, NULL},
                               {"numpy", "power", KN_BI_POW, R_POW, NULL},
                               {"numpy", "abs", KN_BI_ABS, R_ABS, NULL},
                               {"numpy", "absolute", KN_BI_ABS, R_ABS, NULL},
                               {"numpy", "bool_", KN_BI_CAST, R_CAST, "bool"},
                               {"numpy", "empty", KN_BI_NP_EMPTY, R_NUMPY, NULL},
                               {"numpy", "zeros", KN_BI_NP_ZEROS, R_NUMPY, NULL},
                               {"numpy", "ones", KN_BI_NP_ONES, R_NUMPY, NULL},
                               {"numpy", "full", KN_BI_NP_FULL, R_NUMPY, NULL},
                               {"numpy", "empty_like", KN_BI_NP_EMPTY_LIKE, R_NUMPY, NULL},
                               {"numpy", "zeros_like", KN_BI_NP_ZEROS_LIKE, R_NUMPY, NULL},
                               {"numpy", "ones_like", KN_BI_NP_ONES_LIKE, R_NUMPY, NULL},
                               {"numpy", "full_like", KN_BI_NP_FULL_LIKE, R_NUMPY, NULL},
                               {"numpy", "arange", KN_BI_NP_ARANGE, R_NUMPY, NULL},
                               {"numpy", "linspace", KN_BI_NP_LINSPACE, R_NUMPY, NULL},
                               {"numpy", "dot", KN_BI_NP_DOT, R_NUMPY, NULL},
                               {"numpy", "sum", KN_BI_ARRAY_SUM, R_NUMPY, NULL},
                               {"numpy", "min", KN_BI_ARRAY_MIN, R_NUMPY, NULL},
                               {"numpy", "amin", KN_BI_ARRAY_MIN, R_NUMPY, NULL},
                               {"numpy", "max", KN_BI_ARRAY_MAX, R_NUMPY, NULL},
                               {"numpy", "amax", KN_BI_ARRAY_MAX, R_NUMPY, NULL},
                               {"numpy", "mean", KN_BI_ARRAY_MEAN, R_NUMPY, NULL},
                               {"builtins", "enumerate", KN_BI_ENUMERATE, R_ITER, NULL},
                               {"builtins", "zip", KN_BI_ZIP, R_ITER, NULL},
                               KN_MATH_FUNCTIONS(MATH_ROWS) KN_NUMPY_SCALARS(CAST_ROW)};

enum { NKNOWN = sizeof knowns / sizeof knowns[0] };

/*
 * Each entry's object, found on first use and kept for the process. numpy
 * entries are looked for only once the program itself imported numpy:
 * importing it here would cost every compilation a quarter of a second.
 */
static PyObject *known_objects[NKNOWN];

static PyObject *module_named(const char *name)
{
    if (strcmp(name, "numpy"))
        return PyImport_ImportModule(name);
    PyObject *key = PyUnicode_FromString(name);
    PyObject *m = key ? PyImport_GetModule(key) : NULL;
    Py_XDECREF(key);
    return m;
}

static PyObject *known_object(int i)
{
    if (!known_objects[i] && knowns[i].name[0]) {
        PyObject *m = module_named(knowns[i].module);
        if (m)
            known_objects[i] = PyObject_GetAttrString(m, knowns[i].name);
        Py_XDECREF(m);
        PyErr_Clear();
    }
    return known_objects[i];
}

static const known *find_known(PyObject *obj)
{
    for (int i = 0; i < NKNOWN; i++)
        if (known_object(i) == obj)
            return &knowns[i];
    return NULL;
}

/* The callee as the source spells it: "abs", "math.sqrt", "np.float32". */
static const char *callee_name(kn_infer_state *s, const kn_expr *callee)
{
    if (callee->kind == KN_E_NAME)
        return callee->sval;
    if (callee->kind != KN_E_ATTR)
        return "this expression";
    const char *base = callee_name(s, callee->value);
    char *name = kn_arena_alloc(s->f->arena, strlen(base) + strlen(callee->sval) + 2);
    strcat(strcat(strcpy(name, base), "."), callee->sval);
    return name;
}

/* Types every argument into types[]; 0 when one is not known yet or failed. */
static int type_args(kn_infer_state *s, kn_expr *e, const kn_type **types)
{
    int known = 1;
    for (int i = 0; i < e->noperands; i++) {
        types[i] = kn_infer_expr(s, e->operands[i]);
        if (s->failed)
            return 0;
        known &= types[i] != NULL;
    }
    return known;
}

static int check_arity(kn_infer_state *s, kn_expr *e, const known *k, const char *name)
{
    int min = arity[k->rule].min, max = arity[k->rule].max;
    if (e->nkw) {
        kn_infer_error(s, e->loc, "%s() takes no keyword arguments in nopython mode", name);
        return 0;
    }
    if (k->rule == R_POW && e->noperands == 3) {
        kn_infer_error(s, e->loc, "pow() with a modulus is not supported");
        return 0;
    }
    if (e->noperands >= min && e->noperands <= max)
        return 1;
    if (min == max)
        kn_infer_error(s, e->loc, "%s() takes %d argument%s (%d given)", name, min,
                       min == 1 ? "" : "s", e->noperands);
    else if (max == 64)
        kn_infer_error(s, e->loc, "%s() takes %d or more arguments here (%d given)", name, min,
                       e->noperands);
    else
        kn_infer_error(s, e->loc, "%s() takes %d to %d arguments (%d given)", name, min, max,
                       e->noperands);
    return 0;
}

/* Every argument must be a number: a real one unless complex_ok. */
static int check_numbers(kn_infer_state *s, kn_expr *e, const kn_type **types, int complex_ok,
                         const char *name)
{
    for (int i = 0; i < e->noperands; i++) {
        const kn_type *t = types[i];
        if (kn_type_is_number(t) && (complex_ok || t->kind != KN_COMPLEX))
            continue;
        kn_infer_error(s, e->operands[i]->loc, "%s() needs %s, not %s", name,
                       complex_ok ? "a number" : "a real number",
                       kn_infer_describe(s, e->operands[i]));
        return 0;
    }
    return 1;
}

/* math functions compute in float32 when every argument is one, else in float64. */
static const kn_type *float_of(const kn_type **types, int n)
{
    for (int i = 0; i < n; i++)
        if (types[i]->kind != KN_FLOAT || types[i]->bits != 32)
            return kn_type_float(64);
    return kn_type_float(32);
}

static const kn_type *unify_all(kn_infer_state *s, kn_expr *e, const kn_type **types,
                                const char *name)
{
    const kn_type *t = types[0];
    for (int i = 1; i < e->noperands && t; i++)
        t = kn_type_unify(t, types[i]);
    return t ? t : kn_infer_error(s, e->loc, "the arguments of %s() do not unify", name);
}

// abs(x): ints and floats keep their type, bool becomes int64, complex gives its magnitude
static const kn_type *abs_type(const kn_type *t)
{
    if (t->kind == KN_BOOL)
        return kn_type_int(64);
    return t->kind == KN_COMPLEX ? kn_type_float(64) : t;
}

// round(x) -> int64 | round(x, ndigits) -> a float
static const kn_type *round_type(kn_infer_state *s, kn_expr *e, const kn_type **types)
{
    if (e->noperands == 1)
        return kn_type_int(64);
    if (!kn_type_is_integer(types[1]) && types[1]->kind != KN_BOOL)
        return kn_infer_error(s, e->operands[1]->loc, "round()'s ndigits must be an integer");
    return float_of(types, 1);
}

// int(x) | float(x) | bool(x) | np.float32(x) ...
static const kn_type *cast_type(kn_infer_state *s, kn_expr *e, const known *k,
                                const kn_type **types)
{
    const kn_type *to = kn_type_parse(k->to, NULL, 0);
    if (types[0]->kind == KN_COMPLEX && to->kind != KN_COMPLEX && to->kind != KN_BOOL)
        return kn_infer_error(s, e->operands[0]->loc, "cannot convert complex128 to %s", to->name);
    return to;
}

// complex(x) converts, complex(re, im) builds
static const kn_type *complex_type(kn_infer_state *s, kn_expr *e, const kn_type **types,
                                   const char *name)
{
    if (e->noperands == 1) {
        e->ival = KN_BI_CAST;
        return kn_type_complex128();
    }
    return check_numbers(s, e, types, 0, name) ? kn_type_complex128() : NULL;
}

// divmod(a, b) -> (a // b, a % b)
static const kn_type *divmod_type(kn_infer_state *s, kn_expr *e)
{
    const kn_type *t = kn_infer_binary(s, KN_OP_FLOORDIV, e->operands[0], e->operands[1], e->loc);
    const kn_type *pair[2] = {t, t};
    return t ? kn_type_tuple(pair, 2) : NULL;
}

// len(t) of a tuple: its number of items
static const kn_type *len_type(kn_infer_state *s, kn_expr *e, const kn_type **types)
{
    switch (types[0]->kind) {
    case KN_TUPLE:
        return kn_type_int(64);
    case KN_ARRAY:
        if (types[0]->ndim == 0)
            return kn_infer_error(s, e->loc, "len() of unsized object (a 0-d array)");
        return kn_type_int(64);
    default:
        return kn_infer_error(s, e->loc, "len() of %s is not supported",
                              kn_infer_describe(s, e->operands[0]));
    }
}

static const kn_type *known_type(kn_infer_state *s, kn_expr *e, const known *k,
                                 const kn_type **types, const char *name)
{
    switch (k->rule) {
    case R_ABS:
        return check_numbers(s, e, types, 1, name) ? abs_type(types[0]) : NULL;
    case R_MINMAX:
        return check_numbers(s, e, types, 0, name) ? unify_all(s, e, types, name) : NULL;
    case R_ROUND:
        return check_numbers(s, e, types, 0, name) ? round_type(s, e, types) : NULL;
    case R_CAST:
        return check_numbers(s, e, types, 1, name) ? cast_type(s, e, k, types) : NULL;
    case R_COMPLEX:
        return check_numbers(s, e, types, 1, name) ? complex_type(s, e, types, name) : NULL;
    case R_POW:
        return kn_infer_binary(s, KN_OP_POW, e->operands[0], e->operands[1], e->loc);
    case R_DIVMOD:
        return divmod_type(s, e);
    case R_LEN:
        return len_type(s, e, types);
    case R_RANGE:
    case R_ITER:
        return kn_infer_error(s, e->loc, "%s() can only be the iterable of a for loop", name);
    case R_NUMPY:
        return NULL; /* call_known hands these to infer_numpy.c */
    case R_MATH1:
    case R_MATH2:
    case R_LOG:
        return check_numbers(s, e, types, 0, name) ? float_of(types, e->noperands) : NULL;
    case R_CMATH1:
        if (!check_numbers(s, e, types, 1, name))
            return NULL;
        return types[0]->kind == KN_COMPLEX ? types[0] : float_of(types, 1);
    case R_MATH_INT:
        return check_numbers(s, e, types, 0, name) ? kn_type_int(64) : NULL;
    case R_MATH_PRED:
        return check_numbers(s, e, types, 0, name) ? kn_type_bool() : NULL;
    }
    return NULL;
}

/* Functions that apply to each item of an array: numpy's ufuncs, and abs. */
static int elementwise(const known *k)
{
    if (k->rule == R_ABS)
        return 1;
    int ufunc = k->rule == R_MATH1 || k->rule == R_CMATH1 || k->rule == R_MATH2 ||
                k->rule == R_MATH_PRED;
    return ufunc && !strcmp(k->module, "numpy");
}

/*
 * NumPy's float loops, as Numba picks them (it has no float16): float32
 * when every item fits one exactly (bools, integers up to 16 bits, float32).
 */
static const kn_type *ufunc_float(const kn_type **items, int n)
{
    const kn_type *single = kn_type_float(32);
    for (int i = 0; i < n; i++)
        if (kn_type_unify(items[i], single) != single)
            return kn_type_float(64);
    return single;
}

// np.sqrt(a), abs(a): the scalar rule on the items (abs keeps bools), the result an array
static const kn_type *call_elementwise(kn_infer_state *s, kn_expr *e, const known *k,
                                       const kn_type **types, const char *name)
{
    if (!elementwise(k))
        return kn_infer_error(s, e->loc, "%s() of an array is not supported", name);
    const kn_type *items[64];
    for (int i = 0; i < e->noperands; i++)
        items[i] = types[i]->kind == KN_ARRAY ? types[i]->dtype : types[i];
    const kn_type *t = known_type(s, e, k, items, name);
    if (t && k->rule == R_ABS && items[0]->kind == KN_BOOL)
        t = items[0];
    else if (t && t->kind == KN_FLOAT)
        t = ufunc_float(items, e->noperands);
    return t ? kn_infer_elementwise(t, types, e->noperands) : NULL;
}

static int any_array(const kn_type **types, int n)
{
    for (int i = 0; i < n; i++)
        if (types[i]->kind == KN_ARRAY)
            return 1;
    return 0;
}

// abs(x), math.sqrt(x), np.float32(x), np.zeros(n), ...
static const kn_type *call_known(kn_infer_state *s, kn_expr *e, const known *k, const char *name)
{
    if (k->rule == R_NUMPY)
        return kn_infer_numpy(s, e, k->id, name);
    if (!check_arity(s, e, k, name))
        return NULL;
    const kn_type *types[64];
    if (!type_args(s, e, types))
        return NULL;
    e->ival = k->id;
    if (k->rule != R_LEN && any_array(types, e->noperands))
        return call_elementwise(s, e, k, types, name);
    return known_type(s, e, k, types, name);
}

/* The Python function behind a callee: itself, or a dispatcher's py_func (borrowed); else NULL. */
static PyObject *python_function(PyObject *obj)
{
    if (PyFunction_Check(obj))
        return obj;
    PyObject *py_func = PyObject_GetAttrString(obj, "py_func");
    if (!py_func) {
        PyErr_Clear();
        return NULL;
    }
    Py_DECREF(py_func); /* the dispatcher holds it */
    return PyFunction_Check(py_func) ? py_func : NULL;
}

// f(args) inside f, same argument types: typed by the returns inferred so far
static const kn_type *call_self(kn_infer_state *s, kn_expr *e)
{
    const kn_type *ret = s->sig->ret ? s->sig->ret : s->ret;
    e->ival = KN_BI_SELF;
    e->payload = s->env->self_handle;
    if (!ret && s->strict)
        return kn_infer_error(s, e->loc,
                              "cannot infer the return type of %s: every return goes through "
                              "this recursive call (add a base case that returns a value)",
                              s->f->name);
    return ret;
}

static const kn_type *not_callable(kn_infer_state *s, kn_expr *e, PyObject *obj, const char *name)
{
    if (e->value->kind == KN_E_ATTR)
        kn_infer_error(s, e->loc, "%s is not supported in nopython mode", name);
    else
        kn_infer_error(s, e->loc, "cannot call %s in nopython mode",
                       kn_infer_describe(s, e->value));
    if (PyFunction_Check(obj))
        kn_diag_note(&s->diags, "decorate %s with @kiln.jit to call it from compiled code", name);
    else
        kn_diag_note(&s->diags, "compiled code can call builtins such as abs, min, max, round, "
                                "int and float, math functions, numpy's scalar functions, and "
                                "other kiln.jit functions");
    return NULL;
}

/* What resolve_call made of g(args): the call's type, unknown for now, or an error. */
static const kn_type *resolved(kn_infer_state *s, kn_expr *e, PyObject *obj,
                               const kn_signature *sig, const char *name)
{
    void *handle = NULL;
    const kn_type *ret = NULL;
    kn_resolved r = s->env->resolve_call
                        ? s->env->resolve_call(s->env->ctx, obj, sig, s->strict, &handle, &ret)
                        : KN_NOT_KILN;
    switch (r) {
    case KN_RESOLVED:
        e->ival = KN_BI_JIT;
        e->payload = handle;
        return ret;
    case KN_NOT_KILN:
        return not_callable(s, e, obj, name);
    case KN_NOT_YET: /* the callee's returns so far type the call until its next pass */
        if (!s->strict)
            return ret;
        return kn_infer_error(s, e->loc,
                              "cannot infer the return type of %s: it calls back into a function "
                              "whose return type is not known yet (give one of the mutually "
                              "recursive functions a base case that returns a value without "
                              "calling the others)",
                              name);
    case KN_RESOLVE_FAILED:
        break;
    }
    s->failed = s->py_error = 1;
    return NULL;
}

/*
 * g(args) with g another kiln function, or f itself: the arguments bound
 * to its parameters, then compiled for their types (recursion with the
 * types being compiled is typed here).
 */
static const kn_type *call_jit(kn_infer_state *s, kn_expr *e, PyObject *obj, const char *name)
{
    PyObject *func = python_function(obj);
    if (!func)
        return not_callable(s, e, obj, name);
    if (kn_infer_bind(s, e, func, name) < 0)
        return NULL;
    kn_signature sig = {.nargs = e->noperands};
    if (!type_args(s, e, sig.args))
        return NULL;
    for (int i = 0; i < sig.nargs; i++)
        if (sig.args[i]->kind == KN_VOID)
            return kn_infer_error(s, e->operands[i]->loc, "cannot pass None to %s", name);
    if (func == s->env->self && kn_signature_takes(s->sig, sig.args, sig.nargs))
        return call_self(s, e);
    return resolved(s, e, obj, &sig, name);
}

// value.method(): z.conjugate()
static const kn_type *call_method(kn_infer_state *s, kn_expr *e)
{
    kn_expr *callee = e->value;
    const kn_type *t = kn_infer_expr(s, callee->value);
    if (!t)
        return NULL;
    if (!strcmp(callee->sval, "conjugate") && kn_type_is_number(t) && !e->noperands) {
        e->ival = KN_BI_CONJUGATE;
        return t->kind == KN_BOOL ? kn_type_int(64) : t;
    }
    if (t->kind == KN_ARRAY)
        return kn_infer_array_method(s, e, t);
    return kn_infer_error(s, e->loc, "%s has no method '%s' in nopython mode", t->name,
                          callee->sval);
}

/* A callee that names no Python object: a method of a value, or a mistake. */
static const kn_type *call_value(kn_infer_state *s, kn_expr *e)
{
    kn_expr *callee = e->value;
    if (callee->kind == KN_E_NAME && !callee->var)
        return kn_infer_error(s, callee->loc, "unknown name '%s'", callee->sval);
    if (callee->kind == KN_E_ATTR) {
        PyObject *module = kn_infer_object(s, callee->value);
        if (module && PyModule_Check(module))
            return kn_infer_error(s, callee->loc, "module '%s' has no attribute '%s'",
                                  PyModule_GetName(module), callee->sval);
        return call_method(s, e);
    }
    const kn_type *t = kn_infer_expr(s, callee);
    if (!t)
        return NULL;
    return kn_infer_error(s, callee->loc, "%s is not callable", t->name);
}

// f(args) | module.f(args) | value.method(args)
/*
 * f(*args) and f(**kwargs) are object mode's: 1 after reporting one. A
 * call resolved in an earlier pass has its operands rewritten (some NULL):
 * it passed already.
 */
static int unpacks_arguments(kn_infer_state *s, kn_expr *e)
{
    int npos = e->noperands - e->nkw;
    for (int i = 0; e->ival == KN_BI_NONE && i < e->noperands; i++) {
        int starred = i < npos && e->operands[i] && e->operands[i]->kind == KN_E_STARRED;
        int mapping = i >= npos && !e->kwnames[i - npos];
        if (starred || mapping) {
            kn_infer_error(s, e->operands[i]->loc, "%s in a call is not supported in nopython mode",
                           starred ? "*args" : "**kwargs");
            return 1;
        }
    }
    return 0;
}

const kn_type *kn_infer_call(kn_infer_state *s, kn_expr *e)
{
    if (unpacks_arguments(s, e))
        return NULL;
    PyObject *obj = kn_infer_object(s, e->value);
    if (!obj)
        return call_value(s, e);
    const char *name = callee_name(s, e->value);
    const known *k = find_known(obj);
    if (k)
        return call_known(s, e, k, name);
    const kn_cuda_intrinsic *cuda = kn_infer_cuda_intrinsic(obj);
    if (cuda)
        return kn_infer_cuda_call(s, e, cuda);
    if (PyExceptionClass_Check(obj))
        return kn_infer_error(s, e->loc, "%s can only be raised here: raise %s(...)", name, name);
    return call_jit(s, e, obj, name);
}

/* A literal zero step: range() would raise ValueError on every run. */
static int zero_step(const kn_expr *e)
{
    const kn_expr *step = e->noperands == 3 ? e->operands[2] : NULL;
    return step && (step->kind == KN_E_INT || step->kind == KN_E_CONST) && step->ival == 0;
}

// for target in range(stop) | range(start, stop[, step])
static const kn_type *range_loop(kn_infer_state *s, kn_expr *e, const known *k)
{
    if (!check_arity(s, e, k, "range"))
        return NULL;
    const kn_type *types[3];
    int known = type_args(s, e, types);
    for (int i = 0; known && i < e->noperands; i++)
        if (!kn_type_is_integer(types[i]) && types[i]->kind != KN_BOOL)
            return kn_infer_error(s, e->operands[i]->loc, "range() needs integers, not %s",
                                  kn_infer_describe(s, e->operands[i]));
    if (zero_step(e))
        return kn_infer_error(s, e->operands[2]->loc, "range() step must not be zero");
    e->ival = KN_BI_RANGE;
    return s->failed || !known ? NULL : kn_type_int(64);
}

/* An array iterated over: what each step gives. */
static const kn_type *array_items(kn_infer_state *s, kn_expr *e)
{
    const kn_type *t = kn_infer_expr(s, e);
    if (!t)
        return NULL;
    if (t->kind != KN_ARRAY || t->ndim == 0)
        return kn_infer_error(s, e->loc,
                              "a for loop can iterate over range(), arrays, and enumerate() or "
                              "zip() of arrays, not %s",
                              t->name);
    return kn_infer_array_element(t);
}

// for i, x in enumerate(a) | for x, y in zip(a, b)
static const kn_type *iterator_loop(kn_infer_state *s, kn_expr *e, const known *k)
{
    int is_zip = k->id == KN_BI_ZIP;
    if (e->nkw || (!is_zip && e->noperands != 1) || e->noperands > 16)
        return kn_infer_error(s, e->loc, "%s() over arrays takes %s in nopython mode",
                              is_zip ? "zip" : "enumerate", is_zip ? "arrays" : "one array");
    const kn_type *fields[17];
    int n = 0;
    if (!is_zip)
        fields[n++] = kn_type_int(64);
    for (int i = 0; i < e->noperands; i++)
        if (!(fields[n++] = array_items(s, e->operands[i])))
            return NULL;
    e->ival = k->id;
    return kn_type_tuple(fields, n);
}

const kn_type *kn_infer_iter(kn_infer_state *s, kn_expr *e)
{
    PyObject *obj = e->kind == KN_E_CALL ? kn_infer_object(s, e->value) : NULL;
    const known *k = obj ? find_known(obj) : NULL;
    if (k && k->rule == R_RANGE)
        return range_loop(s, e, k);
    if (k && k->rule == R_ITER)
        return iterator_loop(s, e, k);
    return array_items(s, e);
}

// raise Exc | raise Exc("constant message")
void kn_infer_exception(kn_infer_state *s, kn_expr *e)
{
    kn_expr *cls = e->kind == KN_E_CALL ? e->value : e;
    PyObject *obj = kn_infer_object(s, cls);
    if (!obj && cls->kind == KN_E_NAME && !cls->var) {
        kn_infer_error(s, cls->loc, "unknown name '%s'", cls->sval);
        return;
    }
    if (!obj || !PyExceptionClass_Check(obj)) {
        kn_infer_error(s, e->loc,
                       "raise needs an exception class, such as ValueError, or one called "
                       "with a constant message: raise ValueError(\"...\")");
        return;
    }
    cls->payload = e->payload = obj;
    if (e->kind != KN_E_CALL)
        return;
    e->ival = KN_BI_EXCEPTION;
    if (e->nkw || e->noperands > 1 || (e->noperands == 1 && e->operands[0]->kind != KN_E_STR))
        kn_infer_error(s, e->loc,
                       "an exception raised in nopython mode takes at most one argument, a "
                       "constant string");
}
