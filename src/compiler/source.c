/* A Python function's source, with its lines numbered as Python's compiler numbers them. */
#include "compiler/source.h"

#include <string.h>

size_t kn_source_line(const char *text, const char **next)
{
    size_t n = strcspn(text, "\r\n");
    const char *end = text + n;
    *next = *end == '\r' && end[1] == '\n' ? end + 2 : *end ? end + 1 : end;
    return n;
}

/* func's file as linecache has it (up to date, as inspect makes sure), joined: a new reference. */
static PyObject *file_text(PyObject *func)
{
    PyObject *filename = ((PyCodeObject *)PyFunction_GET_CODE(func))->co_filename;
    PyObject *linecache = PyImport_ImportModule("linecache");
    PyObject *checked =
        linecache ? PyObject_CallMethod(linecache, "checkcache", "O", filename) : NULL;
    PyObject *lines = checked ? PyObject_CallMethod(linecache, "getlines", "OO", filename,
                                                    PyFunction_GET_GLOBALS(func))
                              : NULL;
    PyObject *empty = lines ? PyUnicode_FromString("") : NULL;
    PyObject *text = empty ? PyUnicode_Join(empty, lines) : NULL;
    Py_XDECREF(linecache);
    Py_XDECREF(checked);
    Py_XDECREF(lines);
    Py_XDECREF(empty);
    return text;
}

/* text's lines from the one at index (0-based) on, each with its end: a new list. */
static PyObject *lines_from(const char *text, int index)
{
    PyObject *list = PyList_New(0);
    const char *p = text, *next;
    for (int i = 0; list && *p; i++, p = next) {
        kn_source_line(p, &next);
        if (i < index)
            continue;
        PyObject *line = PyUnicode_DecodeUTF8(p, next - p, "replace");
        if (!line || PyList_Append(list, line) < 0)
            Py_CLEAR(list);
        Py_XDECREF(line);
    }
    return list;
}

/* inspect.getblock(lines) joined: the def and its body, a new reference. */
static PyObject *block_of(PyObject *lines)
{
    PyObject *inspect = PyImport_ImportModule("inspect");
    PyObject *block = inspect ? PyObject_CallMethod(inspect, "getblock", "O", lines) : NULL;
    PyObject *empty = block ? PyUnicode_FromString("") : NULL;
    PyObject *text = empty ? PyUnicode_Join(empty, block) : NULL;
    Py_XDECREF(inspect);
    Py_XDECREF(block);
    Py_XDECREF(empty);
    return text;
}

PyObject *kn_source_of(PyObject *func)
{
    int first = ((PyCodeObject *)PyFunction_GET_CODE(func))->co_firstlineno;
    PyObject *text = file_text(func);
    const char *utf = text ? PyUnicode_AsUTF8(text) : NULL;
    PyObject *lines = utf ? lines_from(utf, first - 1) : NULL;
    PyObject *def = lines && PyList_GET_SIZE(lines) ? block_of(lines) : NULL;
    Py_XDECREF(text);
    Py_XDECREF(lines);
    if (!def)
        PyErr_Clear();
    return def;
}
