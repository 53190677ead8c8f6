/* The `kiln` module: its version, the exceptions the session raises, and the JIT's API. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "pymod/backend.h"
#include "pymod/cuda.h"
#include "pymod/pymod.h"

PyDoc_STRVAR(module_doc, "Kiln: a Jupyter kernel and REPL that JIT-compiles Python functions.");

PyDoc_STRVAR(stdin_error_doc,
             "input() or getpass() was called where the front end does not allow stdin.\n\n"
             "A NotImplementedError (so also a RuntimeError), as IPython's is.");

static int add_stdin_error(PyObject *m)
{
    PyObject *type = PyErr_NewExceptionWithDoc("kiln.StdinNotImplementedError", stdin_error_doc,
                                               PyExc_NotImplementedError, NULL);
    if (!type)
        return -1;
    int rc = PyModule_AddObjectRef(m, "StdinNotImplementedError", type);
    Py_DECREF(type);
    return rc;
}

static struct PyModuleDef kiln_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "kiln",
    .m_doc = module_doc,
    .m_size = -1,
};

static PyObject *init_kiln(void)
{
    PyObject *m = PyModule_Create(&kiln_module);
    if (!m)
        return NULL;
    if (PyModule_AddStringConstant(m, "__version__", KILN_VERSION) < 0 || add_stdin_error(m) < 0 ||
        kn_pymod_add_jit(m) < 0 || kn_pymod_cuda_add(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    /* Whoever imports kiln is about to compile: LLVM loads meanwhile. */
    kn_pymod_backend_preload();
    return m;
}

int kn_pymod_register(void)
{
    static int registered;
    if (registered)
        return 0;
    registered = 1;
    return PyImport_AppendInittab("kiln", init_kiln);
}
