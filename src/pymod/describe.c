/* A specialization described as a dict: what the per-cell report and the magics show. */
#include "pymod/pymod.h"

#include "pymod/backend.h"
#include "pymod/dispatcher.h"
#include "pymod/typeobj.h"

// {"parse": s, "infer": s, "lower": s, "optimize": s, "machine_code": s, "total": s}
static PyObject *stages(const kn_stage_times *t)
{
    double total = t->parse + t->infer + t->lower + t->optimize + t->machine_code;
    return Py_BuildValue("{sdsdsdsdsdsd}", "parse", t->parse, "infer", t->infer, "lower", t->lower,
                         "optimize", t->optimize, "machine_code", t->machine_code, "total", total);
}

/* The function's __qualname__, else its __name__, else "?". */
static PyObject *name_of(PyObject *dispatcher)
{
    PyObject *func = ((kn_pymod_dispatcher *)dispatcher)->py_func;
    PyObject *name = PyObject_GetAttrString(func, "__qualname__");
    if (name && PyUnicode_Check(name))
        return name;
    Py_XDECREF(name);
    PyErr_Clear();
    return PyUnicode_FromString("?");
}

/* "int64, array(float64, 1d, C)": the argument types as the signature shows them. */
static PyObject *argument_text(const kn_signature *sig)
{
    PyObject *names = PyList_New(sig->nargs);
    for (int i = 0; names && i < sig->nargs; i++) {
        PyObject *name = PyUnicode_FromString(sig->args[i]->name);
        if (!name)
            Py_CLEAR(names);
        else
            PyList_SET_ITEM(names, i, name);
    }
    PyObject *comma = names ? PyUnicode_FromString(", ") : NULL;
    PyObject *text = comma ? PyUnicode_Join(comma, names) : NULL;
    Py_XDECREF(comma);
    Py_XDECREF(names);
    return text;
}

static PyObject *text_or_none(const char *text)
{
    return text ? PyUnicode_FromString(text) : Py_NewRef(Py_None);
}

PyObject *kn_pymod_describe(PyObject *dispatcher, kn_specialization *spec, int with_asm)
{
    char signature[1024];
    kn_signature_format(&spec->sig, signature, sizeof signature);
    const kn_pymod_backend *backend = with_asm ? kn_pymod_backend_get() : NULL;
    const char *asm_text = backend ? backend->asm_text(spec) : NULL;
    if (with_asm && !asm_text)
        PyErr_Clear(); /* the report goes on without it */
    return Py_BuildValue("{sOsNsssNsNsssNsNsNsN}", "dispatcher", dispatcher, "name",
                         name_of(dispatcher), "signature", signature,
                         "args", argument_text(&spec->sig), "types",
                         kn_pymod_type_tuple(spec->sig.args, spec->sig.nargs), "mode",
                         spec->object_mode ? "object" : "nopython", "stages", stages(&spec->times),
                         "ir_raw", text_or_none(spec->ir_raw), "ir",
                         text_or_none(spec->ir_optimized), "asm", text_or_none(asm_text));
}

// kiln._specializations(dispatcher, asm=False): a dict per specialization, oldest first
static PyObject *specializations(PyObject *self, PyObject *args, PyObject *kwargs)
{
    (void)self;
    static char *names[] = {"dispatcher", "asm", NULL};
    PyObject *d;
    int with_asm = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!|p", names, &kn_pymod_dispatcher_type, &d,
                                     &with_asm))
        return NULL;
    kn_pymod_dispatcher *disp = (kn_pymod_dispatcher *)d;
    PyObject *list = PyList_New(disp->nspecs);
    for (int i = 0; list && i < disp->nspecs; i++) {
        PyObject *entry = kn_pymod_describe(d, disp->specs[i], with_asm);
        if (!entry)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, entry);
    }
    return list;
}

static PyMethodDef describe_def = {
    "_specializations", (PyCFunction)(void (*)(void))specializations, METH_VARARGS | METH_KEYWORDS,
    "_specializations(dispatcher, asm=False)\n--\n\nEach specialization of a jitted function as a "
    "dict: name, signature, args, types, mode, stages (seconds), ir_raw, ir, asm. For Kiln's "
    "magics and report."};

int kn_pymod_describe_add(PyObject *module)
{
    PyObject *fn = PyCFunction_NewEx(&describe_def, NULL, NULL);
    int rc = fn ? PyModule_AddObjectRef(module, "_specializations", fn) : -1;
    Py_XDECREF(fn);
    return rc;
}
