/* JSON text from Python objects (in C: it runs for every result) and back (through `json`). */
#include "session/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deeper than any mime bundle or reply; stops reference cycles. */
enum { MAX_DEPTH = 200 };

static int append_value(kn_session_buf *b, PyObject *obj, int depth);

/* The escape of a byte JSON strings cannot hold as it is. */
static void escape(unsigned char c, char esc[8])
{
    const char *named = c == '"'    ? "\\\""
                        : c == '\\' ? "\\\\"
                        : c == '\n' ? "\\n"
                        : c == '\r' ? "\\r"
                        : c == '\t' ? "\\t"
                                    : NULL;
    if (named)
        strcpy(esc, named);
    else
        snprintf(esc, 8, "\\u%04x", c);
}

static int append_escaped(kn_session_buf *b, const char *p, Py_ssize_t n)
{
    if (kn_session_buf_puts(b, "\"") < 0)
        return -1;
    const char *run = p;
    for (const char *end = p + n; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        char esc[8];
        escape(c, esc);
        if (kn_session_buf_append(b, run, (size_t)(p - run)) < 0 || kn_session_buf_puts(b, esc) < 0)
            return -1;
        run = p + 1;
    }
    if (kn_session_buf_append(b, run, (size_t)(p - run)) < 0)
        return -1;
    return kn_session_buf_puts(b, "\"");
}

/* Lone surrogates cannot be UTF-8: they become U+FFFD. */
static int append_str(kn_session_buf *b, PyObject *s)
{
    Py_ssize_t n;
    const char *p = PyUnicode_AsUTF8AndSize(s, &n);
    if (p)
        return append_escaped(b, p, n);
    PyErr_Clear();
    PyObject *bytes = PyUnicode_AsEncodedString(s, "utf-8", "replace");
    if (!bytes)
        return -1;
    int rc = append_escaped(b, PyBytes_AS_STRING(bytes), PyBytes_GET_SIZE(bytes));
    Py_DECREF(bytes);
    return rc;
}

static int append_repr(kn_session_buf *b, PyObject *obj, reprfunc to_text)
{
    PyObject *text = to_text(obj);
    if (!text)
        return -1;
    int rc = kn_session_buf_puts(b, PyUnicode_AsUTF8(text));
    Py_DECREF(text);
    return rc;
}

/* JSON has no NaN or infinity: like a browser's JSON.stringify, they become null. */
static int append_float(kn_session_buf *b, PyObject *obj)
{
    double v = PyFloat_AS_DOUBLE(obj);
    if (!isfinite(v))
        return kn_session_buf_puts(b, "null");
    char *text = PyOS_double_to_string(v, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    if (!text)
        return -1;
    int rc = kn_session_buf_puts(b, text);
    PyMem_Free(text);
    return rc;
}

/* Keys are strings; integer keys are written as their decimal text, as json.dumps does. */
static int append_key(kn_session_buf *b, PyObject *key)
{
    if (PyUnicode_Check(key))
        return append_str(b, key);
    if (!PyLong_Check(key) || PyBool_Check(key)) {
        PyErr_Format(PyExc_TypeError, "JSON keys must be str or int, not %.100s",
                     Py_TYPE(key)->tp_name);
        return -1;
    }
    if (kn_session_buf_puts(b, "\"") < 0 || append_repr(b, key, PyLong_Type.tp_repr) < 0)
        return -1;
    return kn_session_buf_puts(b, "\"");
}

static int append_dict(kn_session_buf *b, PyObject *dict, int depth)
{
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    if (kn_session_buf_puts(b, "{") < 0)
        return -1;
    for (int first = 1; PyDict_Next(dict, &pos, &key, &value); first = 0) {
        if ((!first && kn_session_buf_puts(b, ",") < 0) || append_key(b, key) < 0 ||
            kn_session_buf_puts(b, ":") < 0 || append_value(b, value, depth + 1) < 0)
            return -1;
    }
    return kn_session_buf_puts(b, "}");
}

static int append_sequence(kn_session_buf *b, PyObject *seq, int depth)
{
    PyObject *fast = PySequence_Fast(seq, "");
    if (!fast)
        return -1;
    int rc = kn_session_buf_puts(b, "[");
    for (Py_ssize_t i = 0; rc == 0 && i < PySequence_Fast_GET_SIZE(fast); i++) {
        if (i > 0)
            rc = kn_session_buf_puts(b, ",");
        if (rc == 0)
            rc = append_value(b, PySequence_Fast_GET_ITEM(fast, i), depth + 1);
    }
    Py_DECREF(fast);
    return rc < 0 ? -1 : kn_session_buf_puts(b, "]");
}

static int append_value(kn_session_buf *b, PyObject *obj, int depth)
{
    if (depth > MAX_DEPTH) {
        PyErr_SetString(PyExc_ValueError, "too deeply nested (or circular) for JSON");
        return -1;
    }
    if (PyUnicode_Check(obj))
        return append_str(b, obj);
    if (obj == Py_None)
        return kn_session_buf_puts(b, "null");
    if (PyBool_Check(obj))
        return kn_session_buf_puts(b, obj == Py_True ? "true" : "false");
    if (PyLong_Check(obj))
        return append_repr(b, obj, PyLong_Type.tp_repr);
    if (PyFloat_Check(obj))
        return append_float(b, obj);
    if (PyDict_Check(obj))
        return append_dict(b, obj, depth);
    if (PyList_Check(obj) || PyTuple_Check(obj))
        return append_sequence(b, obj, depth);
    PyErr_Format(PyExc_TypeError, "Object of type %.100s is not JSON serializable",
                 Py_TYPE(obj)->tp_name);
    return -1;
}

char *kn_session_json_dumps(PyObject *obj)
{
    kn_session_buf b = {0};
    if (append_value(&b, obj, 0) < 0) {
        kn_session_buf_free(&b);
        return NULL;
    }
    return kn_session_buf_take(&b);
}

char *kn_session_json_reply(PyObject *reply, const char *fallback)
{
    char *text = reply ? kn_session_json_dumps(reply) : NULL;
    if (text)
        return text;
    PyErr_Clear();
    return strdup(fallback);
}

PyObject *kn_session_json_loads(const char *text)
{
    PyObject *json = PyImport_ImportModule("json");
    if (!json)
        return NULL;
    PyObject *obj = PyObject_CallMethod(json, "loads", "s", text);
    Py_DECREF(json);
    return obj;
}
