/* Safe conversions between Kiln types, and the conversion of Python values along them. */
#include "pymod/convert.h"

/* Integer widening: same signedness and no narrower, or unsigned into a wider signed type. */
static int integer_widens(const kn_type *from, const kn_type *to)
{
    if (from->kind == to->kind)
        return to->bits >= from->bits;
    return from->kind == KN_UINT && to->bits > from->bits;
}

static int tuple_converts(const kn_type *from, const kn_type *to, int narrowing)
{
    if (from->kind != KN_TUPLE || from->nfields != to->nfields)
        return 0;
    for (int i = 0; i < to->nfields; i++)
        if (!kn_pymod_converts(from->fields[i], to->fields[i], narrowing))
            return 0;
    return 1;
}

static int integer_converts(const kn_type *from, const kn_type *to, int narrowing)
{
    if (from->kind == KN_BOOL)
        return 1;
    return kn_type_is_integer(from) && (narrowing || integer_widens(from, to));
}

static int float_converts(const kn_type *from, const kn_type *to, int narrowing)
{
    if (from->kind == KN_BOOL)
        return 1;
    if (kn_type_is_integer(from)) /* float32 holds 16-bit integers exactly */
        return narrowing || to->bits == 64 || from->bits <= 16;
    return from->kind == KN_FLOAT && (narrowing || to->bits >= from->bits);
}

int kn_pymod_converts(const kn_type *from, const kn_type *to, int narrowing)
{
    if (from == to)
        return 1;
    switch (to->kind) {
    case KN_INT:
    case KN_UINT:
        return integer_converts(from, to, narrowing);
    case KN_FLOAT:
        return float_converts(from, to, narrowing);
    case KN_COMPLEX:
        return kn_type_is_number(from);
    case KN_TUPLE:
        return tuple_converts(from, to, narrowing);
    case KN_ARRAY:
        return from->kind == KN_ARRAY && from->dtype == to->dtype && from->ndim == to->ndim &&
               (to->layout == 'A' || to->layout == from->layout) &&
               (to->readonly || !from->readonly);
    default:
        return 0;
    }
}

static PyObject *convert_tuple(PyObject *value, const kn_type *from, const kn_type *to)
{
    PyObject *tuple = PyTuple_New(to->nfields);
    for (int i = 0; tuple && i < to->nfields; i++) {
        PyObject *item =
            kn_pymod_convert(PyTuple_GET_ITEM(value, i), from->fields[i], to->fields[i]);
        if (!item)
            Py_CLEAR(tuple);
        else
            PyTuple_SET_ITEM(tuple, i, item);
    }
    return tuple;
}

/* 1 when the int i is in the range of the integer type t. */
static int fits(PyObject *i, const kn_type *t)
{
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(i, &overflow);
    if (overflow > 0 && t->kind == KN_UINT && t->bits == 64) {
        PyLong_AsUnsignedLongLong(i);
        overflow = PyErr_Occurred() != NULL;
        PyErr_Clear();
        return !overflow;
    }
    if (overflow)
        return 0;
    if (t->kind == KN_UINT)
        return v >= 0 && (t->bits == 64 || v < 1LL << t->bits);
    return t->bits == 64 || (v >= -(1LL << (t->bits - 1)) && v < 1LL << (t->bits - 1));
}

static PyObject *to_integer(PyObject *value, const kn_type *to)
{
    PyObject *i = PyNumber_Index(value);
    if (!i || fits(i, to))
        return i;
    PyErr_Format(PyExc_OverflowError, "%R is out of the range of %s", i, to->name);
    Py_DECREF(i);
    return NULL;
}

static PyObject *to_float(PyObject *value)
{
    double d = PyFloat_AsDouble(value);
    return d == -1.0 && PyErr_Occurred() ? NULL : PyFloat_FromDouble(d);
}

static PyObject *to_complex(PyObject *value)
{
    Py_complex c = PyComplex_AsCComplex(value);
    return c.real == -1.0 && PyErr_Occurred() ? NULL : PyComplex_FromCComplex(c);
}

PyObject *kn_pymod_convert(PyObject *value, const kn_type *from, const kn_type *to)
{
    if (from == to)
        return Py_NewRef(value);
    switch (to->kind) {
    case KN_INT:
    case KN_UINT:
        return to_integer(value, to);
    case KN_FLOAT:
        return to_float(value);
    case KN_COMPLEX:
        return to_complex(value);
    case KN_TUPLE:
        return convert_tuple(value, from, to);
    default:
        return Py_NewRef(value); /* an array: the same one, seen with layout A */
    }
}
