/*
 * Kiln's magics and per-cell report: written in Python (src/session/python/,
 * compiled in by cmake/embed.cmake), loaded the first time a cell uses a
 * magic or compiles something, so that a session that does neither pays
 * nothing for them.
 */
#include "session/internal.h"

#include <string.h>

#include "pymod/pymod.h"

extern const char kn_python_report[], kn_python_magics[];

static int run_into(PyObject *ns, const char *source, const char *filename)
{
    PyObject *code = Py_CompileString(source, filename, Py_file_input);
    PyObject *r = code ? PyEval_EvalCode(code, ns, ns) : NULL;
    Py_XDECREF(code);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

// _kiln_magic(name, line): what a magic line of a cell became
static PyObject *kiln_magic(PyObject *self, PyObject *args)
{
    kn_session *s = kn_session_from_self(self);
    PyObject *run = PyDict_GetItemString(s->tools, "run_magic");
    return run ? PyObject_Call(run, args, NULL) : NULL;
}

static PyMethodDef magic_def = {"_kiln_magic", kiln_magic, METH_VARARGS,
                                "_kiln_magic(name, line)\n--\n\nRuns the line magic %name line."};

/* The namespace of report.py and magics.py, loaded on first use (borrowed). */
static PyObject *tools(kn_session *s)
{
    if (s->tools)
        return s->tools;
    PyObject *ns =
        Py_BuildValue("{s:O,s:s}", "__builtins__", PyEval_GetBuiltins(), "__name__", "kiln.tools");
    int ok = ns && run_into(ns, kn_python_report, "<kiln report>") == 0 &&
             run_into(ns, kn_python_magics, "<kiln magics>") == 0 &&
             kn_session_install(s, "builtins", &magic_def) == 0;
    PyObject *init = ok ? PyDict_GetItemString(ns, "init") : NULL;
    PyObject *r = init ? PyObject_CallOneArg(init, s->main_dict) : NULL;
    Py_XDECREF(r);
    if (!r) {
        Py_XDECREF(ns);
        return NULL;
    }
    PyObject *color = PyBool_FromLong(s->color);
    PyDict_SetItemString(ns, "COLOR", color);
    Py_DECREF(color);
    s->tools = ns;
    return ns;
}

/* Does a line of code start with '%' (after its indentation)? Then it may hold a magic. */
static int may_have_magic(const char *code)
{
    for (const char *line = code; line; line = strchr(line, '\n')) {
        line += *line == '\n';
        line += strspn(line, " \t");
        if (*line == '%')
            return 1;
    }
    return 0;
}

PyObject *kn_session_magics_transform(kn_session *s, PyObject *source)
{
    const char *code = PyUnicode_AsUTF8(source);
    if (!code)
        return NULL;
    if (!may_have_magic(code))
        return Py_NewRef(source);
    PyObject *ns = tools(s);
    PyObject *transform = ns ? PyDict_GetItemString(ns, "transform") : NULL;
    return transform ? PyObject_CallOneArg(transform, source) : NULL;
}

void kn_session_report_begin(kn_session *s)
{
    s->compile_mark = kn_pymod_compile_mark();
}

typedef struct described {
    PyObject *list;
    Py_ssize_t with_asm; /* report.py's DETAILED: the first ones get their assembly made */
} described;

static void describe(void *ctx, PyObject *dispatcher, kn_specialization *spec)
{
    described *d = ctx;
    int with_asm = d->list && PyList_GET_SIZE(d->list) < d->with_asm;
    PyObject *entry = d->list ? kn_pymod_describe(dispatcher, spec, with_asm) : NULL;
    if (d->list && (!entry || PyList_Append(d->list, entry) < 0))
        Py_CLEAR(d->list);
    Py_XDECREF(entry);
}

static int report_wanted(PyObject *ns)
{
    PyObject *mode = PyDict_GetItemString(ns, "REPORT");
    return !mode || !PyUnicode_Check(mode) || PyUnicode_CompareWithASCIIString(mode, "off") != 0;
}

static void count(void *ctx, PyObject *dispatcher, kn_specialization *spec)
{
    (void)dispatcher;
    (void)spec;
    ++*(int *)ctx;
}

int kn_session_report(kn_session *s)
{
    int compiled = 0;
    kn_pymod_compiled_since(s->compile_mark, count, &compiled);
    if (!compiled)
        return 0;
    PyObject *ns = tools(s);
    if (!ns)
        return -1;
    if (!report_wanted(ns))
        return 0;
    PyObject *detailed = PyDict_GetItemString(ns, "DETAILED");
    described d = {PyList_New(0), detailed ? PyLong_AsSsize_t(detailed) : 0};
    if (d.list)
        kn_pymod_compiled_since(s->compile_mark, describe, &d);
    PyObject *make = PyDict_GetItemString(ns, "report_bundle");
    PyObject *bundle = d.list && make ? PyObject_CallOneArg(make, d.list) : NULL;
    Py_XDECREF(d.list);
    int rc = !bundle ? -1 : bundle == Py_None ? 0 : kn_session_show_bundle(s, bundle);
    Py_XDECREF(bundle);
    return rc;
}
