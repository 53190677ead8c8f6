/* A Python function's source, with its lines numbered as Python's compiler numbers them. */
#include "compiler/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

size_t kn_source_line(const char *text, const char **next)
{
    size_t n = strcspn(text, "\r\n");
    const char *end = text + n;
    *next = *end == '\r' && end[1] == '\n' ? end + 2 : *end ? end + 1 : end;
    return n;
}

/* ---- the file's text ---- */

/* items joined into one str: a new reference. */
static PyObject *joined(PyObject *items)
{
    PyObject *empty = PyUnicode_FromString("");
    PyObject *text = empty ? PyUnicode_Join(empty, items) : NULL;
    Py_XDECREF(empty);
    return text;
}

/* func's file as linecache has it (checked against the file, as inspect does), joined. */
static PyObject *linecache_text(PyObject *func, PyObject *filename)
{
    PyObject *linecache = PyImport_ImportModule("linecache");
    PyObject *checked =
        linecache ? PyObject_CallMethod(linecache, "checkcache", "O", filename) : NULL;
    PyObject *lines = checked ? PyObject_CallMethod(linecache, "getlines", "OO", filename,
                                                    PyFunction_GET_GLOBALS(func))
                              : NULL;
    PyObject *text = lines ? joined(lines) : NULL;
    Py_XDECREF(linecache);
    Py_XDECREF(checked);
    Py_XDECREF(lines);
    return text;
}

/* The regular file at path, as a malloc'd string of *size bytes; NULL when it cannot be read. */
static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    char *buf = NULL;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (buf = malloc(st.st_size + 1)) &&
        fread(buf, 1, st.st_size, f) == (size_t)st.st_size) {
        buf[st.st_size] = '\0';
        *size = st.st_size;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/*
 * Whether one of the first two lines may declare an encoding (PEP 263): a
 * comment that says "coding". Then decoding is Python's to do.
 */
static int may_declare_encoding(const char *text)
{
    const char *next;
    for (int i = 0; i < 2 && *text; i++, text = next) {
        const char *end = text + kn_source_line(text, &next);
        for (const char *p = memchr(text, '#', end - text); p && p + 6 <= end; p++)
            if (!memcmp(p, "coding", 6))
                return 1;
    }
    return 0;
}

/*
 * A script's text read here, when nothing has imported linecache yet
 * (`kiln FILE`): importing it brings tokenize, re and enum, ~10 ms of the
 * first compilation. Only the plain case: a UTF-8 file, a BOM allowed, that
 * declares no encoding. NULL, no exception set, when linecache must do it.
 */
static PyObject *plain_file_text(PyObject *filename)
{
    const char *path = PyUnicode_AsUTF8(filename);
    size_t size = 0;
    char *buf = path ? read_file(path, &size) : NULL;
    const char *text = buf && !strncmp(buf, "\xef\xbb\xbf", 3) ? buf + 3 : buf;
    PyObject *str = text && !may_declare_encoding(text)
                        ? PyUnicode_DecodeUTF8(text, size - (text - buf), NULL)
                        : NULL;
    free(buf);
    PyErr_Clear();
    return str;
}

/* func's file, or the cell the session registered in linecache, joined: a new reference. */
static PyObject *file_text(PyObject *func)
{
    PyObject *filename = ((PyCodeObject *)PyFunction_GET_CODE(func))->co_filename;
    PyObject *modules = PyImport_GetModuleDict();
    PyObject *text = PyDict_GetItemString(modules, "linecache") ? NULL : plain_file_text(filename);
    return text ? text : linecache_text(func, filename);
}

/* ---- the def's block ---- */

int kn_source_indentation(const char *line, const char **first)
{
    int col = 0;
    for (;; line++) {
        if (*line == ' ')
            col++;
        else if (*line == '\t')
            col = (col / 8 + 1) * 8;
        else if (*line == '\f')
            col = 0;
        else
            break;
    }
    *first = line;
    return col;
}

/* Past the string literal whose opening quote p is at; an unclosed one ends at its line's end. */
static const char *skip_string(const char *p)
{
    char quote = *p;
    int triple = p[1] == quote && p[2] == quote;
    for (p += triple ? 3 : 1; *p; p++) {
        if (*p == '\\' && p[1])
            p += p[1] == '\r' && p[2] == '\n' ? 2 : 1;
        else if (*p == quote && (!triple || (p[1] == quote && p[2] == quote)))
            return p + (triple ? 3 : 1);
        else if (!triple && (*p == '\n' || *p == '\r'))
            return p;
    }
    return p;
}

/* Past the logical line starting at p: its physical lines, joined by brackets, strings and \. */
static const char *skip_logical_line(const char *p)
{
    int depth = 0;
    while (*p) {
        const char *next;
        if (*p == '"' || *p == '\'') {
            p = skip_string(p);
        } else if (*p == '#') {
            p += strcspn(p, "\r\n");
        } else if (*p == '\\' && (p[1] == '\r' || p[1] == '\n')) {
            kn_source_line(p + 1, &p);
        } else if (*p == '\r' || *p == '\n') {
            kn_source_line(p, &next);
            if (!depth)
                return next;
            p = next;
        } else {
            if (strchr("([{", *p))
                depth++;
            else if (strchr(")]}", *p) && depth)
                depth--;
            p++;
        }
    }
    return p;
}

/* Whether a line whose first token is at first is blank or a comment: no logical line at all. */
static int is_blank(const char *first)
{
    return *first == '#' || *first == '\r' || *first == '\n' || !*first;
}

/*
 * Where the def that text starts with (decorators first) ends, as
 * inspect.getblock ends it: after the last logical line indented deeper
 * than the def, past the def's own, or after a comment line below it
 * indented as far as the body's first line.
 */
static const char *block_end(const char *text)
{
    const char *first, *next;
    int def_col = kn_source_indentation(text, &first);
    const char *p = text, *end = text;
    int in_body = 0;
    long body_offset = -1; /* the body's indentation in characters, as tokenize counts columns */
    while (*p) {
        int col = kn_source_indentation(p, &first);
        if (is_blank(first)) {
            kn_source_line(p, &next);
            if (*first == '#' && body_offset >= 0 && first - p >= body_offset)
                end = next;
            p = next;
            continue;
        }
        if (in_body && col <= def_col)
            break;
        if (in_body && body_offset < 0)
            body_offset = first - p;
        in_body |= *first != '@'; /* past the decorators, this is the def */
        end = p = skip_logical_line(first);
    }
    return end;
}

PyObject *kn_source_of(PyObject *func)
{
    int first = ((PyCodeObject *)PyFunction_GET_CODE(func))->co_firstlineno;
    PyObject *text = file_text(func);
    const char *p = text ? PyUnicode_AsUTF8(text) : NULL, *next;
    for (int i = 1; p && i < first && *p; i++, p = next)
        kn_source_line(p, &next);
    PyObject *def = p && *p ? PyUnicode_DecodeUTF8(p, block_end(p) - p, NULL) : NULL;
    Py_XDECREF(text);
    PyErr_Clear();
    return def;
}
