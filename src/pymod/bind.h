/* A call's arguments matched to the jitted function's parameters, keywords and defaults. */
#ifndef KN_PYMOD_BIND_H
#define KN_PYMOD_BIND_H

#include <Python.h>

/*
 * Binds args (nargs positional ones, then one per name in kwnames, as
 * vectorcall passes them) to the parameters of func, a Python function, as
 * Python would: keywords by name, defaults for what is missing. out
 * receives at most max new references, in parameter order. Returns their
 * number, or -1 with TypeError (Python's messages). Functions with *args,
 * **kwargs or keyword-only parameters take positional arguments only.
 */
int kn_pymod_bind(PyObject *func, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                  PyObject **out, int max);

#endif
