/* Kiln types as Python objects: int64(...) makes a signature, int64[:] an array type. */
#include "pymod/typeobj.h"

#include <string.h>

typedef struct typeobj {
    PyObject_HEAD const kn_type *type;
} typeobj;

typedef struct sigobj {
    PyObject_HEAD kn_signature sig;
} sigobj;

static PyTypeObject type_type;
static PyTypeObject sig_type;

/*
 * address of a kn_type -> its typeobj. Types are interned and immortal, so
 * one Python object each makes identity, == and hash agree with the C side
 * without any code of ours.
 */
static PyObject *interned;

PyObject *kn_pymod_type_object(const kn_type *t)
{
    if (!interned && !(interned = PyDict_New()))
        return NULL;
    PyObject *key = PyLong_FromVoidPtr((void *)t);
    if (!key)
        return NULL;
    PyObject *o = PyDict_GetItemWithError(interned, key);
    if (o || PyErr_Occurred()) {
        Py_DECREF(key);
        return Py_XNewRef(o);
    }
    typeobj *self = PyObject_New(typeobj, &type_type);
    if (self) {
        self->type = t;
        if (PyDict_SetItem(interned, key, (PyObject *)self) < 0)
            Py_CLEAR(self);
    }
    Py_DECREF(key);
    return (PyObject *)self;
}

const kn_type *kn_pymod_type_of_object(PyObject *o)
{
    return Py_IS_TYPE(o, &type_type) ? ((typeobj *)o)->type : NULL;
}

PyObject *kn_pymod_type_tuple(const kn_type *const *types, int n)
{
    PyObject *tuple = PyTuple_New(n);
    for (int i = 0; tuple && i < n; i++) {
        PyObject *item = kn_pymod_type_object(types[i]);
        if (!item)
            Py_CLEAR(tuple);
        else
            PyTuple_SET_ITEM(tuple, i, item);
    }
    return tuple;
}

static PyObject *type_repr(PyObject *self)
{
    return PyUnicode_FromString(((typeobj *)self)->type->name);
}

/* A value argument of a signature: any Kiln type but none. */
static const kn_type *arg_type(PyObject *o)
{
    const kn_type *t = kn_pymod_type_of_object(o);
    if (t && t->kind != KN_VOID)
        return t;
    PyErr_Format(PyExc_TypeError,
                 "the arguments of a signature must be Kiln types such as int64, not %R", o);
    return NULL;
}

/* Arguments of a signature from a tuple of type objects; 0 or -1 with TypeError. */
static int args_from_tuple(PyObject *tuple, kn_signature *sig)
{
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    if (n > (Py_ssize_t)(sizeof sig->args / sizeof sig->args[0])) {
        PyErr_SetString(PyExc_TypeError, "a signature has at most 32 arguments");
        return -1;
    }
    sig->nargs = (int)n;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!(sig->args[i] = arg_type(PyTuple_GET_ITEM(tuple, i))))
            return -1;
    return 0;
}

// float64(int64, int64): the signature returning this type
static PyObject *type_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    if (kwargs && PyDict_GET_SIZE(kwargs)) {
        PyErr_SetString(PyExc_TypeError, "a signature takes no keyword arguments");
        return NULL;
    }
    kn_signature sig = {.ret = ((typeobj *)self)->type};
    if (args_from_tuple(args, &sig) < 0)
        return NULL;
    return kn_pymod_signature_object(&sig);
}

/*
 * Step of one dimension in int64[:, ::1]: 0 for ":", 1 for "::1", -1 for
 * anything else (no exception set), as numba.types accepts them.
 */
static int dim_step(PyObject *o)
{
    if (!PySlice_Check(o))
        return -1;
    PySliceObject *s = (PySliceObject *)o;
    if (s->start != Py_None || s->stop != Py_None)
        return -1;
    if (s->step == Py_None)
        return 0;
    return PyLong_CheckExact(s->step) && PyLong_AsLong(s->step) == 1 ? 1 : -1;
}

static PyObject *bad_dims(PyObject *key)
{
    PyErr_Format(PyExc_KeyError,
                 "Can only index Kiln types with slices with no start or stop, got %R.", key);
    return NULL;
}

/* The array type of dtype for the dimensions dims: ::1 last is C order, first is F, else A. */
static PyObject *array_of(const kn_type *dtype, PyObject *dims, PyObject *key)
{
    Py_ssize_t n = PyTuple_GET_SIZE(dims);
    if (n == 0)
        return bad_dims(key);
    int first = 0, last = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int step = dim_step(PyTuple_GET_ITEM(dims, i));
        if (step < 0)
            return bad_dims(key);
        first = i == 0 ? step : first;
        last = step;
    }
    char layout = last ? 'C' : first && n > 1 ? 'F' : 'A';
    const kn_type *t = kn_type_array(dtype, (int)n, layout);
    if (!t) {
        PyErr_Format(PyExc_TypeError, "there are no arrays of %s", dtype->name);
        return NULL;
    }
    return kn_pymod_type_object(t);
}

// int64[:], float64[:, ::1], float64[::1, :]: array types
static PyObject *type_subscript(PyObject *self, PyObject *key)
{
    const kn_type *dtype = ((typeobj *)self)->type;
    if (PyTuple_Check(key))
        return array_of(dtype, key, key);
    PyObject *dims = PyTuple_Pack(1, key);
    if (!dims)
        return NULL;
    PyObject *r = array_of(dtype, dims, key);
    Py_DECREF(dims);
    return r;
}

static PyObject *no_attribute(PyObject *self, const char *name)
{
    PyErr_Format(PyExc_AttributeError, "%s has no attribute '%s'", ((typeobj *)self)->type->name,
                 name);
    return NULL;
}

static PyObject *get_name(PyObject *self, void *closure)
{
    (void)closure;
    return type_repr(self);
}

static PyObject *get_bitwidth(PyObject *self, void *closure)
{
    const kn_type *t = ((typeobj *)self)->type;
    if (!kn_type_is_number(t))
        return no_attribute(self, closure);
    return PyLong_FromLong(t->bits);
}

static PyObject *get_dtype(PyObject *self, void *closure)
{
    const kn_type *t = ((typeobj *)self)->type;
    return t->kind == KN_ARRAY ? kn_pymod_type_object(t->dtype) : no_attribute(self, closure);
}

static PyObject *get_ndim(PyObject *self, void *closure)
{
    const kn_type *t = ((typeobj *)self)->type;
    return t->kind == KN_ARRAY ? PyLong_FromLong(t->ndim) : no_attribute(self, closure);
}

static PyObject *get_layout(PyObject *self, void *closure)
{
    const kn_type *t = ((typeobj *)self)->type;
    return t->kind == KN_ARRAY ? PyUnicode_FromStringAndSize(&t->layout, 1)
                               : no_attribute(self, closure);
}

static PyObject *get_types(PyObject *self, void *closure)
{
    const kn_type *t = ((typeobj *)self)->type;
    return t->kind == KN_TUPLE ? kn_pymod_type_tuple(t->fields, t->nfields)
                               : no_attribute(self, closure);
}

/* Each getter's closure is its name, for the AttributeError of types that lack it. */
static PyGetSetDef type_getset[] = {
    {"name", get_name, NULL, "the type's name, as numba.types spells it", NULL},
    {"bitwidth", get_bitwidth, NULL, "numbers: the width in bits", "bitwidth"},
    {"dtype", get_dtype, NULL, "arrays: the element type", "dtype"},
    {"ndim", get_ndim, NULL, "arrays: the number of dimensions", "ndim"},
    {"layout", get_layout, NULL, "arrays: 'C', 'F' or 'A'", "layout"},
    {"types", get_types, NULL, "tuples: the types of the items", "types"},
    {NULL},
};

static PyMappingMethods type_as_mapping = {.mp_subscript = type_subscript};

static PyTypeObject type_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kiln.Type",
    .tp_basicsize = sizeof(typeobj),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A Kiln type: call it to make a signature (float64(int64)), "
              "subscript it to make an array type (float64[:, ::1]).",
    .tp_repr = type_repr,
    .tp_call = type_call,
    .tp_as_mapping = &type_as_mapping,
    .tp_getset = type_getset,
};

PyObject *kn_pymod_signature_object(const kn_signature *sig)
{
    sigobj *self = PyObject_New(sigobj, &sig_type);
    if (self)
        self->sig = *sig;
    return (PyObject *)self;
}

static PyObject *sig_args(PyObject *self, void *closure)
{
    (void)closure;
    const kn_signature *sig = &((sigobj *)self)->sig;
    return kn_pymod_type_tuple(sig->args, sig->nargs);
}

static PyObject *sig_return_type(PyObject *self, void *closure)
{
    (void)closure;
    return kn_pymod_type_object(((sigobj *)self)->sig.ret);
}

// "(int64, int64) -> float64", as Numba's Signature prints
static PyObject *sig_repr(PyObject *self)
{
    PyObject *args = sig_args(self, NULL);
    if (!args)
        return NULL;
    PyObject *r = PyUnicode_FromFormat("%R -> %s", args, ((sigobj *)self)->sig.ret->name);
    Py_DECREF(args);
    return r;
}

static int same_signature(const kn_signature *a, const kn_signature *b)
{
    return a->ret == b->ret && kn_signature_takes(a, b->args, b->nargs);
}

static PyObject *sig_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!Py_IS_TYPE(b, &sig_type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int same = same_signature(&((sigobj *)a)->sig, &((sigobj *)b)->sig);
    return PyBool_FromLong(op == Py_EQ ? same : !same);
}

static Py_hash_t sig_hash(PyObject *self)
{
    const kn_signature *sig = &((sigobj *)self)->sig;
    Py_uhash_t h = (Py_uhash_t)(uintptr_t)sig->ret;
    for (int i = 0; i < sig->nargs; i++)
        h = h * 1000003u ^ (Py_uhash_t)(uintptr_t)sig->args[i];
    return h == (Py_uhash_t)-1 ? -2 : (Py_hash_t)h;
}

static PyGetSetDef sig_getset[] = {
    {"args", sig_args, NULL, "the argument types, a tuple", NULL},
    {"return_type", sig_return_type, NULL, "the type of the result", NULL},
    {NULL},
};

static PyTypeObject sig_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kiln.Signature",
    .tp_basicsize = sizeof(sigobj),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A function's signature: its argument types and return type.",
    .tp_repr = sig_repr,
    .tp_hash = sig_hash,
    .tp_richcompare = sig_richcompare,
    .tp_getset = sig_getset,
};

static int signature_from_text(PyObject *o, kn_signature *sig)
{
    const char *text = PyUnicode_AsUTF8(o);
    if (!text)
        return -1;
    char err[256];
    if (kn_signature_parse(text, sig, err, sizeof err) == 0)
        return 0;
    PyErr_Format(PyExc_TypeError, "invalid signature %R: %s", o, err);
    return -1;
}

int kn_pymod_signature_from(PyObject *o, kn_signature *sig)
{
    memset(sig, 0, sizeof *sig);
    if (PyUnicode_Check(o))
        return signature_from_text(o, sig);
    if (Py_IS_TYPE(o, &sig_type)) {
        *sig = ((sigobj *)o)->sig;
        return 0;
    }
    if (PyTuple_Check(o))
        return args_from_tuple(o, sig);
    PyErr_Format(PyExc_TypeError,
                 "a signature is a string such as \"float64(int64)\", a signature object such as "
                 "float64(int64) or a tuple of argument types, not %R",
                 o);
    return -1;
}

int kn_pymod_is_signature_like(PyObject *o)
{
    return PyUnicode_Check(o) || Py_IS_TYPE(o, &sig_type) || PyTuple_Check(o);
}

/* The names the kiln module gives types: numba's, with its short aliases. */
static const char *const type_names[] = {
    "int8",       "int16", "int32",   "int64",   "uint8",  "uint16",  "uint32", "uint64",
    "intp",       "uintp", "float32", "float64", "double", "boolean", "b1",     "bool_",
    "complex128", "void",  "none",    "i1",      "i2",     "i4",      "i8",     "u1",
    "u2",         "u4",    "u8",      "f4",      "f8",     "c16",
};

int kn_pymod_types_add(PyObject *m)
{
    if (PyType_Ready(&type_type) < 0 || PyType_Ready(&sig_type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Type", (PyObject *)&type_type) < 0 ||
        PyModule_AddObjectRef(m, "Signature", (PyObject *)&sig_type) < 0)
        return -1;
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++) {
        PyObject *o = kn_pymod_type_object(kn_type_parse(type_names[i], NULL, 0));
        int rc = o ? PyModule_AddObjectRef(m, type_names[i], o) : -1;
        Py_XDECREF(o);
        if (rc < 0)
            return -1;
    }
    return 0;
}
