/* The few features written in Python (jedi calls, inspect): their sources, compiled once. */
#include "session/internal.h"

PyObject *kn_session_helper(kn_session *s, const char *name, const char *source)
{
    PyObject *fn = PyDict_GetItemString(s->helpers, name);
    if (fn)
        return fn;
    /* A namespace of its own: nothing of it shows in the user's __main__. */
    PyObject *ns =
        Py_BuildValue("{s:O,s:s}", "__builtins__", PyEval_GetBuiltins(), "__name__", "kiln");
    PyObject *r = ns ? PyRun_String(source, Py_file_input, ns, ns) : NULL;
    fn = r ? PyDict_GetItemString(ns, name) : NULL;
    if (fn && PyDict_SetItemString(s->helpers, name, fn) < 0)
        fn = NULL;
    else if (r && !fn)
        PyErr_Format(PyExc_NameError, "helper %s is not defined by its source", name);
    Py_XDECREF(r);
    Py_XDECREF(ns);
    return fn;
}
