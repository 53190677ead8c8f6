/* Type inference of expressions: names, frozen globals, operators, tuples, attributes, items. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compiler/infer_impl.h"

static const kn_type *int64(void)
{
    return kn_type_int(64);
}

static const kn_type *float64(void)
{
    return kn_type_float(64);
}

const kn_type *kn_infer_error(kn_infer_state *s, kn_loc loc, const char *fmt, ...)
{
    if (s->failed)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kn_diag_error(&s->diags, loc, "%s", msg);
    s->failed = 1;
    return NULL;
}

static const char *aprintf(kn_infer_state *s, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return kn_arena_strdup(s->f->arena, buf);
}

/* What obj is, in a Python programmer's words: "module 'math'", "function 'abs'". */
static const char *describe_object(kn_infer_state *s, PyObject *obj, const char *name)
{
    if (PyModule_Check(obj))
        return aprintf(s, "module '%s'", PyModule_GetName(obj));
    if (PyExceptionClass_Check(obj))
        return aprintf(s, "exception class '%s'", name);
    if (PyType_Check(obj))
        return aprintf(s, "class '%s'", name);
    if (PyCallable_Check(obj))
        return aprintf(s, "function '%s'", name);
    return aprintf(s, "%s object", Py_TYPE(obj)->tp_name);
}

const char *kn_infer_describe(kn_infer_state *s, const kn_expr *e)
{
    if (e->kind == KN_E_STR)
        return "str";
    if (e->kind == KN_E_NONE || (e->type && e->type->kind == KN_VOID))
        return "None";
    if (e->type)
        return e->type->name;
    PyObject *obj = kn_infer_object(s, e);
    return obj ? describe_object(s, obj, e->sval) : "a value of unknown type";
}

PyObject *kn_infer_object(kn_infer_state *s, const kn_expr *e)
{
    if (e->kind == KN_E_NAME && !e->var)
        return s->env->lookup_global ? s->env->lookup_global(s->env->ctx, e->sval) : NULL;
    if (e->kind != KN_E_ATTR)
        return NULL;
    /* A module's own dict, not getattr: its entries stay alive as long as the module. */
    PyObject *module = kn_infer_object(s, e->value);
    if (!module || !PyModule_Check(module))
        return NULL;
    return PyDict_GetItemString(PyModule_GetDict(module), e->sval);
}

/* ---- globals frozen into constants ---- */

static kn_expr *new_const(kn_infer_state *s, kn_loc loc, kn_expr_kind kind)
{
    kn_expr *c = kn_arena_alloc(s->f->arena, sizeof *c);
    c->kind = kind;
    c->loc = loc;
    return c;
}

// a complex global: operands are its real and imaginary parts
static void freeze_complex(kn_infer_state *s, kn_expr *e, PyObject *obj)
{
    e->operands = kn_arena_alloc(s->f->arena, 2 * sizeof *e->operands);
    e->noperands = 2;
    for (int i = 0; i < 2; i++) {
        e->operands[i] = new_const(s, e->loc, KN_E_FLOAT);
        e->operands[i]->fval = i ? PyComplex_ImagAsDouble(obj) : PyComplex_RealAsDouble(obj);
        e->operands[i]->type = float64();
    }
    e->type = kn_type_complex128();
}

// a tuple global: one constant per item; 0 when an item is not a number or tuple
static int freeze_tuple(kn_infer_state *s, kn_expr *e, PyObject *obj)
{
    Py_ssize_t n = PyTuple_GET_SIZE(obj);
    kn_expr **items = kn_arena_alloc(s->f->arena, (n ? n : 1) * sizeof *items);
    const kn_type *fields[n ? n : 1];
    for (Py_ssize_t i = 0; i < n; i++) {
        items[i] = new_const(s, e->loc, KN_E_CONST);
        items[i]->sval = e->sval;
        if (kn_infer_freeze(s, items[i], PyTuple_GET_ITEM(obj, i)) <= 0)
            return 0;
        fields[i] = items[i]->type;
    }
    e->operands = items;
    e->noperands = (int)n;
    e->type = kn_type_tuple(fields, (int)n);
    return 1;
}

/* A NumPy scalar's type: its dtype's name is the Numba name (int32, float32, bool, uint8). */
static const kn_type *numpy_scalar_type(PyObject *obj)
{
    const char *module = Py_TYPE(obj)->tp_name;
    if (strncmp(module, "numpy.", 6) || !strcmp(module, "numpy.ndarray"))
        return NULL;
    PyObject *dtype = PyObject_GetAttrString(obj, "dtype");
    PyObject *name = dtype ? PyObject_GetAttrString(dtype, "name") : NULL;
    const char *text = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
    const kn_type *t = text ? kn_type_parse(text, NULL, 0) : NULL;
    Py_XDECREF(dtype);
    Py_XDECREF(name);
    PyErr_Clear();
    return t && kn_type_is_number(t) ? t : NULL;
}

// np.float32(0.5), np.uint8(200), np.bool_(True): frozen in their own type
static int freeze_numpy_scalar(kn_expr *e, PyObject *obj)
{
    const kn_type *t = numpy_scalar_type(obj);
    if (!t || t->kind == KN_COMPLEX) /* np.complex128 is a complex: frozen before this */
        return 0;
    if (t->kind == KN_FLOAT) {
        e->fval = PyFloat_AsDouble(obj);
    } else if (t->kind == KN_BOOL) {
        e->ival = PyObject_IsTrue(obj);
    } else {
        PyObject *i = PyNumber_Index(obj);
        e->ival = !i                   ? 0
                  : t->kind == KN_UINT ? (int64_t)PyLong_AsUnsignedLongLong(i)
                                       : PyLong_AsLongLong(i);
        Py_XDECREF(i);
    }
    PyErr_Clear();
    e->type = t;
    return 1;
}

// a Python bool, int, float or complex: 0 when obj is none of them or does not fit
static int freeze_number(kn_infer_state *s, kn_expr *e, PyObject *obj)
{
    if (PyBool_Check(obj)) {
        e->ival = obj == Py_True;
        e->type = kn_type_bool();
    } else if (PyLong_Check(obj)) {
        int overflow;
        e->ival = PyLong_AsLongLongAndOverflow(obj, &overflow);
        if (overflow) {
            kn_infer_error(s, e->loc, "the value of '%s' does not fit in int64", e->sval);
            return 0;
        }
        e->type = int64();
    } else if (PyFloat_Check(obj)) {
        e->fval = PyFloat_AS_DOUBLE(obj);
        e->type = float64();
    } else if (PyComplex_Check(obj)) {
        freeze_complex(s, e, obj);
    } else {
        return 0;
    }
    return 1;
}

/*
 * A global that holds a number or a tuple of numbers becomes a constant
 * of the compiled code, as in Numba: rebinding it later does not change
 * the compiled function. Returns 1 (e is now KN_E_CONST), 0 when obj is
 * something else, -1 after an error.
 */
int kn_infer_freeze(kn_infer_state *s, kn_expr *e, PyObject *obj)
{
    int frozen = freeze_number(s, e, obj) || freeze_numpy_scalar(e, obj) ||
                 (!s->failed && PyTuple_Check(obj) && freeze_tuple(s, e, obj));
    if (!frozen)
        return s->failed ? -1 : 0;
    e->kind = KN_E_CONST;
    return 1;
}

/* A global used as a value: frozen, or an error that says what it is instead. */
static const kn_type *global_value(kn_infer_state *s, kn_expr *e, PyObject *obj, const char *name)
{
    int r = kn_infer_freeze(s, e, obj);
    if (r)
        return r > 0 ? e->type : NULL;
    const char *what = describe_object(s, obj, name);
    if (PyModule_Check(obj) || PyCallable_Check(obj))
        return kn_infer_error(s, e->loc, "%s cannot be used as a value in nopython mode", what);
    return kn_infer_error(s, e->loc,
                          "global '%s' is a %s: only numbers and tuples of numbers can be "
                          "frozen into compiled code",
                          name, what);
}

// NAME: a local's type so far, or a global frozen into a constant
static const kn_type *infer_name(kn_infer_state *s, kn_expr *e)
{
    if (e->var) {
        if (!e->var->type && s->strict)
            return kn_infer_error(s, e->loc,
                                  "'%s' has no type here: no assignment gives it one before "
                                  "this use",
                                  e->sval);
        return e->var->type;
    }
    PyObject *obj = kn_infer_object(s, e);
    if (!obj)
        return kn_infer_error(s, e->loc, "unknown name '%s'", e->sval);
    return global_value(s, e, obj, e->sval);
}

// module.name (math.pi) | value.name (z.real, z.imag)
static const kn_type *infer_attr(kn_infer_state *s, kn_expr *e)
{
    PyObject *module = kn_infer_object(s, e->value);
    if (module && PyModule_Check(module)) {
        PyObject *obj = kn_infer_object(s, e);
        if (!obj)
            return kn_infer_error(s, e->loc, "module '%s' has no attribute '%s'",
                                  PyModule_GetName(module), e->sval);
        if (kn_infer_cuda_intrinsic(obj))
            return kn_infer_cuda_attr(s, e);
        return global_value(s, e, obj, aprintf(s, "%s.%s", e->value->sval, e->sval));
    }
    const kn_type *t = kn_infer_expr(s, e->value);
    if (!t)
        return NULL;
    switch (t->kind) {
    case KN_COMPLEX:
        if (!strcmp(e->sval, "real") || !strcmp(e->sval, "imag"))
            return float64();
        break;
    case KN_ARRAY:
        return kn_infer_array_attr(s, e, t);
    default:
        break;
    }
    return kn_infer_error(s, e->loc, "%s has no attribute '%s'", t->name, e->sval);
}

/* ---- operators ---- */

static int is_real(const kn_type *t)
{
    return kn_type_is_number(t) && t->kind != KN_COMPLEX;
}

static int is_inexact(const kn_type *t)
{
    return t->kind == KN_FLOAT || t->kind == KN_COMPLEX;
}

/*
 * Integer arithmetic as Numba types it: at least 64 bits, signed when
 * either side is (bool counts as signed): int8 + int8 is int64, uint64 +
 * uint64 stays uint64, int64 + uint64 is int64.
 */
static const kn_type *int_result(const kn_type *a, const kn_type *b)
{
    int is_unsigned = a->kind == KN_UINT && b->kind == KN_UINT;
    return is_unsigned ? kn_type_uint(64) : int64();
}

static const kn_type *arith_result(kn_op op, const kn_type *a, const kn_type *b)
{
    int ints = !is_inexact(a) && !is_inexact(b);
    int complex = a->kind == KN_COMPLEX || b->kind == KN_COMPLEX;
    switch (op) {
    case KN_OP_ADD:
    case KN_OP_SUB:
    case KN_OP_MUL:
    case KN_OP_POW:
        return ints ? int_result(a, b) : kn_type_unify(a, b);
    case KN_OP_DIV:
        return ints ? float64() : kn_type_unify(a, b);
    case KN_OP_FLOORDIV:
    case KN_OP_MOD:
        if (complex)
            return NULL;
        return ints ? int_result(a, b) : kn_type_unify(a, b);
    case KN_OP_LSHIFT:
    case KN_OP_RSHIFT:
        return ints ? int_result(a, b) : NULL;
    case KN_OP_BITAND:
    case KN_OP_BITOR:
    case KN_OP_BITXOR:
        if (a->kind == KN_BOOL && b->kind == KN_BOOL)
            return a;
        return ints ? int_result(a, b) : NULL;
    default:
        return NULL; /* @ needs arrays */
    }
}

/* + - * / // % **: the operators with a loop for floats too */
static int is_arithmetic(kn_op op)
{
    return op <= KN_OP_POW;
}

/* bool op bool on array items, as NumPy's loops: + is or, * is and, // % ** << >> count in int8. */
static const kn_type *bool_items(kn_op op, const kn_type *r)
{
    switch (op) {
    case KN_OP_ADD:
    case KN_OP_MUL:
    case KN_OP_BITAND:
    case KN_OP_BITOR:
    case KN_OP_BITXOR:
        return kn_type_bool();
    default:
        return r ? kn_type_int(8) : NULL;
    }
}

/*
 * Arithmetic on array items as NumPy's ufunc loops type it, which Numba
 * follows: integers keep their width (int8 + int8 is int8, int8 + uint8 is
 * int16, uint64 + int64 is float64, where no integer holds both), and true
 * division of integers up to 16 bits gives float32.
 */
static const kn_type *item_result(kn_op op, const kn_type *a, const kn_type *b)
{
    const kn_type *r = arith_result(op, a, b);
    if (!r || is_inexact(a) || is_inexact(b))
        return r;
    const kn_type *t = kn_type_unify(a, b);
    if (op == KN_OP_DIV)
        return kn_type_unify(t, kn_type_float(32));
    if (t->kind == KN_BOOL)
        return bool_items(op, r);
    if (is_inexact(t) && !is_arithmetic(op))
        return NULL; /* no bitwise loop for uint64 with a signed integer */
    return t;
}

/* A literal or frozen integer below zero: x ** -2 is a float, as in Numba. */
static int negative_constant(const kn_expr *e)
{
    return (e->kind == KN_E_INT || (e->kind == KN_E_CONST && kn_type_is_integer(e->type))) &&
           e->ival < 0;
}

/* A number NumPy would see is below zero: a negative constant, or a negated number. */
int kn_infer_negative(const kn_expr *e)
{
    return negative_constant(e) || (e->kind == KN_E_UNARY && e->op == KN_OP_NEG);
}

static const char *op_verb(kn_op op)
{
    switch (op) {
    case KN_OP_ADD:
        return "add";
    case KN_OP_SUB:
        return "subtract";
    case KN_OP_MUL:
        return "multiply";
    case KN_OP_DIV:
        return "divide";
    case KN_OP_FLOORDIV:
        return "floor-divide";
    case KN_OP_MOD:
        return "take the remainder of";
    case KN_OP_POW:
        return "raise to a power";
    case KN_OP_LSHIFT:
    case KN_OP_RSHIFT:
        return "shift";
    case KN_OP_BITAND:
        return "bitwise-and";
    case KN_OP_BITOR:
        return "bitwise-or";
    case KN_OP_BITXOR:
        return "bitwise-xor";
    case KN_OP_MATMUL:
        return "matrix-multiply";
    default:
        return "compare";
    }
}

const char *kn_infer_op_symbol(kn_op op)
{
    static const char *const symbols[] = {
        [KN_OP_ADD] = "+",        [KN_OP_SUB] = "-",       [KN_OP_MUL] = "*",
        [KN_OP_DIV] = "/",        [KN_OP_FLOORDIV] = "//", [KN_OP_MOD] = "%",
        [KN_OP_POW] = "**",       [KN_OP_LSHIFT] = "<<",   [KN_OP_RSHIFT] = ">>",
        [KN_OP_BITAND] = "&",     [KN_OP_BITOR] = "|",     [KN_OP_BITXOR] = "^",
        [KN_OP_MATMUL] = "@",     [KN_OP_NEG] = "-",       [KN_OP_POS] = "+",
        [KN_OP_INVERT] = "~",     [KN_OP_NOT] = "not",     [KN_OP_EQ] = "==",
        [KN_OP_NE] = "!=",        [KN_OP_LT] = "<",        [KN_OP_LE] = "<=",
        [KN_OP_GT] = ">",         [KN_OP_GE] = ">=",       [KN_OP_IS] = "is",
        [KN_OP_ISNOT] = "is not", [KN_OP_IN] = "in",       [KN_OP_NOTIN] = "not in",
        [KN_OP_AND] = "and",      [KN_OP_OR] = "or",
    };
    return symbols[op];
}

static const kn_type *operator_error(kn_infer_state *s, kn_op op, kn_expr *a, kn_expr *b,
                                     kn_loc loc)
{
    const char *ta = kn_infer_describe(s, a), *tb = kn_infer_describe(s, b);
    kn_infer_error(s, loc, "cannot %s %s and %s", op_verb(op), ta, tb);
    kn_diag_note(&s->diags, "the operator is '%s'; the left operand is %s, the right %s",
                 kn_infer_op_symbol(op), ta, tb);
    return NULL;
}

/* What arithmetic sees of an operand: an array's items, or the number itself. */
static const kn_type *item_type(const kn_type *t)
{
    return t->kind == KN_ARRAY ? t->dtype : t;
}

/*
 * A scalar against an array's items, as NumPy and Numba type it: a scalar of
 * a lower kind takes the items' type (float32 array * 2 stays float32,
 * int8 array * True stays int8); one of the same or a higher kind promotes.
 * uint64 items with an integer stay uint64, as NumPy types n >= 0: Numba's
 * int64 for n would turn them into float64 and lose their low bits. A
 * negative constant (or a negated number) promotes, as NumPy types it.
 */
static const kn_type *scalar_as_item(const kn_expr *e, const kn_type *scalar, const kn_type *item)
{
    if (!kn_type_is_number(scalar) || !kn_type_is_number(item))
        return scalar;
    if (item == kn_type_uint(64) && kn_type_is_integer(scalar) && !kn_infer_negative(e))
        return item;
    return kn_type_rank(scalar) < kn_type_rank(item) ? item : scalar;
}

/* An operand's type; a string has none, but the error that follows names it. */
static const kn_type *typed_operand(kn_infer_state *s, kn_expr *e)
{
    return e->kind == KN_E_STR ? NULL : kn_infer_expr(s, e);
}

const kn_type *kn_infer_binary(kn_infer_state *s, kn_op op, kn_expr *a, kn_expr *b, kn_loc loc)
{
    const kn_type *ta = typed_operand(s, a), *tb = typed_operand(s, b);
    if (s->failed || (!ta && a->kind != KN_E_STR) || (!tb && b->kind != KN_E_STR))
        return NULL;
    if (!ta || !tb)
        return operator_error(s, op, a, b, loc);
    const kn_type *sa = item_type(ta), *sb = item_type(tb);
    if (ta->kind == KN_ARRAY && tb->kind != KN_ARRAY)
        sb = scalar_as_item(b, sb, sa);
    else if (tb->kind == KN_ARRAY && ta->kind != KN_ARRAY)
        sa = scalar_as_item(a, sa, sb);
    int items = ta->kind == KN_ARRAY || tb->kind == KN_ARRAY;
    if (items && op == KN_OP_SUB && sa->kind == KN_BOOL && sb->kind == KN_BOOL)
        return kn_infer_error(s, loc, "numpy boolean subtract, the `-` operator, is not "
                                      "supported, use the bitwise_xor, the `^` operator, or "
                                      "the logical_xor function instead");
    const kn_type *t = !kn_type_is_number(sa) || !kn_type_is_number(sb) ? NULL
                       : items ? item_result(op, sa, sb)
                               : arith_result(op, sa, sb);
    if (!t)
        return operator_error(s, op, a, b, loc);
    if (items) {
        const kn_type *both[] = {ta, tb};
        return kn_infer_elementwise(t, both, 2);
    }
    /* x ** -2 is a float, as in Numba; array items raise as NumPy's do */
    return op == KN_OP_POW && kn_type_is_integer(t) && negative_constant(b) ? float64() : t;
}

// left op right; a @ b of arrays is np.dot's product
static const kn_type *infer_binop(kn_infer_state *s, kn_expr *e)
{
    if (e->op != KN_OP_MATMUL)
        return kn_infer_binary(s, e->op, e->operands[0], e->operands[1], e->loc);
    const kn_type *a = kn_infer_expr(s, e->operands[0]), *b = kn_infer_expr(s, e->operands[1]);
    if (!a || !b)
        return NULL;
    if (a->kind != KN_ARRAY || b->kind != KN_ARRAY)
        return operator_error(s, e->op, e->operands[0], e->operands[1], e->loc);
    return kn_infer_dot(s, e, a, b);
}

/* The truth value of an expression of type t is used: t must be a number. */
static int check_truth(kn_infer_state *s, kn_expr *e, const kn_type *t)
{
    if (kn_type_is_number(t))
        return 1;
    kn_infer_error(s, e->loc, "the truth value of %s is not supported here (compare it instead)",
                   kn_infer_describe(s, e));
    return 0;
}

int kn_infer_condition(kn_infer_state *s, kn_expr *e)
{
    const kn_type *t = kn_infer_expr(s, e);
    return t && check_truth(s, e, t);
}

static const kn_type *unary_result(kn_op op, const kn_type *t)
{
    if (t->kind == KN_BOOL && op == KN_OP_INVERT)
        return t; /* Numba's ~True is False, not Python's -2 */
    if (kn_type_is_number(t) && !is_inexact(t))
        return int_result(t, t);
    if (kn_type_is_number(t) && op != KN_OP_INVERT)
        return t;
    return NULL;
}

// -x | +x | ~x | not x
static const kn_type *infer_unary(kn_infer_state *s, kn_expr *e)
{
    if (e->op == KN_OP_NOT)
        return kn_infer_condition(s, e->value) ? kn_type_bool() : NULL;
    const kn_type *t = kn_infer_expr(s, e->value);
    if (!t)
        return NULL;
    const kn_type *r = unary_result(e->op, item_type(t));
    if (t->kind == KN_ARRAY && t->dtype->kind == KN_BOOL && e->op == KN_OP_NEG)
        return kn_infer_error(s, e->loc, "The numpy boolean negative, the `-` operator, is not "
                                         "supported, use the `~` operator or the logical_not "
                                         "function instead");
    if (r && t->kind == KN_ARRAY && (kn_type_is_integer(t->dtype) || t->dtype->kind == KN_BOOL))
        r = t->dtype; /* -a of int8 items stays int8, +a of bools stays bool, as NumPy's */
    if (!r)
        return kn_infer_error(s, e->loc, "bad operand type for unary %s: %s",
                              kn_infer_op_symbol(e->op), kn_infer_describe(s, e->value));
    return t->kind == KN_ARRAY ? kn_infer_elementwise(r, &t, 1) : r;
}

static int comparable(kn_op op, const kn_type *a, const kn_type *b)
{
    if (!kn_type_is_number(a) || !kn_type_is_number(b))
        return 0;
    return op == KN_OP_EQ || op == KN_OP_NE || (is_real(a) && is_real(b));
}

// a < b <= c ...: each pair compared in the type both unify to
static const kn_type *infer_compare(kn_infer_state *s, kn_expr *e)
{
    int known = 1;
    for (int i = 0; i < e->noperands - 1; i++) {
        kn_expr *a = e->operands[i], *b = e->operands[i + 1];
        kn_op op = e->ops[i];
        if (op == KN_OP_IS || op == KN_OP_ISNOT || op == KN_OP_IN || op == KN_OP_NOTIN)
            return kn_infer_error(
                s, e->loc, "'%s' is not supported in nopython mode%s", kn_infer_op_symbol(op),
                op == KN_OP_IS || op == KN_OP_ISNOT ? "; compare values with ==" : "");
        const kn_type *ta = typed_operand(s, a), *tb = typed_operand(s, b);
        if (s->failed)
            return NULL;
        int have_a = ta || a->kind == KN_E_STR, have_b = tb || b->kind == KN_E_STR;
        known &= have_a && have_b;
        if (have_a && have_b && !(ta && tb && comparable(op, item_type(ta), item_type(tb))))
            return operator_error(s, op, a, b, e->loc);
        if (ta && tb && (ta->kind == KN_ARRAY || tb->kind == KN_ARRAY)) {
            if (e->noperands > 2)
                return kn_infer_error(s, e->loc, "chained comparisons of arrays are ambiguous");
            const kn_type *both[] = {ta, tb};
            return kn_infer_elementwise(kn_type_bool(), both, 2);
        }
    }
    return known ? kn_type_bool() : NULL;
}

/*
 * The union of the operand types, for and/or (whose operands are also
 * conditions: truth) and conditional expressions. An operand not typed yet
 * (a recursive call before any return gave the function a type) leaves the
 * union of the others, as the other branch of an if statement does: the
 * next pass widens it, and the strict pass reports what stays unknown.
 */
static const kn_type *unify_operands(kn_infer_state *s, kn_expr *e, kn_expr **ops, int n, int truth,
                                     const char *where)
{
    const kn_type *t = NULL;
    for (int i = 0; i < n; i++) {
        const kn_type *ti = kn_infer_expr(s, ops[i]);
        if (!ti || (truth && !check_truth(s, ops[i], ti)))
            continue;
        if (ti->kind == KN_VOID)
            return kn_infer_error(s, ops[i]->loc, "%s cannot give None here", where);
        const kn_type *u = t ? kn_type_unify(t, ti) : ti;
        if (!u)
            return kn_infer_error(s, e->loc, "%s gives %s or %s, which do not unify", where,
                                  t->name, ti->name);
        t = u;
    }
    return s->failed ? NULL : t;
}

// a and b and ... | a or b or ...: Python's value, in the union of the operands' types
static const kn_type *infer_boolop(kn_infer_state *s, kn_expr *e)
{
    return unify_operands(s, e, e->operands, e->noperands, 1,
                          e->op == KN_OP_AND ? "'and'" : "'or'");
}

// then if cond else orelse
static const kn_type *infer_ifexp(kn_infer_state *s, kn_expr *e)
{
    if (!kn_infer_condition(s, e->operands[0]) && s->failed)
        return NULL;
    return unify_operands(s, e, e->operands + 1, 2, 0, "this conditional expression");
}

// (a, b, ...)
static const kn_type *infer_tuple(kn_infer_state *s, kn_expr *e)
{
    const kn_type *fields[e->noperands ? e->noperands : 1];
    int known = 1;
    for (int i = 0; i < e->noperands; i++) {
        fields[i] = kn_infer_expr(s, e->operands[i]);
        if (s->failed)
            return NULL;
        if (fields[i] && fields[i]->kind == KN_VOID)
            return kn_infer_error(s, e->operands[i]->loc, "a tuple cannot hold None");
        known &= fields[i] != NULL;
    }
    return known ? kn_type_tuple(fields, e->noperands) : NULL;
}

/* A compile-time integer index: a literal or a frozen global. */
static int constant_index(kn_infer_state *s, kn_expr *index, int64_t *out)
{
    const kn_type *t = kn_infer_expr(s, index);
    if (!t || (index->kind != KN_E_INT && index->kind != KN_E_CONST) || !kn_type_is_integer(t))
        return 0;
    *out = index->ival;
    return 1;
}

// tuple[i] with i a constant: negative counts from the end; the field index goes in ival
static const kn_type *tuple_item(kn_infer_state *s, kn_expr *e, const kn_type *t)
{
    if (e->index->kind == KN_E_SLICE)
        return kn_infer_error(s, e->index->loc, "tuple slices are not supported yet");
    int64_t i;
    if (!constant_index(s, e->index, &i))
        return s->failed ? NULL
                         : kn_infer_error(s, e->index->loc,
                                          "a tuple index must be a constant integer, such as "
                                          "t[0] or t[-1]");
    int64_t at = i < 0 ? i + t->nfields : i;
    if (at < 0 || at >= t->nfields)
        return kn_infer_error(s, e->index->loc, "tuple index %lld is out of range for %s",
                              (long long)i, t->name);
    e->ival = at;
    return t->fields[at];
}

// value[index]
static const kn_type *infer_subscript(kn_infer_state *s, kn_expr *e)
{
    const kn_type *t = kn_infer_expr(s, e->value);
    if (!t)
        return NULL;
    switch (t->kind) {
    case KN_TUPLE:
        return tuple_item(s, e, t);
    case KN_ARRAY:
        return kn_infer_array_subscript(s, e, t);
    default:
        return kn_infer_error(s, e->loc, "%s cannot be indexed", kn_infer_describe(s, e->value));
    }
}

/* What only object mode compiles, in the words Python programmers know it by. */
static const kn_type *object_only(kn_infer_state *s, kn_expr *e)
{
    static const char *const names[] = {
        [KN_E_BYTES] = "bytes literal",
        [KN_E_ELLIPSIS] = "Ellipsis",
        [KN_E_LIST] = "list display",
        [KN_E_SET] = "set display",
        [KN_E_DICT] = "dict display",
        [KN_E_STARRED] = "starred expression",
        [KN_E_LISTCOMP] = "list comprehension",
        [KN_E_SETCOMP] = "set comprehension",
        [KN_E_DICTCOMP] = "dict comprehension",
        [KN_E_COMPFOR] = "comprehension",
        [KN_E_FSTRING] = "f-string",
        [KN_E_FORMAT] = "f-string",
    };
    return kn_infer_error(s, e->loc, "%s is not supported in nopython mode", names[e->kind]);
}

const kn_type *kn_infer_expr(kn_infer_state *s, kn_expr *e)
{
    const kn_type *t = NULL;
    if (!e || s->failed)
        return NULL;
    switch (e->kind) {
    case KN_E_INT:
        if (e->sval)
            return kn_infer_error(s, e->loc, "integer literal does not fit in int64");
        t = int64();
        break;
    case KN_E_FLOAT:
        t = float64();
        break;
    case KN_E_COMPLEX:
        t = kn_type_complex128();
        break;
    case KN_E_BOOL:
        t = kn_type_bool();
        break;
    case KN_E_NONE:
        t = kn_type_void();
        break;
    case KN_E_CONST:
    case KN_E_VALUE:
        t = e->type;
        break;
    case KN_E_STR:
        return kn_infer_error(s, e->loc,
                              "strings are supported only as exception and assert messages");
    case KN_E_SLICE:
        return kn_infer_error(s, e->loc, "a slice is supported only inside [] of an array");
    case KN_E_NAME:
        t = infer_name(s, e);
        break;
    case KN_E_ATTR:
        t = infer_attr(s, e);
        break;
    case KN_E_UNARY:
        t = infer_unary(s, e);
        break;
    case KN_E_BINARY:
        t = infer_binop(s, e);
        break;
    case KN_E_COMPARE:
        t = infer_compare(s, e);
        break;
    case KN_E_BOOLOP:
        t = infer_boolop(s, e);
        break;
    case KN_E_IFEXP:
        t = infer_ifexp(s, e);
        break;
    case KN_E_CALL:
        t = kn_infer_call(s, e);
        break;
    case KN_E_TUPLE:
        t = infer_tuple(s, e);
        break;
    case KN_E_SUBSCRIPT:
        t = infer_subscript(s, e);
        break;
    case KN_E_BYTES:
    case KN_E_ELLIPSIS:
    case KN_E_LIST:
    case KN_E_SET:
    case KN_E_DICT:
    case KN_E_STARRED:
    case KN_E_LISTCOMP:
    case KN_E_SETCOMP:
    case KN_E_DICTCOMP:
    case KN_E_COMPFOR:
    case KN_E_FSTRING:
    case KN_E_FORMAT:
        return object_only(s, e);
    }
    e->type = t;
    return t;
}
