/* In, Out, _, __, ___, _iN and _N as IPython keeps them, and answers to history requests. */
#include "session/internal.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

static const char *const input_names[] = {"_i", "_ii", "_iii"};
static const char *const output_names[] = {"_", "__", "___"};

static int set_all(PyObject *ns, const char *const names[], int n, PyObject *value)
{
    for (int i = 0; i < n; i++)
        if (PyDict_SetItemString(ns, names[i], value) < 0)
            return -1;
    return 0;
}

/* names[2] = names[1]; names[1] = names[0]; names[0] = value. */
static int rotate(PyObject *ns, const char *const names[], PyObject *value)
{
    for (int i = 2; i > 0; i--) {
        PyObject *older = PyDict_GetItemString(ns, names[i - 1]);
        if (older && PyDict_SetItemString(ns, names[i], older) < 0)
            return -1;
    }
    return PyDict_SetItemString(ns, names[0], value);
}

static int set_numbered(PyObject *ns, const char *prefix, int n, PyObject *value)
{
    char name[32];
    snprintf(name, sizeof name, "%s%d", prefix, n);
    return PyDict_SetItemString(ns, name, value);
}

int kn_session_history_init(kn_session *s)
{
    PyObject *empty = PyUnicode_New(0, 0);
    s->inputs = PyList_New(0);
    s->outputs = PyDict_New();
    s->in_list = Py_BuildValue("[O]", empty);
    s->out_dict = PyDict_New();
    PyObject *ns = s->main_dict;
    int rc = empty && s->inputs && s->outputs && s->in_list && s->out_dict &&
                     PyDict_SetItemString(ns, "In", s->in_list) == 0 &&
                     PyDict_SetItemString(ns, "_ih", s->in_list) == 0 &&
                     PyDict_SetItemString(ns, "Out", s->out_dict) == 0 &&
                     PyDict_SetItemString(ns, "_oh", s->out_dict) == 0 &&
                     set_all(ns, input_names, 3, empty) == 0 &&
                     set_all(ns, output_names, 3, empty) == 0
                 ? 0
                 : -1;
    Py_XDECREF(empty);
    return rc;
}

int kn_session_history_store_input(kn_session *s, PyObject *code)
{
    Py_ssize_t n = PyList_GET_SIZE(s->inputs);
    PyObject *previous = n > 0 ? PyList_GET_ITEM(s->inputs, n - 1) : PyList_GET_ITEM(s->in_list, 0);
    /* During cell N, _i is cell N - 1's code, as in IPython. */
    if (rotate(s->main_dict, input_names, previous) < 0)
        return -1;
    s->execution_count++;
    if (PyList_Append(s->inputs, code) < 0 || PyList_Append(s->in_list, code) < 0)
        return -1;
    return set_numbered(s->main_dict, "_i", s->execution_count, code);
}

int kn_session_history_store_output(kn_session *s, PyObject *value, PyObject *plain)
{
    /* Out itself is not made _, as in IPython: that would hold a cycle through the namespace. */
    if (value != s->out_dict && rotate(s->main_dict, output_names, value) < 0)
        return -1;
    if (!s->store_history)
        return 0;
    PyObject *n = PyLong_FromLong(s->execution_count);
    int rc = n && PyDict_SetItem(s->out_dict, n, value) == 0 &&
                     PyDict_SetItem(s->outputs, n, plain ? plain : Py_None) == 0
                 ? set_numbered(s->main_dict, "_", s->execution_count, value)
                 : -1;
    Py_XDECREF(n);
    return rc;
}

/* The fields of a history_request, with ipykernel's defaults. */
typedef struct request {
    int output;
    const char *access;
    long session, start, stop, n;
    const char *pattern;
    int unique;
} request;

static long field_long(PyObject *req, const char *key, long fallback)
{
    PyObject *v = PyDict_GetItemString(req, key);
    if (!v || !PyLong_Check(v))
        return fallback;
    long n = PyLong_AsLong(v);
    PyErr_Clear();
    return n;
}

static const char *field_str(PyObject *req, const char *key, const char *fallback)
{
    PyObject *v = PyDict_GetItemString(req, key);
    const char *text = v && PyUnicode_Check(v) ? PyUnicode_AsUTF8(v) : NULL;
    PyErr_Clear();
    return text ? text : fallback;
}

static int field_bool(PyObject *req, const char *key)
{
    PyObject *v = PyDict_GetItemString(req, key);
    return v && PyObject_IsTrue(v) == 1;
}

/* [session, line, input] or [session, line, [input, output]]; this session is number 1. */
static PyObject *entry(kn_session *s, Py_ssize_t i, int output)
{
    PyObject *input = PyList_GET_ITEM(s->inputs, i);
    if (!output)
        return Py_BuildValue("[inO]", 1, i + 1, input);
    PyObject *n = PyLong_FromSsize_t(i + 1);
    PyObject *out = n ? PyDict_GetItemWithError(s->outputs, n) : NULL;
    Py_XDECREF(n);
    if (!out && PyErr_Occurred())
        return NULL;
    return Py_BuildValue("[in[OO]]", 1, i + 1, input, out ? out : Py_None);
}

static int add_entry(PyObject *list, kn_session *s, Py_ssize_t i, int output)
{
    PyObject *e = entry(s, i, output);
    int rc = e ? PyList_Append(list, e) : -1;
    Py_XDECREF(e);
    return rc;
}

static int add_range(PyObject *list, kn_session *s, const request *q, Py_ssize_t from,
                     Py_ssize_t to)
{
    for (Py_ssize_t i = from; i < to; i++)
        if (add_entry(list, s, i, q->output) < 0)
            return -1;
    return 0;
}

static int matches(PyObject *input, const request *q, PyObject *seen)
{
    const char *text = PyUnicode_AsUTF8(input);
    if (!text)
        return -1;
    if (fnmatch(q->pattern, text, 0) != 0)
        return 0;
    if (!q->unique)
        return 1;
    int seen_before = PySet_Contains(seen, input);
    if (seen_before != 0)
        return seen_before < 0 ? -1 : 0;
    return PySet_Add(seen, input) < 0 ? -1 : 1;
}

/* The last n matching cells, oldest first; unique keeps each code's latest run. */
static int add_search(PyObject *list, kn_session *s, const request *q)
{
    PyObject *seen = PySet_New(NULL);
    int rc = seen ? 0 : -1;
    for (Py_ssize_t i = PyList_GET_SIZE(s->inputs) - 1; rc == 0 && i >= 0; i--) {
        if (q->n > 0 && PyList_GET_SIZE(list) >= q->n)
            break;
        int m = matches(PyList_GET_ITEM(s->inputs, i), q, seen);
        rc = m < 0 ? -1 : m ? add_entry(list, s, i, q->output) : 0;
    }
    Py_XDECREF(seen);
    return rc == 0 ? PyList_Reverse(list) : -1;
}

static PyObject *select_entries(kn_session *s, const request *q)
{
    Py_ssize_t len = PyList_GET_SIZE(s->inputs);
    PyObject *list = PyList_New(0);
    int rc = list ? 0 : -1;
    if (rc == 0 && strcmp(q->access, "tail") == 0) {
        Py_ssize_t n = q->n < 0 ? 0 : q->n > len ? len : q->n;
        rc = add_range(list, s, q, len - n, len);
    } else if (rc == 0 && strcmp(q->access, "range") == 0 && (q->session == 0 || q->session == 1)) {
        Py_ssize_t from = q->start < 1 ? 0 : q->start - 1;
        Py_ssize_t to = q->stop <= 0 || q->stop - 1 > len ? len : q->stop - 1;
        rc = add_range(list, s, q, from < to ? from : to, to);
    } else if (rc == 0 && strcmp(q->access, "search") == 0) {
        rc = add_search(list, s, q);
    }
    if (rc == 0)
        return list;
    Py_XDECREF(list);
    return NULL;
}

static PyObject *history_reply(kn_session *s, const char *request_json)
{
    PyObject *req = kn_session_json_loads(request_json);
    if (!req || !PyDict_Check(req)) {
        Py_XDECREF(req);
        return NULL;
    }
    request q = {
        .output = field_bool(req, "output"),
        .access = field_str(req, "hist_access_type", "tail"),
        .session = field_long(req, "session", 0),
        .start = field_long(req, "start", 1),
        .stop = field_long(req, "stop", 0),
        .n = field_long(req, "n", -1),
        .pattern = field_str(req, "pattern", "*"),
        .unique = field_bool(req, "unique"),
    };
    if (q.n < 0 && strcmp(q.access, "tail") == 0)
        q.n = 10;
    PyObject *entries = select_entries(s, &q);
    Py_DECREF(req);
    PyObject *reply =
        entries ? Py_BuildValue("{s:s,s:O}", "status", "ok", "history", entries) : NULL;
    Py_XDECREF(entries);
    return reply;
}

char *kn_session_history(kn_session *s, const char *request_json)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *reply = history_reply(s, request_json ? request_json : "{}");
    char *text = kn_session_json_reply(reply, "{\"status\":\"ok\",\"history\":[]}");
    Py_XDECREF(reply);
    PyGILState_Release(gil);
    return text;
}
