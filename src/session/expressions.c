/* user_expressions: evaluated after a cell that ran through, answered as bundles or errors. */
#include "session/internal.h"

#include <string.h>

static PyObject *error_entry(void)
{
    PyObject *exc = kn_session_error_take();
    PyObject *entry = exc ? kn_session_error_dict(exc) : NULL;
    Py_XDECREF(exc);
    PyObject *status = entry ? PyUnicode_FromString("error") : NULL;
    if (!status || PyDict_SetItemString(entry, "status", status) < 0)
        Py_CLEAR(entry);
    Py_XDECREF(status);
    return entry;
}

static PyObject *evaluate(kn_session *s, PyObject *expr)
{
    PyCompilerFlags flags = {s->future_flags, PY_MINOR_VERSION};
    const char *text = PyUnicode_Check(expr) ? PyUnicode_AsUTF8(expr) : NULL;
    if (!text && !PyErr_Occurred())
        PyErr_SetString(PyExc_TypeError, "a user expression must be a string");
    PyObject *code =
        text ? Py_CompileStringExFlags(text, "<user_expression>", Py_eval_input, &flags, -1) : NULL;
    PyObject *value = code ? PyEval_EvalCode(code, s->main_dict, s->main_dict) : NULL;
    Py_XDECREF(code);
    PyObject *md = NULL, *data = value ? kn_session_mimebundle(s, value, &md) : NULL;
    Py_XDECREF(value);
    if (!data)
        return error_entry();
    return Py_BuildValue("{s:s,s:N,s:N}", "status", "ok", "data", data, "metadata", md);
}

static PyObject *evaluate_all(kn_session *s, PyObject *exprs)
{
    PyObject *out = PyDict_New(), *name, *expr;
    Py_ssize_t pos = 0;
    while (out && PyDict_Next(exprs, &pos, &name, &expr)) {
        PyObject *entry = evaluate(s, expr);
        if (!entry || PyDict_SetItem(out, name, entry) < 0)
            Py_CLEAR(out);
        Py_XDECREF(entry);
    }
    return out;
}

/* Clients send {} with almost every request: that needs no json module. */
static int is_empty_object(const char *json)
{
    json += strspn(json, " \t\r\n");
    if (*json++ != '{')
        return 0;
    json += strspn(json, " \t\r\n");
    if (*json++ != '}')
        return 0;
    return json[strspn(json, " \t\r\n")] == '\0';
}

char *kn_session_user_expressions(kn_session *s, const char *request_json)
{
    if (!request_json || is_empty_object(request_json))
        return strdup("{}");
    PyObject *exprs = kn_session_json_loads(request_json);
    PyObject *out = exprs && PyDict_Check(exprs) ? evaluate_all(s, exprs) : NULL;
    Py_XDECREF(exprs);
    char *text = kn_session_json_reply(out, "{}");
    Py_XDECREF(out);
    return text;
}
