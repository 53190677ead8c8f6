/* Completion: jedi when it imports (its first use pays the import), else rlcompleter. */
#include "session/internal.h"

#include <string.h>

static const char jedi_source[] =
    "def jedi_complete(code, line, column, namespace):\n"
    "    import jedi\n"
    "    found = jedi.Interpreter(code, [namespace]).complete(line, column)\n"
    "    return [(c.name_with_symbols, len(c.name) - len(c.complete)) for c in found]\n";

static const char rlcompleter_source[] =
    "def rl_complete(text, namespace):\n"
    "    import rlcompleter\n"
    "    complete, found = rlcompleter.Completer(namespace).complete, []\n"
    "    while text and (m := complete(text, len(found))) is not None:\n"
    "        found.append(m)\n"
    "    return [m.removesuffix('()').removesuffix('(') for m in found]\n";

/* jedi counts lines from 1 and columns in code points from 0. */
static void line_and_column(PyObject *code, Py_ssize_t cursor, Py_ssize_t *line, Py_ssize_t *col)
{
    *line = 1;
    *col = 0;
    for (Py_ssize_t i = 0; i < cursor; i++) {
        if (PyUnicode_READ_CHAR(code, i) == '\n') {
            ++*line;
            *col = 0;
        } else {
            ++*col;
        }
    }
}

/* jedi answers (name, length already typed) pairs: all start where the typed part does. */
static PyObject *typed_matches(PyObject *found, Py_ssize_t cursor, Py_ssize_t *start)
{
    PyObject *matches = PyList_New(0);
    Py_ssize_t typed = -1;
    for (Py_ssize_t i = 0; matches && i < PyList_GET_SIZE(found); i++) {
        PyObject *name;
        Py_ssize_t n;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(found, i), "Un", &name, &n)) {
            Py_CLEAR(matches);
            break;
        }
        if (typed < 0 && n >= 0 && n <= cursor)
            typed = n;
        if (n == typed && PyList_Append(matches, name) < 0)
            Py_CLEAR(matches);
    }
    if (matches && typed >= 0)
        *start = cursor - typed;
    return matches;
}

static PyObject *jedi_matches(kn_session *s, PyObject *code, Py_ssize_t cursor, Py_ssize_t *start)
{
    PyObject *fn = kn_session_helper(s, "jedi_complete", jedi_source);
    Py_ssize_t line, col;
    line_and_column(code, cursor, &line, &col);
    PyObject *found = fn ? PyObject_CallFunction(fn, "OnnO", code, line, col, s->main_dict) : NULL;
    if (!found && PyErr_ExceptionMatches(PyExc_ImportError))
        s->no_jedi = 1;
    PyObject *matches = found && PyList_Check(found) ? typed_matches(found, cursor, start) : NULL;
    Py_XDECREF(found);
    return matches;
}

/* rlcompleter completes the dotted name before the cursor, whole: os.pa -> os.path. */
static PyObject *rlcompleter_matches(kn_session *s, PyObject *code, Py_ssize_t cursor,
                                     Py_ssize_t *start)
{
    PyObject *fn = kn_session_helper(s, "rl_complete", rlcompleter_source);
    Py_ssize_t from = kn_session_name_start(code, cursor);
    PyObject *text = fn ? PyUnicode_Substring(code, from, cursor) : NULL;
    PyObject *matches = text ? PyObject_CallFunction(fn, "OO", text, s->main_dict) : NULL;
    Py_XDECREF(text);
    if (matches)
        *start = from;
    return matches;
}

static PyObject *complete_reply(kn_session *s, const char *code, int cursor_pos)
{
    PyObject *text = PyUnicode_DecodeUTF8(code, (Py_ssize_t)strlen(code), "replace");
    if (!text)
        return NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    Py_ssize_t cursor = cursor_pos < 0 || cursor_pos > len ? len : cursor_pos;
    Py_ssize_t start = cursor;
    PyObject *matches = s->no_jedi ? NULL : jedi_matches(s, text, cursor, &start);
    if (!matches && s->no_jedi) {
        PyErr_Clear();
        matches = rlcompleter_matches(s, text, cursor, &start);
    }
    if (!matches || !PyList_Check(matches)) {
        PyErr_Clear();
        Py_XSETREF(matches, PyList_New(0));
        start = cursor;
    }
    Py_DECREF(text);
    PyObject *reply =
        matches ? Py_BuildValue("{s:s,s:O,s:n,s:n,s:{}}", "status", "ok", "matches", matches,
                                "cursor_start", start, "cursor_end", cursor, "metadata")
                : NULL;
    Py_XDECREF(matches);
    return reply;
}

char *kn_session_complete(kn_session *s, const char *code, int cursor_pos)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *reply = complete_reply(s, code ? code : "", cursor_pos);
    char *text =
        kn_session_json_reply(reply, "{\"status\":\"ok\",\"matches\":[],\"cursor_start\":0,"
                                     "\"cursor_end\":0,\"metadata\":{}}");
    Py_XDECREF(reply);
    PyGILState_Release(gil);
    return text;
}
