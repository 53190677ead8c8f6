/* kiln.typeof: Python values to Kiln types, as numba.typeof maps them. */
#include "pymod/typeof.h"

#include <stdarg.h>

#include "pymod/typeobj.h"

/* Only the struct accessors of NumPy's headers: no C API table is needed to read an array. */
#define NO_IMPORT_ARRAY
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

static const kn_type *cannot_type(PyObject *value)
{
    PyErr_Format(PyExc_ValueError, "Cannot determine Kiln type of %R", (PyObject *)Py_TYPE(value));
    return NULL;
}

/* ValueError "Cannot determine Kiln type of <type>: Kiln has no <what>", what as PyUnicode_FromFormat
 * makes it. Returns NULL. */
static const kn_type *kiln_has_no(PyObject *value, const char *what, ...)
{
    va_list args;
    va_start(args, what);
    PyObject *text = PyUnicode_FromFormatV(what, args);
    va_end(args);
    if (text)
        PyErr_Format(PyExc_ValueError, "Cannot determine Kiln type of %R: Kiln has no %U",
                     (PyObject *)Py_TYPE(value), text);
    Py_XDECREF(text);
    return NULL;
}

/* int64 when it fits, else uint64 when that fits, as Numba types literals and arguments. */
static const kn_type *typeof_int(PyObject *value)
{
    int overflow;
    PyLong_AsLongLongAndOverflow(value, &overflow);
    if (!overflow)
        return kn_type_int(64);
    if (overflow > 0) {
        PyLong_AsUnsignedLongLong(value);
        if (!PyErr_Occurred())
            return kn_type_uint(64);
        PyErr_Clear();
    }
    PyErr_Format(PyExc_ValueError, "Int value is too large: %R", value);
    return NULL;
}

static const kn_type *typeof_tuple(PyObject *value)
{
    Py_ssize_t n = PyTuple_GET_SIZE(value);
    const kn_type **fields = PyMem_Malloc(sizeof *fields * (n ? n : 1));
    if (!fields)
        return (const kn_type *)PyErr_NoMemory();
    const kn_type *t = NULL;
    if (Py_EnterRecursiveCall(" while typing a nested tuple") == 0) {
        Py_ssize_t i = 0;
        while (i < n && (fields[i] = kn_pymod_typeof(PyTuple_GET_ITEM(value, i))))
            i++;
        t = i == n ? kn_type_tuple(fields, (int)n) : NULL;
        Py_LeaveRecursiveCall();
    }
    PyMem_Free(fields);
    if (!t && !PyErr_Occurred())
        return cannot_type(value);
    return t;
}

/* NumPy's ndarray and generic (its scalars), once NumPy has been imported by someone else. */
static PyObject *np_ndarray, *np_generic;

static int numpy_loaded(void)
{
    if (np_ndarray)
        return 1;
    PyObject *modules = PySys_GetObject("modules");
    PyObject *np = modules ? PyDict_GetItemString(modules, "numpy") : NULL;
    if (!np)
        return 0;
    np_ndarray = PyObject_GetAttrString(np, "ndarray");
    np_generic = PyObject_GetAttrString(np, "generic");
    if (np_ndarray && np_generic)
        return 1;
    Py_CLEAR(np_ndarray);
    Py_CLEAR(np_generic);
    PyErr_Clear();
    return 0;
}

/* The scalar type of value.dtype: float32, int8, bool...; NULL with ValueError for the rest. */
static const kn_type *typeof_dtype(PyObject *value)
{
    PyObject *dtype = PyObject_GetAttrString(value, "dtype");
    PyObject *name = dtype ? PyObject_GetAttrString(dtype, "name") : NULL;
    const char *text = name ? PyUnicode_AsUTF8(name) : NULL;
    const kn_type *t = text ? kn_type_parse(text, NULL, 0) : NULL;
    PyErr_Clear();
    if (!t || !kn_type_is_number(t))
        t = text ? kiln_has_no(value, "%s values", text) : cannot_type(value);
    Py_XDECREF(name);
    Py_XDECREF(dtype);
    return t;
}

/*
 * The number type of an array's items, read from its descriptor's type
 * number (where NumPy 1 and 2 agree): NULL for other dtypes, user-defined
 * ones included, and for items not in this machine's byte order, which
 * compiled code would read wrongly.
 */
static const kn_type *item_type(const PyArray_Descr *d)
{
    if (!PyArray_ISNBO(d->byteorder))
        return NULL;
    switch (d->type_num) {
    case NPY_BOOL:
        return kn_type_bool();
    case NPY_BYTE:
        return kn_type_int(NPY_BITSOF_CHAR);
    case NPY_UBYTE:
        return kn_type_uint(NPY_BITSOF_CHAR);
    case NPY_SHORT:
        return kn_type_int(NPY_BITSOF_SHORT);
    case NPY_USHORT:
        return kn_type_uint(NPY_BITSOF_SHORT);
    case NPY_INT:
        return kn_type_int(NPY_BITSOF_INT);
    case NPY_UINT:
        return kn_type_uint(NPY_BITSOF_INT);
    case NPY_LONG:
        return kn_type_int(NPY_BITSOF_LONG);
    case NPY_ULONG:
        return kn_type_uint(NPY_BITSOF_LONG);
    case NPY_LONGLONG:
        return kn_type_int(NPY_BITSOF_LONGLONG);
    case NPY_ULONGLONG:
        return kn_type_uint(NPY_BITSOF_LONGLONG);
    case NPY_FLOAT:
        return kn_type_float(32);
    case NPY_DOUBLE:
        return kn_type_float(64);
    case NPY_CDOUBLE:
        return kn_type_complex128();
    default:
        return NULL;
    }
}

// array(dtype, ndim, layout): C when C-contiguous, else F when Fortran-contiguous, else A;
// readonly when NumPy's writeable flag is off. NULL, with no exception, when Kiln has no such array.
static const kn_type *array_type(PyArrayObject *a)
{
    const kn_type *dtype = item_type(PyArray_DESCR(a));
    if (!dtype)
        return NULL;
    int flags = PyArray_FLAGS(a);
    char layout = flags & NPY_ARRAY_C_CONTIGUOUS   ? 'C'
                  : flags & NPY_ARRAY_F_CONTIGUOUS ? 'F'
                                                   : 'A';
    const kn_type *t = kn_type_array(dtype, PyArray_NDIM(a), layout);
    return t && !(flags & NPY_ARRAY_WRITEABLE) ? kn_type_array_readonly(t) : t;
}

static const kn_type *typeof_array(PyObject *value)
{
    const kn_type *t = array_type((PyArrayObject *)value);
    if (t)
        return t;
    PyObject *dtype = PyObject_GetAttrString(value, "dtype");
    if (!dtype)
        return NULL;
    PyArrayObject *a = (PyArrayObject *)value;
    if (PyArray_NDIM(a) > KN_MAX_NDIM)
        kiln_has_no(value, "arrays of more than %d dimensions", KN_MAX_NDIM);
    else if (!PyArray_ISNBO(PyArray_DESCR(a)->byteorder))
        kiln_has_no(value, "%S arrays (items must be in this machine's byte order)", dtype);
    else
        kiln_has_no(value, "%S arrays", dtype);
    Py_DECREF(dtype);
    return NULL;
}

const kn_type *kn_pymod_typeof_exact_array(PyObject *value)
{
    return np_ndarray && Py_TYPE(value) == (PyTypeObject *)np_ndarray
               ? array_type((PyArrayObject *)value)
               : NULL;
}

/* A numpy.ma array: its mask would be ignored, so Kiln refuses it, as Numba does. */
static int is_masked(PyObject *value)
{
    PyObject *modules = PySys_GetObject("modules");
    PyObject *ma = modules ? PyDict_GetItemString(modules, "numpy.ma") : NULL;
    PyObject *masked = ma ? PyObject_GetAttrString(ma, "MaskedArray") : NULL;
    int yes = masked && PyObject_IsInstance(value, masked) == 1;
    Py_XDECREF(masked);
    PyErr_Clear();
    return yes;
}

static const kn_type *typeof_numpy(PyObject *value)
{
    if (!numpy_loaded())
        return cannot_type(value);
    if (PyObject_TypeCheck(value, (PyTypeObject *)np_ndarray))
        return is_masked(value) ? kiln_has_no(value, "masked arrays (pass a.data, or a.filled(value))")
                                : typeof_array(value);
    if (PyObject_TypeCheck(value, (PyTypeObject *)np_generic))
        return typeof_dtype(value);
    return cannot_type(value);
}

const kn_type *kn_pymod_typeof(PyObject *value)
{
    if (PyBool_Check(value))
        return kn_type_bool();
    if (PyLong_Check(value))
        return typeof_int(value);
    if (PyFloat_Check(value))
        return kn_type_float(64);
    if (PyComplex_Check(value))
        return kn_type_complex128();
    if (PyTuple_Check(value))
        return typeof_tuple(value);
    if (value == Py_None)
        return kn_type_void();
    return typeof_numpy(value);
}

static PyObject *typeof_function(PyObject *module, PyObject *value)
{
    (void)module;
    const kn_type *t = kn_pymod_typeof(value);
    return t ? kn_pymod_type_object(t) : NULL;
}

static PyMethodDef typeof_methods[] = {
    {"typeof", typeof_function, METH_O,
     "typeof(value)\n--\n\nThe Kiln type of value, as numba.typeof gives it: typeof(1) is int64."},
    {NULL},
};

int kn_pymod_typeof_add(PyObject *m)
{
    return PyModule_AddFunctions(m, typeof_methods);
}
