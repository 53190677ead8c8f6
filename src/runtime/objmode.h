/* Object mode's runtime: items of NumPy arrays and arithmetic on NumPy floats without the C API's
 * detours. */
#ifndef KN_RUNTIME_OBJMODE_H
#define KN_RUNTIME_OBJMODE_H

#include <Python.h>

/*
 * c[i] (PyObject_GetItem) and c[i] = v (PyObject_SetItem), with fast
 * paths as CPython 3.11 specializes them: an exact dict's item by its
 * key; an exact list's by an exact int index (negative counting from the
 * end); and an exact 1-D ndarray of float64 or int64 items in native byte
 * order, aligned, by an exact int index in range: the item read or
 * written where it lies, the read boxed as the NumPy scalar NumPy makes
 * (numpy.float64, numpy.int64), the write taking an exact int or float,
 * or the array's own scalar type. Everything else, errors included, goes
 * to the C API call, so the results and messages are NumPy's and Python's.
 */
PyObject *kn_rt_obj_getitem(PyObject *c, PyObject *i);
int kn_rt_obj_setitem(PyObject *c, PyObject *i, PyObject *v);
/* The same with a native index, which the fallback boxes. */
PyObject *kn_rt_obj_getitem_at(PyObject *c, Py_ssize_t i);
int kn_rt_obj_setitem_at(PyObject *c, Py_ssize_t i, PyObject *v);

/* The binary operators kn_rt_obj_binary knows, as generated code passes them. */
enum {
    KN_RT_OBJ_ADD,
    KN_RT_OBJ_SUB,
    KN_RT_OBJ_MUL,
    KN_RT_OBJ_DIV,
    KN_RT_OBJ_NOPS,
};

/*
 * l op r, natively when one operand is a numpy.float64 and the other one
 * too or an exact float, and the result is a normal float or an exact
 * zero: then NumPy would raise no floating point warning, and the result
 * is the numpy.float64 NumPy makes. Else fallback(l, r), the C API
 * function of op (PyNumber_Add, PyNumber_InPlaceAdd...).
 */
PyObject *kn_rt_obj_binary(PyObject *l, PyObject *r, int op, binaryfunc fallback);

/* What a call site of obj.name(...) keeps of its last lookup (zeros before the first). */
typedef struct kn_rt_method_cache {
    PyTypeObject *type;
    unsigned int version; /* the type's tp_version_tag then */
    PyObject *method;     /* a reference the cache holds */
} kn_rt_method_cache;

/*
 * _PyObject_GetMethod(self, name, method) (LOAD_METHOD): 1 with an unbound
 * method in *method, 0 with a bound one or NULL and an error. A site
 * remembers a method descriptor found on the type of an object without an
 * instance dict, under the type's version tag (CPython changes it on every
 * change to the type or its bases, and never reuses one): while the tag
 * is the same, that descriptor is the answer, as LOAD_METHOD_NO_DICT
 * caches it.
 */
int kn_rt_obj_get_method(PyObject *self, PyObject *name, PyObject **method,
                         kn_rt_method_cache *cache);

/* d.get(key, fallback) on an exact dict (fallback NULL: None): a new reference, or NULL. */
PyObject *kn_rt_obj_dict_get(PyObject *d, PyObject *key, PyObject *fallback);

#endif
