/* A call's arguments matched to a Python function's parameters: by position, by name, defaults. */
#include "compiler/callargs.h"

#include <string.h>

enum { UNSET = -2 }; /* a slot no argument filled yet */

static PyObject *qualname(PyObject *func)
{
    return ((PyFunctionObject *)func)->func_qualname;
}

static PyCodeObject *code(PyObject *func)
{
    return (PyCodeObject *)PyFunction_GET_CODE(func);
}

static int too_many(PyObject *func, int max)
{
    PyErr_Format(PyExc_TypeError, "%U(): Kiln compiles functions of at most %d arguments",
                 qualname(func), max);
    return -1;
}

/* The parameter named name among the first n of names, or -1. */
static int parameter_index(PyObject *names, int n, const char *name)
{
    for (int i = 0; i < n; i++) {
        const char *p = PyUnicode_AsUTF8(PyTuple_GET_ITEM(names, i));
        if (p && !strcmp(p, name))
            return i;
    }
    return -1;
}

/* Argument arg, passed as name=..., into its parameter's slot; 0, or -1 with TypeError. */
static int bind_keyword(PyObject *func, PyObject *names, const char *name, int arg, int *slots)
{
    PyCodeObject *co = code(func);
    int i = parameter_index(names, co->co_argcount, name);
    const char *why = i < 0                        ? "got an unexpected keyword argument"
                      : i < co->co_posonlyargcount ? "got some positional-only arguments "
                                                     "passed as keyword arguments:"
                      : slots[i] != UNSET          ? "got multiple values for argument"
                                                   : NULL;
    if (why) {
        PyErr_Format(PyExc_TypeError, "%U() %s '%s'", qualname(func), why, name);
        return -1;
    }
    slots[i] = arg;
    return 0;
}

static int bind_keywords(PyObject *func, int nargs, const char *const *kwnames, int nkw, int *slots)
{
    PyObject *names = PyCode_GetVarnames(code(func));
    int rc = names ? 0 : -1;
    for (int k = 0; rc == 0 && k < nkw; k++)
        rc = bind_keyword(func, names, kwnames[k], nargs + k, slots);
    Py_XDECREF(names);
    return rc;
}

/* The slots no argument filled take their defaults; 0, or -1 with TypeError for a missing one. */
static int bind_defaults(PyObject *func, int *slots)
{
    PyObject *defaults = PyFunction_GET_DEFAULTS(func);
    int argc = code(func)->co_argcount;
    int first_default = argc - (defaults ? (int)PyTuple_GET_SIZE(defaults) : 0);
    for (int i = 0; i < argc; i++) {
        if (slots[i] != UNSET)
            continue;
        if (i >= first_default) {
            slots[i] = KN_BIND_DEFAULT;
            continue;
        }
        PyObject *names = PyCode_GetVarnames(code(func));
        if (names)
            PyErr_Format(PyExc_TypeError, "%U() missing required argument: '%U'", qualname(func),
                         PyTuple_GET_ITEM(names, i));
        Py_XDECREF(names);
        return -1;
    }
    return 0;
}

/* *args, **kwargs or keyword-only parameters: the arguments are taken as they come. */
static int bind_positional_only(PyObject *func, int nargs, int nkw, int *slots, int max)
{
    if (nkw) {
        PyErr_Format(PyExc_TypeError,
                     "%U(): keyword arguments are not supported for functions with *args, "
                     "**kwargs or keyword-only parameters",
                     qualname(func));
        return -1;
    }
    if (nargs > max)
        return too_many(func, max);
    for (int i = 0; i < nargs; i++)
        slots[i] = i;
    return nargs;
}

int kn_bind_arguments(PyObject *func, int nargs, const char *const *kwnames, int nkw, int *slots,
                      int max)
{
    PyCodeObject *co = code(func);
    if ((co->co_flags & (CO_VARARGS | CO_VARKEYWORDS)) || co->co_kwonlyargcount)
        return bind_positional_only(func, nargs, nkw, slots, max);
    int argc = co->co_argcount;
    if (argc > max)
        return too_many(func, max);
    if (nargs > argc) {
        PyErr_Format(PyExc_TypeError, "%U() takes %d positional argument%s but %d were given",
                     qualname(func), argc, argc == 1 ? "" : "s", nargs);
        return -1;
    }
    for (int i = 0; i < argc; i++)
        slots[i] = i < nargs ? i : UNSET;
    if (bind_keywords(func, nargs, kwnames, nkw, slots) < 0 || bind_defaults(func, slots) < 0)
        return -1;
    return argc;
}

PyObject *kn_bind_default(PyObject *func, int i)
{
    PyObject *defaults = PyFunction_GET_DEFAULTS(func);
    int first_default = code(func)->co_argcount - (int)PyTuple_GET_SIZE(defaults);
    return PyTuple_GET_ITEM(defaults, i - first_default);
}
