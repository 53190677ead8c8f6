/* A cell's code: all but a trailing expression run as a module; that expression is shown. */
#include "session/internal.h"

#include <string.h>

static long attr_long(PyObject *obj, const char *name)
{
    PyObject *v = PyObject_GetAttrString(obj, name);
    long n = v && PyLong_Check(v) ? PyLong_AsLong(v) : -1;
    Py_XDECREF(v);
    PyErr_Clear();
    return n;
}

/* `1 + 1;` runs but shows nothing, as in IPython: is there a ';' right after the node? */
static int followed_by_semicolon(const char *code, PyObject *node)
{
    long line = attr_long(node, "end_lineno"), col = attr_long(node, "end_col_offset");
    const char *p = code;
    for (long i = 1; p && i < line; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || col < 0 || (size_t)col > strlen(p))
        return 0;
    for (p += col; *p == ' ' || *p == '\t';)
        p++;
    return *p == ';';
}

/* The trailing expression statement whose value the cell shows, or NULL. */
static PyObject *shown_expression(kn_session *s, const char *code, PyObject *stmts)
{
    Py_ssize_t n = PyList_Check(stmts) ? PyList_GET_SIZE(stmts) : 0;
    if (n == 0)
        return NULL;
    PyObject *last = PyList_GET_ITEM(stmts, n - 1);
    PyObject *expr_type = PyObject_GetAttrString(s->ast_module, "Expr");
    int is_expr = expr_type ? PyObject_IsInstance(last, expr_type) : -1;
    Py_XDECREF(expr_type);
    PyErr_Clear();
    return is_expr == 1 && !followed_by_semicolon(code, last) ? last : NULL;
}

static PyObject *compile_tree(kn_session *s, PyObject *tree, PyObject *filename, const char *mode)
{
    PyObject *code =
        PyObject_CallFunction(s->compile, "OOsii", tree, filename, mode, s->future_flags, 1);
    /* `from __future__ import annotations` in one cell holds for the cells after it. */
    if (code && PyCode_Check(code))
        s->future_flags |= ((PyCodeObject *)code)->co_flags & PyCF_MASK;
    return code;
}

static PyObject *new_node(kn_session *s, const char *type_name, const char *format, PyObject *arg)
{
    PyObject *type = PyObject_GetAttrString(s->ast_module, type_name);
    PyObject *node = type ? PyObject_CallFunction(type, format, arg) : NULL;
    Py_XDECREF(type);
    return node;
}

/* Module(all but last) in exec mode; Interactive([last]) in single mode, which calls the hook. */
static int compile_split(kn_session *s, PyObject *stmts, PyObject *last, PyObject *filename,
                         PyObject **body, PyObject **result)
{
    PyObject *rest = PyList_GetSlice(stmts, 0, PyList_GET_SIZE(stmts) - 1);
    PyObject *module = rest ? new_node(s, "Module", "O[]", rest) : NULL;
    PyObject *interactive = module ? new_node(s, "Interactive", "[O]", last) : NULL;
    *body = interactive ? compile_tree(s, module, filename, "exec") : NULL;
    *result = *body ? compile_tree(s, interactive, filename, "single") : NULL;
    Py_XDECREF(rest);
    Py_XDECREF(module);
    Py_XDECREF(interactive);
    if (*result)
        return 0;
    Py_CLEAR(*body);
    return -1;
}

int kn_session_compile_cell(kn_session *s, PyObject *source, PyObject *filename, PyObject **body,
                            PyObject **result)
{
    *body = *result = NULL;
    const char *code = PyUnicode_AsUTF8(source);
    PyCompilerFlags flags = {PyCF_ONLY_AST | PyCF_IGNORE_COOKIE | s->future_flags,
                             PY_MINOR_VERSION};
    PyObject *tree =
        code ? Py_CompileStringObject(code, filename, Py_file_input, &flags, -1) : NULL;
    PyObject *stmts = tree ? PyObject_GetAttrString(tree, "body") : NULL;
    if (!stmts) {
        Py_XDECREF(tree);
        return -1;
    }
    PyObject *last = shown_expression(s, code, stmts);
    int rc = 0;
    if (last)
        rc = compile_split(s, stmts, last, filename, body, result);
    else if (!(*body = compile_tree(s, tree, filename, "exec")))
        rc = -1;
    Py_DECREF(stmts);
    Py_DECREF(tree);
    return rc;
}

/*
 * The lines split where Python's tokenizer splits them, at '\n' only, as
 * readlines() of a file does: str.splitlines would also split at form feeds
 * and U+2028, and shift every line number after them.
 */
static PyObject *source_lines(PyObject *source)
{
    PyObject *io = PyImport_ImportModule("io");
    PyObject *file = io ? PyObject_CallMethod(io, "StringIO", "O", source) : NULL;
    PyObject *lines = file ? PyObject_CallMethod(file, "readlines", NULL) : NULL;
    Py_XDECREF(file);
    Py_XDECREF(io);
    return lines;
}

/* An entry whose mtime is None stays in linecache for good: inspect and tracebacks read it. */
int kn_session_register_source(kn_session *s, PyObject *source, PyObject *filename)
{
    if (!s->linecache) {
        PyObject *linecache = PyImport_ImportModule("linecache");
        s->linecache = linecache ? PyObject_GetAttrString(linecache, "cache") : NULL;
        Py_XDECREF(linecache);
        if (!s->linecache)
            return -1;
    }
    PyObject *lines = source_lines(source);
    PyObject *entry =
        lines ? Py_BuildValue("(nOOO)", PyUnicode_GET_LENGTH(source), Py_None, lines, filename)
              : NULL;
    int rc = entry ? PyDict_SetItem(s->linecache, filename, entry) : -1;
    Py_XDECREF(lines);
    Py_XDECREF(entry);
    return rc;
}
