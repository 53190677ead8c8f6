/* Boxing and unboxing between Python objects and the native values of compiled code. */
#include "runtime/box.h"

int kn_rt_unbox_int(PyObject *o, uint64_t *out)
{
    /* The mask variant wraps instead of raising OverflowError, negative values included. */
    unsigned long long v = PyLong_AsUnsignedLongLongMask(o);
    if (v == (unsigned long long)-1 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

int kn_rt_unbox_float(PyObject *o, double *out)
{
    double v = PyFloat_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

int kn_rt_unbox_bool(PyObject *o, int8_t *out)
{
    int v = PyObject_IsTrue(o);
    if (v < 0)
        return -1;
    *out = (int8_t)v;
    return 0;
}

int kn_rt_unbox_complex(PyObject *o, double *out)
{
    Py_complex v = PyComplex_AsCComplex(o);
    if (v.real == -1.0 && PyErr_Occurred())
        return -1;
    out[0] = v.real;
    out[1] = v.imag;
    return 0;
}

PyObject *kn_rt_unbox_tuple_item(PyObject *o, int64_t i, int64_t n)
{
    if (!PyTuple_Check(o) || PyTuple_GET_SIZE(o) != n) {
        PyErr_Format(PyExc_TypeError, "expected a tuple of %lld items, got %R", (long long)n, o);
        return NULL;
    }
    return PyTuple_GET_ITEM(o, i);
}

PyObject *kn_rt_box_bool(int8_t b)
{
    return PyBool_FromLong(b);
}

PyObject *kn_rt_box_none(void)
{
    Py_RETURN_NONE;
}

PyObject *kn_rt_box_tuple(PyObject **items, int64_t n)
{
    PyObject *t = NULL;
    for (int64_t i = 0; i < n; i++)
        if (!items[i])
            goto fail;
    t = PyTuple_New(n);
    if (!t)
        goto fail;
    for (int64_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, items[i]);
    return t;
fail:
    for (int64_t i = 0; i < n; i++)
        Py_XDECREF(items[i]);
    return NULL;
}
