/* Binding a call's positional and keyword arguments to a function's parameters, with defaults. */
#include "pymod/bind.h"

#include "compiler/callargs.h"

int kn_pymod_bind(PyObject *func, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                  PyObject **out, int max)
{
    int nkw = kwnames ? (int)PyTuple_GET_SIZE(kwnames) : 0;
    const char *names[nkw > 0 ? nkw : 1];
    for (int k = 0; k < nkw; k++)
        if (!(names[k] = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, k))))
            return -1;
    int slots[max];
    int n = kn_bind_arguments(func, (int)nargs, names, nkw, slots, max);
    for (int i = 0; i < n; i++)
        out[i] = Py_NewRef(slots[i] == KN_BIND_DEFAULT ? kn_bind_default(func, i) : args[slots[i]]);
    return n;
}
