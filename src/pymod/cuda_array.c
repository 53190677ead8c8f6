/* kiln.cuda's device arrays: DeviceNDArray, to_device, device_array(_like), copy_to_host. */
#include "pymod/cuda.h"

#include <string.h>
#include <structmember.h>

#include "pymod/typeof.h"

/* host as a C-contiguous ndarray: itself when it is one already, else a copy. */
static PyObject *contiguous(PyObject *host)
{
    PyObject *args = PyTuple_Pack(1, host);
    PyObject *c = args ? kn_pymod_cuda_numpy("ascontiguousarray", args) : NULL;
    Py_XDECREF(args);
    return c;
}

static void dealloc(PyObject *self)
{
    kn_pymod_device_array *d = (kn_pymod_device_array *)self;
    kn_gpu_free(d->ptr);
    Py_XDECREF(d->shape);
    Py_XDECREF(d->strides);
    Py_XDECREF(d->dtype);
    Py_TYPE(self)->tp_free(self);
}

/* d's shape, strides, dtype and kernel type from c, a C-contiguous ndarray. 0 or -1. */
static int describe(kn_pymod_device_array *d, PyObject *c)
{
    const kn_type *t = kn_pymod_typeof(c);
    if (!t || t->kind != KN_ARRAY) {
        if (t)
            PyErr_SetString(PyExc_TypeError, "kiln.cuda: expected a NumPy array");
        return -1;
    }
    d->type =
        kn_type_array(t->dtype, t->ndim, 'C'); /* writable on the device, whatever the host's */
    d->shape = PyObject_GetAttrString(c, "shape");
    d->strides = d->shape ? PyObject_GetAttrString(c, "strides") : NULL;
    d->dtype = d->strides ? PyObject_GetAttrString(c, "dtype") : NULL;
    return d->dtype ? 0 : -1;
}

/* Allocates d's memory and, with copy, fills it from c's buffer. 0 or -1. */
static int fill(kn_pymod_device_array *d, PyObject *c, int copy)
{
    Py_buffer view;
    if (PyObject_GetBuffer(c, &view, PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    d->nbytes = (size_t)view.len;
    int rc = kn_gpu_alloc(&d->ptr, d->nbytes);
    if (rc == 0 && copy)
        rc = kn_gpu_to_device(d->ptr, view.buf, d->nbytes);
    PyBuffer_Release(&view);
    if (rc < 0)
        kn_pymod_cuda_raise();
    return rc;
}

kn_pymod_device_array *kn_pymod_device_array_from(PyObject *host, int copy)
{
    PyObject *c = contiguous(host);
    if (!c)
        return NULL;
    kn_pymod_device_array *d = PyObject_New(kn_pymod_device_array, &kn_pymod_device_array_type);
    if (d) {
        d->ptr = 0;
        d->shape = d->strides = d->dtype = NULL;
        if (describe(d, c) < 0 || fill(d, c, copy) < 0)
            Py_CLEAR(d);
    }
    Py_DECREF(c);
    return d;
}

int kn_pymod_device_array_into(kn_pymod_device_array *d, PyObject *host)
{
    PyObject *c = contiguous(host);
    if (!c)
        return -1;
    Py_buffer view;
    int rc = PyObject_GetBuffer(c, &view, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE);
    if (rc == 0) {
        if ((size_t)view.len != d->nbytes) {
            PyErr_Format(PyExc_ValueError, "kiln.cuda: copying %zu bytes into a host array of %zd",
                         d->nbytes, view.len);
            rc = -1;
        } else if (kn_gpu_to_host(view.buf, d->ptr, d->nbytes) < 0) {
            kn_pymod_cuda_raise();
            rc = -1;
        }
        PyBuffer_Release(&view);
    }
    if (rc == 0 && c != host) /* host is not C-contiguous: its items from the copy */
        rc = PyObject_SetItem(host, Py_Ellipsis, c);
    Py_DECREF(c);
    return rc;
}

/* shape without its axes of 1, as a list. */
static PyObject *squeezed(PyObject *shape)
{
    PyObject *list = PyList_New(0);
    PyObject *t = list ? PySequence_Tuple(shape) : NULL;
    for (Py_ssize_t i = 0; t && i < PyTuple_GET_SIZE(t); i++) {
        PyObject *n = PyTuple_GET_ITEM(t, i);
        long v = PyLong_AsLong(n);
        if ((v == -1 && PyErr_Occurred()) || (v != 1 && PyList_Append(list, n) < 0))
            Py_CLEAR(t);
    }
    if (!t)
        Py_CLEAR(list);
    Py_XDECREF(t);
    return list;
}

/* numpy.empty(shape, dtype): the host array a device array's layout is read from. */
static PyObject *empty(PyObject *shape, PyObject *dtype)
{
    PyObject *args = PyTuple_Pack(2, shape, dtype);
    PyObject *a = args ? kn_pymod_cuda_numpy("empty", args) : NULL;
    Py_XDECREF(args);
    return a;
}

/*
 * Whether host can take d's items or give it its own, as numba.cuda checks
 * it: the same dtype (else TypeError), the same shape but for axes of 1
 * (else ValueError). 0 or -1.
 */
static int compatible(kn_pymod_device_array *d, PyObject *host)
{
    PyObject *dtype = PyObject_GetAttrString(host, "dtype");
    PyObject *shape = dtype ? PyObject_GetAttrString(host, "shape") : NULL;
    int same = shape ? PyObject_RichCompareBool(d->dtype, dtype, Py_EQ) : -1;
    if (same == 0)
        PyErr_Format(PyExc_TypeError, "incompatible dtype: %S vs. %S", d->dtype, dtype);
    PyObject *mine = same > 0 ? squeezed(d->shape) : NULL;
    PyObject *theirs = mine ? squeezed(shape) : NULL;
    int fits = theirs ? PyObject_RichCompareBool(mine, theirs, Py_EQ) : -1;
    if (fits == 0)
        PyErr_Format(PyExc_ValueError, "incompatible shape: %S vs. %S", d->shape, shape);
    Py_XDECREF(theirs);
    Py_XDECREF(mine);
    Py_XDECREF(shape);
    Py_XDECREF(dtype);
    return fits > 0 ? 0 : -1;
}

// d.copy_to_host(ary=None, stream=0)
static PyObject *copy_to_host(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"ary", "stream", NULL};
    PyObject *ary = Py_None, *stream = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:copy_to_host", names, &ary, &stream))
        return NULL;
    kn_pymod_device_array *d = (kn_pymod_device_array *)self;
    if (ary != Py_None && compatible(d, ary) < 0)
        return NULL;
    PyObject *host = ary == Py_None ? empty(d->shape, d->dtype) : Py_NewRef(ary);
    if (host && kn_pymod_device_array_into(d, host) < 0)
        Py_CLEAR(host);
    return host;
}

// d.copy_to_device(ary, stream=0)
static PyObject *copy_to_device(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"ary", "stream", NULL};
    PyObject *ary, *stream = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:copy_to_device", names, &ary, &stream))
        return NULL;
    kn_pymod_device_array *d = (kn_pymod_device_array *)self;
    PyObject *c = contiguous(ary);
    if (!c || compatible(d, c) < 0) {
        Py_XDECREF(c);
        return NULL;
    }
    Py_buffer view;
    int rc = PyObject_GetBuffer(c, &view, PyBUF_C_CONTIGUOUS);
    if (rc == 0) {
        if ((size_t)view.len != d->nbytes) {
            PyErr_Format(PyExc_ValueError,
                         "kiln.cuda: copying %zd bytes into a device array of %zu", view.len,
                         d->nbytes);
            rc = -1;
        } else if ((rc = kn_gpu_to_device(d->ptr, view.buf, d->nbytes)) < 0) {
            kn_pymod_cuda_raise();
        }
        PyBuffer_Release(&view);
    }
    Py_DECREF(c);
    return rc < 0 ? NULL : Py_NewRef(Py_None);
}

static PyObject *get_ndim(PyObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromLong(((kn_pymod_device_array *)self)->type->ndim);
}

static PyObject *get_size(PyObject *self, void *closure)
{
    (void)closure;
    kn_pymod_device_array *d = (kn_pymod_device_array *)self;
    int itemsize = d->type->dtype->kind == KN_BOOL ? 1 : d->type->dtype->bits / 8;
    return PyLong_FromSize_t(d->nbytes / (size_t)itemsize);
}

static PyObject *repr(PyObject *self)
{
    kn_pymod_device_array *d = (kn_pymod_device_array *)self;
    return PyUnicode_FromFormat("<kiln.cuda.DeviceNDArray shape=%R dtype=%S>", d->shape, d->dtype);
}

static PyMethodDef methods[] = {
    {"copy_to_host", (PyCFunction)(void (*)(void))copy_to_host, METH_VARARGS | METH_KEYWORDS,
     "copy_to_host(ary=None, stream=0): the items, into ary or a new ndarray."},
    {"copy_to_device", (PyCFunction)(void (*)(void))copy_to_device, METH_VARARGS | METH_KEYWORDS,
     "copy_to_device(ary, stream=0): ary's items (its shape and dtype) onto the GPU."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef members[] = {
    {"shape", T_OBJECT, offsetof(kn_pymod_device_array, shape), READONLY, NULL},
    {"strides", T_OBJECT, offsetof(kn_pymod_device_array, strides), READONLY, NULL},
    {"dtype", T_OBJECT, offsetof(kn_pymod_device_array, dtype), READONLY, NULL},
    {"nbytes", T_PYSSIZET, offsetof(kn_pymod_device_array, nbytes), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef getset[] = {
    {"ndim", get_ndim, NULL, NULL, NULL},
    {"size", get_size, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject kn_pymod_device_array_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kiln.cuda.DeviceNDArray",
    .tp_basicsize = sizeof(kn_pymod_device_array),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An array in the GPU's memory, C-ordered: cuda.to_device(ary), cuda.device_array().",
    .tp_dealloc = dealloc,
    .tp_repr = repr,
    .tp_methods = methods,
    .tp_members = members,
    .tp_getset = getset,
};

// cuda.to_device(ary, stream=0, copy=True)
static PyObject *to_device(PyObject *module, PyObject *args, PyObject *kwargs)
{
    (void)module;
    static char *names[] = {"obj", "stream", "copy", NULL};
    PyObject *obj, *stream = NULL;
    int copy = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|Op:to_device", names, &obj, &stream, &copy))
        return NULL;
    return (PyObject *)kn_pymod_device_array_from(obj, copy);
}

static PyObject *uninitialized(PyObject *shape, PyObject *dtype)
{
    PyObject *host = empty(shape, dtype);
    PyObject *d = host ? (PyObject *)kn_pymod_device_array_from(host, 0) : NULL;
    Py_XDECREF(host);
    return d;
}

// cuda.device_array(shape, dtype=np.float64, strides=None, order='C', stream=0)
static PyObject *device_array(PyObject *module, PyObject *args, PyObject *kwargs)
{
    (void)module;
    static char *names[] = {"shape", "dtype", "strides", "order", "stream", NULL};
    PyObject *shape, *dtype = (PyObject *)&PyFloat_Type, *strides = NULL, *order = NULL,
                     *stream = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OOOO:device_array", names, &shape, &dtype,
                                     &strides, &order, &stream))
        return NULL;
    const char *o = order && PyUnicode_Check(order) ? PyUnicode_AsUTF8(order) : "";
    if (order && strcmp(o, "C"))
        return PyErr_Format(PyExc_NotImplementedError,
                            "kiln.cuda.device_array: order=%R: device arrays are C-ordered "
                            "(order='C') only",
                            order);
    if (strides && strides != Py_None)
        return PyErr_Format(PyExc_NotImplementedError,
                            "kiln.cuda.device_array: strides=%R: device arrays are C-ordered and "
                            "take their strides from the shape",
                            strides);
    return uninitialized(shape, dtype);
}

// cuda.device_array_like(ary, stream=0)
static PyObject *device_array_like(PyObject *module, PyObject *args, PyObject *kwargs)
{
    (void)module;
    static char *names[] = {"ary", "stream", NULL};
    PyObject *ary, *stream = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:device_array_like", names, &ary, &stream))
        return NULL;
    PyObject *shape = PyObject_GetAttrString(ary, "shape");
    PyObject *dtype = shape ? PyObject_GetAttrString(ary, "dtype") : NULL;
    PyObject *d = dtype ? uninitialized(shape, dtype) : NULL;
    Py_XDECREF(shape);
    Py_XDECREF(dtype);
    return d;
}

static PyMethodDef functions[] = {
    {"to_device", (PyCFunction)(void (*)(void))to_device, METH_VARARGS | METH_KEYWORDS,
     "to_device(ary, stream=0, copy=True): a DeviceNDArray holding ary's items."},
    {"device_array", (PyCFunction)(void (*)(void))device_array, METH_VARARGS | METH_KEYWORDS,
     "device_array(shape, dtype=np.float64): an uninitialized DeviceNDArray."},
    {"device_array_like", (PyCFunction)(void (*)(void))device_array_like,
     METH_VARARGS | METH_KEYWORDS, "device_array_like(ary): uninitialized, ary's shape and dtype."},
    {NULL, NULL, 0, NULL},
};

int kn_pymod_cuda_arrays_add(PyObject *cuda)
{
    if (PyType_Ready(&kn_pymod_device_array_type) < 0 ||
        PyModule_AddObjectRef(cuda, "DeviceNDArray", (PyObject *)&kn_pymod_device_array_type) < 0)
        return -1;
    return PyModule_AddFunctions(cuda, functions);
}
