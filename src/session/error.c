/* A cell's exception: taken, kept for pdb.pm(), formatted as Python formats it. */
#include "session/internal.h"

PyObject *kn_session_error_take(void)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (!type)
        return NULL;
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb)
        PyException_SetTraceback(value, tb);
    /* As the python prompt does, so that pdb.pm() and traceback.print_last() work. */
    if (PySys_SetObject("last_type", type) < 0 || PySys_SetObject("last_value", value) < 0 ||
        PySys_SetObject("last_traceback", tb ? tb : Py_None) < 0)
        PyErr_Clear();
    Py_DECREF(type);
    Py_XDECREF(tb);
    return value;
}

/* Jupyter joins traceback entries with newlines: each loses its own final one. */
static PyObject *strip_newlines(PyObject *lines)
{
    Py_ssize_t n = PyList_GET_SIZE(lines);
    PyObject *out = PyList_New(n);
    for (Py_ssize_t i = 0; out && i < n; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        Py_ssize_t len = PyUnicode_GET_LENGTH(line);
        int newline = len > 0 && PyUnicode_READ_CHAR(line, len - 1) == '\n';
        PyObject *stripped = PyUnicode_Substring(line, 0, len - newline);
        if (!stripped)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, i, stripped);
    }
    return out;
}

/* traceback.format_exception(exc); the cell's lines are there through linecache. */
static PyObject *format_traceback(PyObject *exc)
{
    PyObject *traceback = PyImport_ImportModule("traceback");
    PyObject *lines =
        traceback ? PyObject_CallMethod(traceback, "format_exception", "O", exc) : NULL;
    Py_XDECREF(traceback);
    PyObject *out = lines && PyList_Check(lines) ? strip_newlines(lines) : NULL;
    Py_XDECREF(lines);
    return out;
}

static PyObject *str_or(PyObject *obj, const char *fallback)
{
    PyObject *text = PyObject_Str(obj);
    if (text)
        return text;
    PyErr_Clear();
    return PyUnicode_FromString(fallback);
}

PyObject *kn_session_error_dict(PyObject *exc)
{
    PyObject *ename = PyType_GetName(Py_TYPE(exc));
    PyObject *evalue = str_or(exc, "<exception str() failed>");
    PyObject *tb = ename && evalue ? format_traceback(exc) : NULL;
    if (ename && evalue && !tb) {
        PyErr_Clear();
        tb = Py_BuildValue("[N]", PyUnicode_FromFormat("%S: %S", ename, evalue));
    }
    PyObject *dict = ename && evalue && tb ? Py_BuildValue("{s:O,s:O,s:O}", "ename", ename,
                                                           "evalue", evalue, "traceback", tb)
                                           : NULL;
    Py_XDECREF(ename);
    Py_XDECREF(evalue);
    Py_XDECREF(tb);
    return dict;
}

/* As python does: None is 0, an int is itself, anything else is printed to stderr and is 1. */
int kn_session_exit_status(PyObject *exc)
{
    PyObject *code = PyObject_GetAttrString(exc, "code");
    if (!code) {
        PyErr_Clear();
        code = Py_NewRef(exc);
    }
    int status = 0;
    if (PyLong_Check(code)) {
        status = (int)PyLong_AsLong(code);
        PyErr_Clear();
    } else if (code != Py_None) {
        PyObject *err = PySys_GetObject("stderr");
        if (err && err != Py_None && PyFile_WriteObject(code, err, Py_PRINT_RAW) == 0)
            PyFile_WriteString("\n", err);
        PyErr_Clear();
        status = 1;
    }
    Py_DECREF(code);
    return status;
}
