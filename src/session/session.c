/* A session's life: the interpreter started as python3 would start, set up, interrupted, ended. */
#include "session/internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pymod/backend.h"
#include "pymod/pymod.h"
#include "runtime/interrupt.h"

/*
 * One session per process: CPython is a process-wide singleton, and extension
 * modules such as numpy cannot be loaded into a second interpreter after the
 * first has ended.
 */
static kn_session *volatile live;

static const char capsule_name[] = "kiln.session";

kn_session *kn_session_from_self(PyObject *self)
{
    return PyCapsule_GetPointer(self, capsule_name);
}

int kn_session_on_main_thread(const kn_session *s)
{
    return PyThread_get_thread_ident() == s->main_thread;
}

int kn_session_install(kn_session *s, const char *module, PyMethodDef *def)
{
    PyObject *m = PyImport_ImportModule(module);
    PyObject *fn = m ? PyCFunction_New(def, s->self) : NULL;
    int rc = fn ? PyObject_SetAttrString(m, def->ml_name, fn) : -1;
    Py_XDECREF(fn);
    Py_XDECREF(m);
    return rc;
}

/* sys.argv is argv as given, no python option parsed; the environment is read as by python3. */
static int start_python(int argc, char **argv)
{
    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    config.parse_argv = 0;
    PyStatus st = PyConfig_SetBytesString(&config, &config.program_name, KILN_PYTHON_EXE);
    if (!PyStatus_Exception(st))
        st = PyConfig_SetBytesString(&config, &config.executable, KILN_PYTHON_EXE);
    if (!PyStatus_Exception(st))
        st = PyConfig_SetBytesArgv(&config, argc, argv);
    if (!PyStatus_Exception(st))
        st = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (!PyStatus_Exception(st))
        return 0;
    fprintf(stderr, "kiln: cannot start Python: %s\n", st.err_msg ? st.err_msg : "unknown error");
    return -1;
}

/*
 * The front end owns SIGINT and calls kn_session_interrupt, which uses
 * PyErr_SetInterruptEx: that raises KeyboardInterrupt only when Python's own
 * slot for SIGINT holds default_int_handler. Setting the slot also installs
 * Python's OS-level handler, so the front end's handler, if it had one, is put back.
 */
static int take_sigint_slot(const struct sigaction *before)
{
    PyObject *signal = PyImport_ImportModule("_signal");
    PyObject *handler = signal ? PyObject_GetAttrString(signal, "default_int_handler") : NULL;
    PyObject *r = handler ? PyObject_CallMethod(signal, "signal", "iO", SIGINT, handler) : NULL;
    Py_XDECREF(signal);
    Py_XDECREF(handler);
    Py_XDECREF(r);
    if ((before->sa_flags & SA_SIGINFO) || before->sa_handler != SIG_DFL)
        sigaction(SIGINT, before, NULL);
    return r ? 0 : -1;
}

/* sys.path[0] is '' (the working folder) as for `python -c`, unless PYTHONSAFEPATH says no. */
static int add_path0(void)
{
    PyObject *flags = PySys_GetObject("flags");
    PyObject *safe = flags ? PyObject_GetAttrString(flags, "safe_path") : NULL;
    PyObject *path = PySys_GetObject("path");
    int rc = safe && path && PyList_Check(path) ? 0 : -1;
    if (rc == 0 && !PyObject_IsTrue(safe)) {
        PyObject *empty = PyUnicode_New(0, 0);
        rc = empty ? PyList_Insert(path, 0, empty) : -1;
        Py_XDECREF(empty);
    }
    Py_XDECREF(safe);
    return rc;
}

static int find_objects(kn_session *s)
{
    PyObject *main = PyImport_AddModule("__main__");
    s->self = PyCapsule_New(s, capsule_name, NULL);
    s->main_dict = main ? Py_NewRef(PyModule_GetDict(main)) : NULL;
    s->helpers = PyDict_New();
    s->ast_module = PyImport_ImportModule("_ast");
    s->compile = Py_XNewRef(PyDict_GetItemString(PyEval_GetBuiltins(), "compile"));
    return s->self && s->main_dict && s->helpers && s->ast_module && s->compile ? 0 : -1;
}

static int set_up(kn_session *s, const struct sigaction *before)
{
    s->main_thread = PyThread_get_thread_ident();
    if (find_objects(s) < 0 || take_sigint_slot(before) < 0 || add_path0() < 0 ||
        kn_session_output_init(s) < 0 || kn_session_display_init(s) < 0 ||
        kn_session_input_init(s) < 0 || kn_session_history_init(s) < 0) {
        PyErr_Print();
        return -1;
    }
    return 0;
}

kn_session *kn_session_create(const kn_frontend *frontend, int argc, char **argv)
{
    if (live)
        return NULL;
    kn_session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (frontend)
        s->fe = *frontend;
    struct sigaction before;
    sigaction(SIGINT, NULL, &before);
    if (kn_pymod_register() < 0 || start_python(argc, argv) < 0) {
        kn_pymod_backend_preload_wait();
        free(s);
        return NULL;
    }
    if (set_up(s, &before) < 0) {
        Py_FinalizeEx();
        kn_pymod_backend_preload_wait();
        kn_session_output_free(s);
        free(s);
        return NULL;
    }
    live = s;
    /* Between calls the GIL is free, so threads a cell started go on running. */
    PyEval_SaveThread();
    return s;
}

/*
 * The references the session holds go with the interpreter: what it installed
 * in Python may run until Py_FinalizeEx returns (atexit handlers print, and
 * sys.stdout is flushed last of all). Python's finalization sets SIGINT back
 * to SIG_DFL; the front end's handler is put back, since SIGINT is its own.
 */
void kn_session_destroy(kn_session *s)
{
    if (!s || s != live)
        return;
    struct sigaction front_end;
    sigaction(SIGINT, NULL, &front_end);
    PyGILState_Ensure();
    kn_session_output_flush(s);
    live = NULL;
    Py_FinalizeEx();
    kn_pymod_backend_preload_wait();
    sigaction(SIGINT, &front_end, NULL);
    kn_session_output_free(s);
    free(s);
}

/* A stale pointer (the session was destroyed) is not followed: s must be the live one. */
void kn_session_interrupt(kn_session *s)
{
    if (!s || s != live || !s->running)
        return;
    kn_rt_interrupt_request(); /* Python's KeyboardInterrupt and compiled code's flag */
}

static char python_version[32];

static void read_python_version(void)
{
    const char *full = Py_GetVersion();
    size_t n = strcspn(full, " ");
    if (n >= sizeof python_version)
        n = sizeof python_version - 1;
    memcpy(python_version, full, n);
}

/* Py_GetVersion works before Python starts, so s may be NULL. */
const char *kn_session_python_version(const kn_session *s)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    (void)s;
    pthread_once(&once, read_python_version);
    return python_version;
}

void kn_session_preload_jit(void)
{
    kn_pymod_backend_preload();
}

const char *kn_version(void)
{
    return KILN_VERSION;
}

void kn_free(void *p)
{
    free(p);
}

void kn_session_set_color(kn_session *s, int color)
{
    s->color = color;
    if (!s->tools)
        return; /* tools.c reads it when it loads them */
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *value = PyBool_FromLong(color);
    if (PyDict_SetItemString(s->tools, "COLOR", value) < 0)
        PyErr_Clear();
    Py_DECREF(value);
    PyGILState_Release(gil);
}
