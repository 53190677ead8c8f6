/* Names as a Python function sees them: closure cells, then its globals, then builtins. */
#include <string.h>

#include "compiler/infer.h"

/* A free variable of a nested function: the value in its closure cell, borrowed. */
static PyObject *closure_value(PyObject *func, const char *name)
{
    PyObject *closure = PyFunction_GET_CLOSURE(func);
    if (!closure)
        return NULL;
    PyObject *names = PyCode_GetFreevars((PyCodeObject *)PyFunction_GET_CODE(func));
    PyObject *value = NULL;
    for (Py_ssize_t i = 0; names && i < PyTuple_GET_SIZE(names) && !value; i++) {
        const char *free = PyUnicode_AsUTF8(PyTuple_GET_ITEM(names, i));
        if (free && !strcmp(free, name) && i < PyTuple_GET_SIZE(closure))
            value = PyCell_GET(PyTuple_GET_ITEM(closure, i));
    }
    Py_XDECREF(names);
    PyErr_Clear();
    return value;
}

/* A borrowed item of a dict, without the KeyError. */
static PyObject *dict_item(PyObject *dict, const char *name)
{
    if (!dict || !PyDict_Check(dict))
        return NULL;
    PyObject *v = PyDict_GetItemString(dict, name);
    PyErr_Clear();
    return v;
}

PyObject *kn_infer_lookup_global(void *pyfunc, const char *name)
{
    PyObject *func = pyfunc;
    if (!func || !PyFunction_Check(func))
        return NULL;
    PyObject *v = closure_value(func, name);
    if (!v)
        v = dict_item(PyFunction_GET_GLOBALS(func), name);
    if (!v)
        v = dict_item(((PyFunctionObject *)func)->func_builtins, name);
    return v;
}
