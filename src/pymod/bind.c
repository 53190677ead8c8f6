/* Binding a call's positional and keyword arguments to a function's parameters, with defaults. */
#include "pymod/bind.h"

#include <string.h>

static int too_many(PyObject *func, int max)
{
    PyErr_Format(PyExc_TypeError, "%U(): Kiln compiles functions of at most %d arguments",
                 ((PyFunctionObject *)func)->func_qualname, max);
    return -1;
}

static int copy_positional(PyObject *const *args, Py_ssize_t n, PyObject **out)
{
    for (Py_ssize_t i = 0; i < n; i++)
        out[i] = Py_NewRef(args[i]);
    return (int)n;
}

/* The parameter named name among the first n of names, or -1. */
static int parameter_index(PyObject *names, int n, PyObject *name)
{
    for (int i = 0; i < n; i++)
        if (PyUnicode_Compare(PyTuple_GET_ITEM(names, i), name) == 0)
            return i;
    return -1;
}

/* Puts each keyword argument into its parameter's slot; 0 or -1 with TypeError. */
static int bind_keywords(PyObject *func, PyCodeObject *co, PyObject *const *values,
                         PyObject *kwnames, PyObject **slots)
{
    PyObject *qualname = ((PyFunctionObject *)func)->func_qualname;
    PyObject *names = PyCode_GetVarnames(co);
    if (!names)
        return -1;
    int rc = 0;
    for (Py_ssize_t k = 0; rc == 0 && k < PyTuple_GET_SIZE(kwnames); k++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, k);
        int i = parameter_index(names, co->co_argcount, name);
        rc = -1;
        if (i < 0)
            PyErr_Format(PyExc_TypeError, "%U() got an unexpected keyword argument '%U'", qualname,
                         name);
        else if (i < co->co_posonlyargcount)
            PyErr_Format(
                PyExc_TypeError,
                "%U() got some positional-only arguments passed as keyword arguments: '%U'",
                qualname, name);
        else if (slots[i])
            PyErr_Format(PyExc_TypeError, "%U() got multiple values for argument '%U'", qualname,
                         name);
        else {
            slots[i] = Py_NewRef(values[k]);
            rc = 0;
        }
    }
    Py_DECREF(names);
    return rc;
}

/* Fills the empty slots from func's defaults; 0 or -1 with TypeError for a missing argument. */
static int bind_defaults(PyObject *func, PyCodeObject *co, PyObject **slots)
{
    PyObject *defaults = PyFunction_GET_DEFAULTS(func);
    int ndefaults = defaults ? (int)PyTuple_GET_SIZE(defaults) : 0;
    int first_default = co->co_argcount - ndefaults;
    for (int i = 0; i < co->co_argcount; i++) {
        if (slots[i])
            continue;
        if (i >= first_default) {
            slots[i] = Py_NewRef(PyTuple_GET_ITEM(defaults, i - first_default));
            continue;
        }
        PyObject *names = PyCode_GetVarnames(co);
        if (names)
            PyErr_Format(PyExc_TypeError, "%U() missing required argument: '%U'",
                         ((PyFunctionObject *)func)->func_qualname, PyTuple_GET_ITEM(names, i));
        Py_XDECREF(names);
        return -1;
    }
    return 0;
}

static void release(PyObject **slots, int n)
{
    for (int i = 0; i < n; i++)
        Py_CLEAR(slots[i]);
}

int kn_pymod_bind(PyObject *func, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                  PyObject **out, int max)
{
    PyCodeObject *co = (PyCodeObject *)PyFunction_GET_CODE(func);
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    int plain = !(co->co_flags & (CO_VARARGS | CO_VARKEYWORDS)) && !co->co_kwonlyargcount;
    if (!plain) {
        if (nkw) {
            PyErr_Format(PyExc_TypeError,
                         "%U(): keyword arguments are not supported for functions with *args, "
                         "**kwargs or keyword-only parameters",
                         ((PyFunctionObject *)func)->func_qualname);
            return -1;
        }
        return nargs > max ? too_many(func, max) : copy_positional(args, nargs, out);
    }
    int argc = co->co_argcount;
    if (argc > max)
        return too_many(func, max);
    if (nargs > argc) {
        PyErr_Format(PyExc_TypeError, "%U() takes %d positional argument%s but %zd were given",
                     ((PyFunctionObject *)func)->func_qualname, argc, argc == 1 ? "" : "s", nargs);
        return -1;
    }
    memset(out, 0, sizeof *out * argc);
    copy_positional(args, nargs, out);
    if ((nkw && bind_keywords(func, co, args + nargs, kwnames, out) < 0) ||
        bind_defaults(func, co, out) < 0) {
        release(out, argc);
        return -1;
    }
    return argc;
}
