/* Whether a cell is ready to run, as IPython's check_complete decides, and how to indent more. */
#include "session/internal.h"

#include <string.h>

/* The last line with something on it, as [*start, *end). */
static void last_line(const char *code, const char **start, const char **end)
{
    const char *e = code + strlen(code);
    while (e > code && strchr(" \t\r\n\f", e[-1]))
        e--;
    const char *b = e;
    while (b > code && b[-1] != '\n')
        b--;
    *start = b;
    *end = e;
}

/* Its indentation, and four spaces more after a ':'. */
static PyObject *indent_of(const char *code)
{
    const char *b, *e;
    last_line(code, &b, &e);
    size_t n = strspn(b, " \t");
    if ((size_t)(e - b) < n)
        n = (size_t)(e - b);
    PyObject *indent = PyUnicode_FromStringAndSize(b, (Py_ssize_t)n);
    if (indent && e > b && e[-1] == ':')
        PyUnicode_AppendAndDel(&indent, PyUnicode_FromString("    "));
    return indent;
}

/* Whether a newline follows the last character that is not blank. */
static int ends_with_newline(const char *code)
{
    for (const char *p = code + strlen(code); p > code; p--) {
        if (p[-1] == '\n')
            return 1;
        if (!strchr(" \t\r\f", p[-1]))
            return 0;
    }
    return 0;
}

/* A block (if, def, for...) still open on an indented last line wants more, or a blank line. */
static int open_block(const char *code, PyObject *tree)
{
    PyObject *body = PyObject_GetAttrString(tree, "body");
    Py_ssize_t n = body && PyList_Check(body) ? PyList_GET_SIZE(body) : 0;
    int compound = n > 0 && PyObject_HasAttrString(PyList_GET_ITEM(body, n - 1), "body");
    Py_XDECREF(body);
    PyErr_Clear();
    const char *b, *e;
    last_line(code, &b, &e);
    return compound && (*b == ' ' || *b == '\t') && !ends_with_newline(code);
}

static const char *status_of(const char *code)
{
    PyCompilerFlags flags = {PyCF_ONLY_AST | PyCF_ALLOW_INCOMPLETE_INPUT | PyCF_DONT_IMPLY_DEDENT |
                                 PyCF_IGNORE_COOKIE,
                             PY_MINOR_VERSION};
    PyObject *tree = Py_CompileStringExFlags(code, "<input>", Py_file_input, &flags, -1);
    if (tree) {
        const char *status = open_block(code, tree) ? "incomplete" : "complete";
        Py_DECREF(tree);
        return status;
    }
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *msg = value ? PyObject_Str(value) : NULL;
    const char *text = msg ? PyUnicode_AsUTF8(msg) : NULL;
    int incomplete = text && strstr(text, "incomplete input") != NULL;
    Py_XDECREF(msg);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    PyErr_Clear();
    return incomplete ? "incomplete" : "invalid";
}

static PyObject *is_complete_reply(const char *code)
{
    const char *status = status_of(code);
    if (strcmp(status, "incomplete") != 0)
        return Py_BuildValue("{s:s}", "status", status);
    PyObject *indent = indent_of(code);
    PyObject *reply =
        indent ? Py_BuildValue("{s:s,s:O}", "status", status, "indent", indent) : NULL;
    Py_XDECREF(indent);
    return reply;
}

/* The code as it will be compiled: its magic lines made calls (a new reference). */
static PyObject *as_python(kn_session *s, const char *code)
{
    PyObject *source = PyUnicode_FromString(code);
    PyObject *python = source ? kn_session_magics_transform(s, source) : NULL;
    Py_XDECREF(source);
    return python;
}

char *kn_session_is_complete(kn_session *s, const char *code)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *python = as_python(s, code ? code : "");
    const char *text_of = python ? PyUnicode_AsUTF8(python) : NULL;
    PyErr_Clear();
    PyObject *reply = is_complete_reply(text_of ? text_of : (code ? code : ""));
    Py_XDECREF(python);
    char *text = kn_session_json_reply(reply, "{\"status\":\"unknown\"}");
    Py_XDECREF(reply);
    PyGILState_Release(gil);
    return text;
}
