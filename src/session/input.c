/* input() and getpass.getpass() answered by frontend->input. */
#include "session/internal.h"

#include <stdlib.h>
#include <string.h>

/* kiln.StdinNotImplementedError, imported only now: a session that never asks need not load kiln. */
static PyObject *unavailable(const char *what)
{
    PyObject *kiln = PyImport_ImportModule("kiln");
    PyObject *type = kiln ? PyObject_GetAttrString(kiln, "StdinNotImplementedError") : NULL;
    Py_XDECREF(kiln);
    if (type)
        PyErr_Format(type, "%s is not available: this front end does not allow stdin", what);
    Py_XDECREF(type);
    return NULL;
}

static PyObject *answer(const char *what, int rc, char *line)
{
    if (rc == KN_INPUT_INTERRUPTED) {
        free(line);
        /* The interrupt may be pending as a signal too: that one is raised, and only once. */
        if (PyErr_CheckSignals() == 0)
            PyErr_SetNone(PyExc_KeyboardInterrupt);
        return NULL;
    }
    if (rc != KN_INPUT_OK)
        return unavailable(what);
    /* A front end may answer OK without a line at the end of its input. */
    if (!line) {
        PyErr_SetString(PyExc_EOFError, "EOF when reading a line");
        return NULL;
    }
    PyObject *text = PyUnicode_DecodeUTF8(line, (Py_ssize_t)strlen(line), "surrogateescape");
    free(line);
    return text;
}

/* Callbacks run on the main thread only, so other threads cannot ask. */
static PyObject *ask(kn_session *s, const char *what, PyObject *prompt, int password)
{
    if (!s->allow_stdin || !kn_session_on_main_thread(s))
        return unavailable(what);
    PyObject *text = PyObject_Str(prompt);
    const char *p = text ? PyUnicode_AsUTF8(text) : NULL;
    if (!p) {
        Py_XDECREF(text);
        return NULL;
    }
    kn_session_output_flush(s);
    char *line = NULL;
    /* Waiting for the user should not stop the cell's other threads. */
    PyThreadState *ts = PyEval_SaveThread();
    int rc = s->fe.input(s->fe.ctx, p, password, &line);
    PyEval_RestoreThread(ts);
    Py_DECREF(text);
    return answer(what, rc, line);
}

static PyObject *ask_input(PyObject *self, PyObject *args)
{
    PyObject *prompt = NULL;
    if (!PyArg_ParseTuple(args, "|O:input", &prompt))
        return NULL;
    if (!prompt)
        prompt = PyUnicode_New(0, 0);
    else
        Py_INCREF(prompt);
    PyObject *line = prompt ? ask(kn_session_from_self(self), "input()", prompt, 0) : NULL;
    Py_XDECREF(prompt);
    return line;
}

static PyObject *ask_password(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"prompt", "stream", NULL};
    PyObject *prompt = NULL, *stream = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:getpass", kwlist, &prompt, &stream))
        return NULL;
    if (!prompt)
        prompt = PyUnicode_FromString("Password: ");
    else
        Py_INCREF(prompt);
    PyObject *line = prompt ? ask(kn_session_from_self(self), "getpass()", prompt, 1) : NULL;
    Py_XDECREF(prompt);
    return line;
}

static PyMethodDef input_def = {
    "input", ask_input, METH_VARARGS,
    "input(prompt='', /)\n--\n\nRead a line from the front end, without the newline."};
static PyMethodDef getpass_def = {
    "getpass", (PyCFunction)(void (*)(void))ask_password, METH_VARARGS | METH_KEYWORDS,
    "getpass(prompt='Password: ', stream=None)\n--\n\nRead a password from the front end."};

int kn_session_input_init(kn_session *s)
{
    return s->fe.input ? kn_session_install(s, "builtins", &input_def) : 0;
}

/* getpass costs milliseconds to import: it is patched when the first cell runs, not at launch. */
int kn_session_input_patch_getpass(kn_session *s)
{
    if (!s->fe.input || s->getpass_patched)
        return 0;
    int rc = kn_session_install(s, "getpass", &getpass_def);
    s->getpass_patched = rc == 0;
    return rc;
}
