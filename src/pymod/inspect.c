/* A dispatcher's introspection, as Numba's: signatures, overloads, stats, inspect_llvm/asm/types */
#include "pymod/backend.h"
#include "pymod/dispatcher.h"
#include "pymod/typeobj.h"

#include <string.h>

static kn_pymod_dispatcher *as_dispatcher(PyObject *self)
{
    return (kn_pymod_dispatcher *)self;
}

static PyObject *argtypes(const kn_specialization *spec)
{
    return kn_pymod_type_tuple(spec->sig.args, spec->sig.nargs);
}

/* A list with one item per specialization, made by item. */
static PyObject *list_of(PyObject *self, PyObject *(*item)(const kn_specialization *))
{
    kn_pymod_dispatcher *d = as_dispatcher(self);
    PyObject *list = PyList_New(d->nspecs);
    for (int i = 0; list && i < d->nspecs; i++) {
        PyObject *o = item(d->specs[i]);
        if (!o)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, o);
    }
    return list;
}

/* A dict from each specialization's argument types to value(spec). */
static PyObject *dict_of(PyObject *self, PyObject *(*value)(kn_specialization *))
{
    kn_pymod_dispatcher *d = as_dispatcher(self);
    PyObject *dict = PyDict_New();
    for (int i = 0; dict && i < d->nspecs; i++) {
        PyObject *key = argtypes(d->specs[i]);
        PyObject *v = key ? value(d->specs[i]) : NULL;
        if (!v || PyDict_SetItem(dict, key, v) < 0)
            Py_CLEAR(dict);
        Py_XDECREF(key);
        Py_XDECREF(v);
    }
    return dict;
}

PyObject *kn_pymod_inspect_signatures(PyObject *self, void *closure)
{
    (void)closure;
    return list_of(self, argtypes);
}

static PyObject *signature(const kn_specialization *spec)
{
    return kn_pymod_signature_object(&spec->sig);
}

PyObject *kn_pymod_inspect_nopython_signatures(PyObject *self, void *closure)
{
    (void)closure;
    return list_of(self, signature);
}

// types.SimpleNamespace(signature=..., entry_point=<address of the native entry>)
static PyObject *compile_result(kn_specialization *spec)
{
    PyObject *types = PyImport_ImportModule("types");
    PyObject *ns = types ? PyObject_GetAttrString(types, "SimpleNamespace") : NULL;
    PyObject *kwargs = ns ? Py_BuildValue("{sNsN}", "signature", signature(spec), "entry_point",
                                          PyLong_FromVoidPtr(spec->native))
                          : NULL;
    PyObject *r = kwargs ? PyObject_VectorcallDict(ns, NULL, 0, kwargs) : NULL;
    Py_XDECREF(kwargs);
    Py_XDECREF(ns);
    Py_XDECREF(types);
    return r;
}

PyObject *kn_pymod_inspect_overloads(PyObject *self, void *closure)
{
    (void)closure;
    return dict_of(self, compile_result);
}

// {'parse': s, 'infer': s, 'lower': s, 'optimize': s, 'machine_code': s, 'total': s}
static PyObject *stage_times(kn_specialization *spec)
{
    const kn_stage_times *t = &spec->times;
    double total = t->parse + t->infer + t->lower + t->optimize + t->machine_code;
    return Py_BuildValue("{sdsdsdsdsdsd}", "parse", t->parse, "infer", t->infer, "lower", t->lower,
                         "optimize", t->optimize, "machine_code", t->machine_code, "total", total);
}

PyObject *kn_pymod_inspect_stats(PyObject *self, void *closure)
{
    (void)closure;
    return dict_of(self, stage_times);
}

/* The specialization a signature names (argument types, Signature, string); else KeyError. */
static kn_specialization *find_by_key(PyObject *self, PyObject *key)
{
    kn_signature sig;
    if (kn_pymod_signature_from(key, &sig) < 0)
        return NULL;
    kn_specialization *spec = kn_pymod_dispatcher_find(as_dispatcher(self), sig.args, sig.nargs);
    if (!spec)
        PyErr_SetObject(PyExc_KeyError, key);
    return spec;
}

static PyObject *ir_text(kn_specialization *spec)
{
    return PyUnicode_FromString(spec->ir_optimized ? spec->ir_optimized : "");
}

static PyObject *asm_text(kn_specialization *spec)
{
    const kn_pymod_backend *backend = kn_pymod_backend_get();
    const char *text = backend ? backend->asm_text(spec) : NULL;
    if (!text && !PyErr_Occurred())
        PyErr_SetString(PyExc_RuntimeError, "the assembly of this specialization is not available");
    return text ? PyUnicode_FromString(text) : NULL;
}

/* inspect_llvm and inspect_asm: text(one specialization), or a dict of them all. */
static PyObject *inspect_text(PyObject *self, PyObject *args, PyObject *kwargs, const char *format,
                              PyObject *(*text)(kn_specialization *))
{
    static char *keywords[] = {"signature", NULL};
    PyObject *key = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, format, keywords, &key))
        return NULL;
    if (key == Py_None)
        return dict_of(self, text);
    kn_specialization *spec = find_by_key(self, key);
    return spec ? text(spec) : NULL;
}

PyObject *kn_pymod_inspect_llvm(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return inspect_text(self, args, kwargs, "|O:inspect_llvm", ir_text);
}

PyObject *kn_pymod_inspect_asm(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return inspect_text(self, args, kwargs, "|O:inspect_asm", asm_text);
}

/* Writes one specialization's annotated source to file, framed as Numba frames it. */
static int write_annotated(PyObject *self, kn_specialization *spec, PyObject *file)
{
    const char *annotated = spec->annotated ? spec->annotated : "";
    size_t len = strlen(annotated);
    while (len && annotated[len - 1] == '\n') /* the frame's own newline follows */
        len--;
    char dashes[81], equals[81];
    memset(dashes, '-', 80);
    memset(equals, '=', 80);
    dashes[80] = equals[80] = 0;
    PyObject *key = argtypes(spec);
    PyObject *body = key ? PyUnicode_FromStringAndSize(annotated, (Py_ssize_t)len) : NULL;
    PyObject *name = ((PyFunctionObject *)as_dispatcher(self)->py_func)->func_name;
    PyObject *text =
        body ? PyUnicode_FromFormat("%U %R\n%s\n%U\n%s\n", name, key, dashes, body, equals) : NULL;
    PyObject *r = text ? PyObject_CallMethod(file, "write", "O", text) : NULL;
    Py_XDECREF(r);
    Py_XDECREF(text);
    Py_XDECREF(body);
    Py_XDECREF(key);
    return r ? 0 : -1;
}

// inspect_types(file=None, signature=None): annotated sources, to file or sys.stdout
PyObject *kn_pymod_inspect_types(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"file", "signature", NULL};
    PyObject *file = Py_None, *key = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:inspect_types", keywords, &file, &key))
        return NULL;
    if (file == Py_None && !(file = PySys_GetObject("stdout"))) {
        PyErr_SetString(PyExc_RuntimeError, "inspect_types: sys.stdout is not set");
        return NULL;
    }
    kn_pymod_dispatcher *d = as_dispatcher(self);
    kn_specialization *only = key == Py_None ? NULL : find_by_key(self, key);
    if (key != Py_None && !only)
        return NULL;
    for (int i = 0; i < d->nspecs; i++)
        if ((!only || d->specs[i] == only) && write_annotated(self, d->specs[i], file) < 0)
            return NULL;
    Py_RETURN_NONE;
}
