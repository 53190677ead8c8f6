/* Unit tests' embedded Python: functions defined as a Jupyter cell defines them, and helpers. */
#ifndef KN_TESTS_EMBED_H
#define KN_TESTS_EMBED_H

#include <Python.h>

/*
 * register(src, filename) puts src in linecache under filename, as the
 * session registers a cell; define(src, filename, name) registers src, then
 * execs it, so inspect.getsource finds the function `name` it returns. The
 * tests add helpers of their own.
 */
static const char embed_prelude[] =
    "import linecache, math\n"
    "def register(src, filename):\n"
    "    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)\n"
    "def define(src, filename, name):\n"
    "    register(src, filename)\n"
    "    g = {'__name__': 'cell', 'math': math}\n"
    "    exec(compile(src, filename, 'exec'), g)\n"
    "    return g[name]\n";

/* The namespace the prelude and the test's helpers run in. */
static PyObject *embed_helpers;

/* The test's own helpers, run after the prelude: set it before cmocka runs the group. */
static const char *embed_extra;

/* cmocka's group setup: starts Python, runs the prelude, then embed_extra. */
static inline int embed_setup(void **state)
{
    (void)state;
    Py_InitializeEx(0);
    embed_helpers = PyDict_New();
    PyDict_SetItemString(embed_helpers, "__builtins__", PyEval_GetBuiltins());
    PyObject *r = PyRun_String(embed_prelude, Py_file_input, embed_helpers, embed_helpers);
    if (r && embed_extra) {
        Py_DECREF(r);
        r = PyRun_String(embed_extra, Py_file_input, embed_helpers, embed_helpers);
    }
    if (!r)
        PyErr_Print();
    Py_XDECREF(r);
    return r ? 0 : -1;
}

static inline int embed_teardown(void **state)
{
    (void)state;
    Py_CLEAR(embed_helpers);
    return Py_FinalizeEx();
}

/* A helper of the namespace, borrowed. */
static inline PyObject *embed_helper(const char *name)
{
    return PyDict_GetItemString(embed_helpers, name);
}

/* The function `name` that src defines in the cell file filename: a new reference, or NULL. */
static inline PyObject *embed_define(const char *src, const char *filename, const char *name)
{
    PyObject *f = PyObject_CallFunction(embed_helper("define"), "sss", src, filename, name);
    if (!f)
        PyErr_Print();
    return f;
}

#endif
