/* sys.displayhook and display(): mime bundles of objects, sent to frontend->display. */
#include "session/internal.h"

#include <stdlib.h>

enum kind { TEXT, BINARY, JSON };

/* The rich representations IPython asks objects for, and how an answer becomes an entry. */
static const struct {
    const char *method;
    const char *mime;
    enum kind kind;
} reprs[] = {
    {"_repr_html_", "text/html", TEXT},        {"_repr_markdown_", "text/markdown", TEXT},
    {"_repr_svg_", "image/svg+xml", TEXT},     {"_repr_png_", "image/png", BINARY},
    {"_repr_jpeg_", "image/jpeg", BINARY},     {"_repr_latex_", "text/latex", TEXT},
    {"_repr_json_", "application/json", JSON},
};
enum { NREPRS = sizeof reprs / sizeof reprs[0], MIMEBUNDLE = NREPRS };

static PyObject *base64_of(PyObject *bytes)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(bytes);
    Py_ssize_t n = PyBytes_GET_SIZE(bytes);
    PyObject *text = PyUnicode_New(4 * ((n + 2) / 3), 127);
    if (!text)
        return NULL;
    Py_UCS1 *q = PyUnicode_1BYTE_DATA(text);
    for (Py_ssize_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        *q++ = digits[v >> 18];
        *q++ = digits[(v >> 12) & 63];
        *q++ = i + 1 < n ? digits[(v >> 6) & 63] : '=';
        *q++ = i + 2 < n ? digits[v & 63] : '=';
    }
    return text;
}

static int is_json(PyObject *v)
{
    char *text = kn_session_json_dumps(v);
    free(text);
    if (!text)
        PyErr_Clear();
    return text != NULL;
}

/*
 * The method `name` of obj bound to it, or NULL. It is looked up on the type,
 * as IPython does: an instance's own attributes (or a __getattr__ answering
 * every name) are not asked, and a class being shown is not asked at all.
 */
static PyObject *type_method(PyObject *obj, PyObject *name)
{
    if (PyType_Check(obj))
        return NULL;
    PyObject *descr = _PyType_Lookup(Py_TYPE(obj), name);
    if (!descr)
        return NULL;
    descrgetfunc get = Py_TYPE(descr)->tp_descr_get;
    if (!get)
        return Py_NewRef(descr);
    PyObject *method = get(descr, obj, (PyObject *)Py_TYPE(obj));
    if (!method)
        PyErr_Clear();
    return method;
}

/*
 * Calls a representation method. One that raises or answers None is skipped
 * (*out stays NULL); only an interrupt goes on up (-1).
 */
static int call_repr(PyObject *method, PyObject *kwnames, PyObject **out)
{
    PyObject *args[] = {Py_None, Py_None};
    *out = PyObject_Vectorcall(method, args, 0, kwnames);
    if (*out == Py_None)
        Py_CLEAR(*out);
    if (*out || !PyErr_Occurred())
        return 0;
    if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt))
        return -1;
    PyErr_Clear();
    return 0;
}

/* An answer may be (data, metadata), as in IPython. */
static void split_metadata(PyObject **value, PyObject **metadata)
{
    *metadata = NULL;
    if (!PyTuple_Check(*value) || PyTuple_GET_SIZE(*value) != 2)
        return;
    PyObject *pair = *value;
    *value = Py_NewRef(PyTuple_GET_ITEM(pair, 0));
    if (PyDict_Check(PyTuple_GET_ITEM(pair, 1)) && is_json(PyTuple_GET_ITEM(pair, 1)))
        *metadata = Py_NewRef(PyTuple_GET_ITEM(pair, 1));
    Py_DECREF(pair);
}

/* The bundle entry for a representation, or NULL (no exception) when it has the wrong type. */
static PyObject *entry_value(PyObject *v, enum kind kind)
{
    if (PyUnicode_Check(v))
        return kind == JSON ? NULL : Py_NewRef(v);
    if (kind == BINARY && PyBytes_Check(v))
        return base64_of(v);
    if (kind == JSON && (PyDict_Check(v) || PyList_Check(v)) && is_json(v))
        return Py_NewRef(v);
    return NULL;
}

static int set_entry(PyObject *dict, PyObject *key, PyObject *value)
{
    return value ? PyDict_SetItem(dict, key, value) : 0;
}

static int add_repr(kn_session *s, PyObject *obj, int i, PyObject *data, PyObject *md)
{
    PyObject *method = type_method(obj, PyTuple_GET_ITEM(s->repr_names, i));
    if (!method)
        return 0;
    PyObject *v, *entry_md;
    int rc = call_repr(method, NULL, &v);
    Py_DECREF(method);
    if (rc < 0 || !v)
        return rc;
    split_metadata(&v, &entry_md);
    PyObject *value = entry_value(v, reprs[i].kind);
    PyObject *mime = PyUnicode_FromString(reprs[i].mime);
    rc = !mime || (PyErr_Occurred() && !value) ? -1 : 0;
    if (rc == 0 && value)
        rc = set_entry(data, mime, value) < 0 || set_entry(md, mime, entry_md) < 0 ? -1 : 0;
    Py_XDECREF(mime);
    Py_XDECREF(value);
    Py_XDECREF(entry_md);
    Py_DECREF(v);
    return rc;
}

/* Entries of a _repr_mimebundle_ answer that are text or JSON override the others. */
static int merge_entries(PyObject *into, PyObject *from)
{
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    if (!from || !PyDict_Check(from))
        return 0;
    while (PyDict_Next(from, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || !(PyUnicode_Check(value) || is_json(value)))
            continue;
        if (PyDict_SetItem(into, key, value) < 0)
            return -1;
    }
    return 0;
}

static int add_mimebundle(kn_session *s, PyObject *obj, PyObject *data, PyObject *md)
{
    PyObject *method = type_method(obj, PyTuple_GET_ITEM(s->repr_names, MIMEBUNDLE));
    if (!method)
        return 0;
    PyObject *v, *bundle_md, *kwnames = Py_BuildValue("(ss)", "include", "exclude");
    int rc = kwnames ? call_repr(method, kwnames, &v) : -1;
    Py_DECREF(method);
    Py_XDECREF(kwnames);
    if (rc < 0 || !v)
        return rc;
    split_metadata(&v, &bundle_md);
    rc = merge_entries(data, v) < 0 || merge_entries(md, bundle_md) < 0 ? -1 : 0;
    Py_XDECREF(bundle_md);
    Py_DECREF(v);
    return rc;
}

PyObject *kn_session_mimebundle(kn_session *s, PyObject *obj, PyObject **metadata)
{
    PyObject *data = PyDict_New(), *md = PyDict_New(), *plain = PyObject_Repr(obj);
    int rc = data && md && plain ? PyDict_SetItemString(data, "text/plain", plain) : -1;
    Py_XDECREF(plain);
    for (int i = 0; rc == 0 && i < NREPRS; i++)
        rc = add_repr(s, obj, i, data, md);
    if (rc == 0)
        rc = add_mimebundle(s, obj, data, md);
    if (rc < 0) {
        Py_XDECREF(data);
        Py_XDECREF(md);
        return NULL;
    }
    *metadata = md;
    return data;
}

/* Where there is no front end to show it (a script, another thread), text goes to sys.stdout. */
static int print_plain(PyObject *data)
{
    PyObject *out = PySys_GetObject("stdout");
    PyObject *plain = PyDict_GetItemString(data, "text/plain");
    if (!out || out == Py_None || !plain)
        return 0;
    if (PyFile_WriteObject(plain, out, Py_PRINT_RAW) < 0)
        return -1;
    return PyFile_WriteString("\n", out);
}

static int send_bundle(kn_session *s, PyObject *data, PyObject *md, int count)
{
    if (!s->fe.display || !kn_session_on_main_thread(s))
        return print_plain(data);
    kn_session_output_flush(s);
    char *data_json = kn_session_json_dumps(data);
    char *md_json = data_json ? kn_session_json_dumps(md) : NULL;
    if (md_json)
        s->fe.display(s->fe.ctx, data_json, md_json, count);
    free(data_json);
    free(md_json);
    return md_json ? 0 : -1;
}

/* Shows obj, with extra metadata if given; *plain (if asked for) receives its text/plain. */
static int show(kn_session *s, PyObject *obj, int count, PyObject *metadata, PyObject **plain)
{
    PyObject *md, *data = kn_session_mimebundle(s, obj, &md);
    if (!data)
        return -1;
    int rc = metadata ? PyDict_Update(md, metadata) : 0;
    if (rc == 0)
        rc = send_bundle(s, data, md, count);
    if (rc == 0 && plain)
        *plain = Py_XNewRef(PyDict_GetItemString(data, "text/plain"));
    Py_DECREF(data);
    Py_DECREF(md);
    return rc;
}

static PyObject *displayhook(PyObject *self, PyObject *value)
{
    kn_session *s = kn_session_from_self(self);
    if (value == Py_None || s->silent)
        Py_RETURN_NONE;
    PyObject *plain = NULL;
    int rc = s->fe.display ? show(s, value, s->prompt_count, NULL, &plain) : 0;
    if (rc == 0)
        rc = kn_session_history_store_output(s, value, plain);
    Py_XDECREF(plain);
    if (rc < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* display(obj, ..., raw=True): each obj is already a bundle. */
static int show_raw(kn_session *s, PyObject *bundle, PyObject *metadata)
{
    if (!PyDict_Check(bundle)) {
        PyErr_SetString(PyExc_TypeError, "display(raw=True) takes mime bundles (dicts)");
        return -1;
    }
    PyObject *md = metadata ? Py_NewRef(metadata) : PyDict_New();
    int rc = md ? send_bundle(s, bundle, md, 0) : -1;
    Py_XDECREF(md);
    return rc;
}

int kn_session_show_bundle(kn_session *s, PyObject *bundle)
{
    return s->silent ? 0 : show_raw(s, bundle, NULL);
}

static PyObject *display(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"raw", "metadata", NULL};
    kn_session *s = kn_session_from_self(self);
    PyObject *empty = PyTuple_New(0), *metadata = NULL;
    int raw = 0;
    int ok = empty && PyArg_ParseTupleAndKeywords(empty, kwargs, "|$pO!:display", kwlist, &raw,
                                                  &PyDict_Type, &metadata);
    Py_XDECREF(empty);
    if (!ok)
        return NULL;
    for (Py_ssize_t i = 0; !s->silent && i < PyTuple_GET_SIZE(args); i++) {
        PyObject *obj = PyTuple_GET_ITEM(args, i);
        if ((raw ? show_raw(s, obj, metadata) : show(s, obj, 0, metadata, NULL)) < 0)
            return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef hook_def = {"displayhook", displayhook, METH_O,
                               "Show a cell's result through the Kiln front end."};
static PyMethodDef display_def = {"display", (PyCFunction)(void (*)(void))display,
                                  METH_VARARGS | METH_KEYWORDS,
                                  "display(*objs, raw=False, metadata=None)\n--\n\n"
                                  "Show each object with its richest representations."};

static int make_repr_names(kn_session *s)
{
    s->repr_names = PyTuple_New(NREPRS + 1);
    if (!s->repr_names)
        return -1;
    for (int i = 0; i <= NREPRS; i++) {
        PyObject *name =
            PyUnicode_InternFromString(i < NREPRS ? reprs[i].method : "_repr_mimebundle_");
        if (!name)
            return -1;
        PyTuple_SET_ITEM(s->repr_names, i, name);
    }
    return 0;
}

int kn_session_display_init(kn_session *s)
{
    if (make_repr_names(s) < 0 || kn_session_install(s, "sys", &hook_def) < 0)
        return -1;
    return kn_session_install(s, "builtins", &display_def);
}
