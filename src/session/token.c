/* Where the dotted name under the cursor lies in a cell, for completion and inspection. */
#include "session/internal.h"

static int is_name_char(Py_UCS4 c)
{
    return c == '_' || Py_UNICODE_ISALNUM(c);
}

Py_ssize_t kn_session_name_start(PyObject *code, Py_ssize_t cursor)
{
    Py_ssize_t i = cursor;
    while (i > 0) {
        Py_UCS4 c = PyUnicode_READ_CHAR(code, i - 1);
        if (!is_name_char(c) && c != '.')
            break;
        i--;
    }
    return i;
}

/* The '(' of the call whose arguments the cursor is in, or -1. */
static Py_ssize_t open_paren(PyObject *code, Py_ssize_t cursor)
{
    int depth = 0;
    for (Py_ssize_t i = cursor - 1; i >= 0; i--) {
        Py_UCS4 c = PyUnicode_READ_CHAR(code, i);
        if (c == ')')
            depth++;
        else if (c == '(' && depth-- == 0)
            return i;
    }
    return -1;
}

static Py_ssize_t skip_spaces_back(PyObject *code, Py_ssize_t i)
{
    while (i > 0 && Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(code, i - 1)))
        i--;
    return i;
}

/* The name the cursor is on (os.pa|th), else the function being called (print(|). */
int kn_session_name_at(PyObject *code, Py_ssize_t cursor, Py_ssize_t *start, Py_ssize_t *end)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(code);
    Py_ssize_t e = cursor;
    while (e < len && is_name_char(PyUnicode_READ_CHAR(code, e)))
        e++;
    Py_ssize_t b = kn_session_name_start(code, cursor);
    if (b == e) {
        Py_ssize_t paren = open_paren(code, cursor);
        if (paren < 0)
            return 0;
        e = skip_spaces_back(code, paren);
        b = kn_session_name_start(code, e);
    }
    while (b < e && PyUnicode_READ_CHAR(code, b) == '.')
        b++;
    while (e > b && PyUnicode_READ_CHAR(code, e - 1) == '.')
        e--;
    *start = b;
    *end = e;
    return b < e;
}
