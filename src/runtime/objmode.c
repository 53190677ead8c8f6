/* Object mode's runtime: items of NumPy arrays and arithmetic on NumPy floats without the C API's
 * detours. */
#include "runtime/objmode.h"

#include <float.h>
#include <math.h>
#include <string.h>

/*
 * Only the struct accessors of NumPy's headers are used here, which need
 * no C API table: this file never imports numpy. The ndarray and float64
 * types are recognised by their names (static types, "numpy.ndarray" and
 * "numpy.float64") the first time one comes, and kept.
 */
#define NO_IMPORT_ARRAY
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>
#include <numpy/arrayscalars.h>

/* Set by NumPy itself on views whose writes are deprecated (NPY_ARRAY_WARN_ON_WRITE). */
#define WARN_ON_WRITE (1u << 31)

static PyTypeObject *ndarray_type, *float64_type;

/* Whether t is the static type of that name, remembered in *known once seen. */
static int is_numpy_type(PyTypeObject *t, PyTypeObject **known, const char *name)
{
    if (t == *known)
        return 1;
    if (*known || (t->tp_flags & Py_TPFLAGS_HEAPTYPE) || strcmp(t->tp_name, name))
        return 0;
    *known = t;
    return 1;
}

/*
 * The address of c[i] when c is an exact 1-D ndarray of float64 ('f' in
 * *kind) or int64 ('i') items in native order, aligned (and writeable for
 * a write), and i is in range; NULL otherwise.
 */
static char *item_at(PyObject *c, Py_ssize_t i, int write, char *kind)
{
    if (!is_numpy_type(Py_TYPE(c), &ndarray_type, "numpy.ndarray"))
        return NULL;
    PyArrayObject *a = (PyArrayObject *)c;
    unsigned flags = (unsigned)PyArray_FLAGS(a);
    if (PyArray_NDIM(a) != 1 || PyArray_ITEMSIZE(a) != 8 || !(flags & NPY_ARRAY_ALIGNED) ||
        !PyArray_ISNOTSWAPPED(a))
        return NULL;
    if (write && (flags & (NPY_ARRAY_WRITEABLE | WARN_ON_WRITE)) != NPY_ARRAY_WRITEABLE)
        return NULL;
    int type = PyArray_TYPE(a);
    *kind = type == NPY_DOUBLE ? 'f' : type == NPY_LONG || type == NPY_LONGLONG ? 'i' : 0;
    Py_ssize_t n = PyArray_DIM(a, 0);
    if (i < 0)
        i += n;
    if (!*kind || i < 0 || i >= n)
        return NULL;
    return PyArray_BYTES(a) + i * PyArray_STRIDE(a, 0);
}

/* A NumPy scalar of type t holding the 8 bytes at value, as PyArray_Scalar makes it. */
static PyObject *scalar(PyTypeObject *t, const void *value)
{
    PyObject *s = t->tp_alloc(t, 0);
    if (s)
        memcpy(&((PyDoubleScalarObject *)s)->obval, value, 8);
    return s;
}

/* The index an exact int holds, in *at: 1; else 0 (the C API call gets it). */
static int index_of(PyObject *i, Py_ssize_t *at)
{
    if (!PyLong_CheckExact(i))
        return 0;
    *at = PyLong_AsSsize_t(i);
    if (*at == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    return 1;
}

/* *i as an index into list c, negative ones wrapped: 1 when in range, else 0 (the C API call raises). */
static int list_index(PyObject *c, Py_ssize_t *i)
{
    Py_ssize_t n = PyList_GET_SIZE(c);
    if (*i < 0)
        *i += n;
    return *i >= 0 && *i < n;
}

/* c[i] on the fast path: 1 with *out (a new reference, or NULL and an error), else 0. */
static int get_fast(PyObject *c, Py_ssize_t i, PyObject **out)
{
    if (PyList_CheckExact(c)) {
        if (!list_index(c, &i))
            return 0;
        *out = Py_NewRef(PyList_GET_ITEM(c, i));
        return 1;
    }
    char kind;
    const char *at = item_at(c, i, 0, &kind);
    if (!at)
        return 0;
    PyTypeObject *t = PyArray_DESCR((PyArrayObject *)c)->typeobj;
    if (kind == 'f')
        float64_type = t;
    *out = scalar(t, at);
    return 1;
}

PyObject *kn_rt_obj_getitem(PyObject *c, PyObject *i)
{
    Py_ssize_t at;
    PyObject *r;
    if (PyDict_CheckExact(c)) { /* BINARY_SUBSCR_DICT; a miss raises KeyError in the C API call */
        if ((r = PyDict_GetItemWithError(c, i)))
            return Py_NewRef(r);
        return PyErr_Occurred() ? NULL : PyObject_GetItem(c, i);
    }
    if (index_of(i, &at) && get_fast(c, at, &r))
        return r;
    return PyObject_GetItem(c, i);
}

PyObject *kn_rt_obj_getitem_at(PyObject *c, Py_ssize_t i)
{
    PyObject *r;
    if (get_fast(c, i, &r))
        return r;
    PyObject *boxed = PyLong_FromSsize_t(i);
    r = boxed ? PyObject_GetItem(c, boxed) : NULL;
    Py_XDECREF(boxed);
    return r;
}

/* v as an item of an array of kind 'f' or 'i' whose scalars are t, into *out: 1, else 0. */
static int item_value(PyObject *v, char kind, PyTypeObject *t, void *out)
{
    if (Py_TYPE(v) == t) {
        memcpy(out, &((PyDoubleScalarObject *)v)->obval, 8);
        return 1;
    }
    if (kind == 'f' && PyFloat_CheckExact(v)) {
        double d = PyFloat_AS_DOUBLE(v);
        memcpy(out, &d, 8);
        return 1;
    }
    if (!PyLong_CheckExact(v))
        return 0;
    int overflow = 0;
    long long n = kind == 'i' ? PyLong_AsLongLongAndOverflow(v, &overflow) : 0;
    double d = kind == 'f' ? PyLong_AsDouble(v) : 0.0;
    if (overflow || PyErr_Occurred()) { /* NumPy raises its own error: the C API call's */
        PyErr_Clear();
        return 0;
    }
    if (kind == 'i')
        memcpy(out, &n, 8);
    else
        memcpy(out, &d, 8);
    return 1;
}

/* c[i] = v on the fast path: 1 when done, else 0. */
static int set_fast(PyObject *c, Py_ssize_t i, PyObject *v)
{
    if (PyList_CheckExact(c)) {
        if (!list_index(c, &i))
            return 0;
        PyObject *old = PyList_GET_ITEM(c, i);
        PyList_SET_ITEM(c, i, Py_NewRef(v));
        Py_DECREF(old);
        return 1;
    }
    char kind;
    char *at = item_at(c, i, 1, &kind);
    return at && item_value(v, kind, PyArray_DESCR((PyArrayObject *)c)->typeobj, at);
}

int kn_rt_obj_setitem(PyObject *c, PyObject *i, PyObject *v)
{
    Py_ssize_t at;
    if (PyDict_CheckExact(c)) /* STORE_SUBSCR_DICT */
        return PyDict_SetItem(c, i, v);
    if (index_of(i, &at) && set_fast(c, at, v))
        return 0;
    return PyObject_SetItem(c, i, v);
}

int kn_rt_obj_setitem_at(PyObject *c, Py_ssize_t i, PyObject *v)
{
    if (set_fast(c, i, v))
        return 0;
    PyObject *boxed = PyLong_FromSsize_t(i);
    int rc = boxed ? PyObject_SetItem(c, boxed, v) : -1;
    Py_XDECREF(boxed);
    return rc;
}

/* ---- numpy.float64 arithmetic ---- */

/* v's value in *x: 2 for a numpy.float64, 1 for an exact float, 0 for anything else. */
static int float_operand(PyObject *v, double *x)
{
    if (PyFloat_CheckExact(v)) {
        *x = PyFloat_AS_DOUBLE(v);
        return 1;
    }
    if (!is_numpy_type(Py_TYPE(v), &float64_type, "numpy.float64"))
        return 0;
    *x = PyArrayScalar_VAL(v, Double);
    return 2;
}

/*
 * Whether a op b = v raised no floating point flag NumPy reports
 * (overflow, invalid, divide by zero, underflow): v is a normal number,
 * or a zero that is exact.
 */
static int quiet(int op, double a, double b, double v)
{
    if (isfinite(v) && fabs(v) >= DBL_MIN)
        return 1;
    if (v != 0.0)
        return 0;
    return op == KN_RT_OBJ_ADD || op == KN_RT_OBJ_SUB ||
           (op == KN_RT_OBJ_MUL && (a == 0.0 || b == 0.0)) ||
           (op == KN_RT_OBJ_DIV && a == 0.0 && b != 0.0);
}

PyObject *kn_rt_obj_binary(PyObject *l, PyObject *r, int op, binaryfunc fallback)
{
    double a, b;
    int kl = float_operand(l, &a), kr = kl ? float_operand(r, &b) : 0;
    if (kl && kr && (kl | kr) & 2) {
        double v = op == KN_RT_OBJ_ADD   ? a + b
                   : op == KN_RT_OBJ_SUB ? a - b
                   : op == KN_RT_OBJ_MUL ? a * b
                   : b != 0.0            ? a / b
                                         : NAN;
        if (quiet(op, a, b, v))
            return scalar(float64_type, &v);
    }
    return fallback(l, r);
}

/* ---- methods ---- */

PyObject *kn_rt_obj_dict_get(PyObject *d, PyObject *key, PyObject *fallback)
{
    PyObject *v = PyDict_GetItemWithError(d, key);
    if (!v && PyErr_Occurred())
        return NULL;
    return Py_NewRef(v ? v : fallback ? fallback : Py_None);
}

int kn_rt_obj_get_method(PyObject *self, PyObject *name, PyObject **method,
                         kn_rt_method_cache *cache)
{
    PyTypeObject *t = Py_TYPE(self);
    int valid = PyType_HasFeature(t, Py_TPFLAGS_VALID_VERSION_TAG) && t->tp_version_tag;
    if (valid && t == cache->type && t->tp_version_tag == cache->version) {
        *method = Py_NewRef(cache->method);
        return 1;
    }
    *method = NULL;
    int unbound = _PyObject_GetMethod(self, name, method);
    valid = PyType_HasFeature(t, Py_TPFLAGS_VALID_VERSION_TAG) && t->tp_version_tag;
    if (unbound && *method && valid && t->tp_dictoffset == 0 &&
        t->tp_getattro == PyObject_GenericGetAttr) {
        PyObject *old = cache->method;
        *cache = (kn_rt_method_cache){t, t->tp_version_tag, Py_NewRef(*method)};
        Py_XDECREF(old);
    }
    return unbound;
}
