/* kiln.jit and kiln.njit: Numba's decorators, their signatures and options; kiln.KilnWarning. */
#include "pymod/decorators.h"

#include <stdlib.h>
#include <string.h>

#include "pymod/dispatcher.h"
#include "pymod/typeobj.h"

/* What the options ask of the compiler; the rest only warn. */
typedef struct jit_options {
    int boundscheck;
    int fastmath;
    int nopython; /* -1: not given */
    int forceobj;
} jit_options;

static PyObject *kiln_warning; /* kiln.KilnWarning */

PyObject *kn_pymod_kiln_warning(void)
{
    return kiln_warning;
}

/*
 * Options Numba accepts that Kiln does not implement yet, with the value
 * (its repr) that asks for nothing: the first other value warns, once per
 * option and process, so that Numba code runs unchanged.
 */
typedef struct later_option {
    const char *name;
    const char *inert;
    int warned;
} later_option;

static later_option later_options[] = {
    {"cache", "False", 0},
    {"nogil", "False", 0},
    {"parallel", "False", 0},
    {"error_model", "'python'", 0},
    {"inline", "'never'", 0},
    {"locals", "{}", 0},
    {"looplift", "True", 0},
    {"debug", "False", 0},
    {"forceinline", "False", 0},
    {"no_rewrites", "False", 0},
    {"no_cpython_wrapper", "False", 0},
    {"no_cfunc_wrapper", "False", 0},
    {"pipeline_class", "None", 0},
    {"target_backend", "'cpu'", 0},
    {"writable_args", "()", 0},
    {"_nrt", "True", 0},
    {"_dbg_optnone", "False", 0},
    {"_dbg_extend_lifetimes", "False", 0},
};

static later_option *find_later(const char *name)
{
    for (size_t i = 0; i < sizeof later_options / sizeof later_options[0]; i++)
        if (!strcmp(later_options[i].name, name))
            return &later_options[i];
    return NULL;
}

/* Warns about o's value unless it is inert (or None: Numba's "use the default"). */
static int warn_later(later_option *o, PyObject *value)
{
    if (o->warned || value == Py_None)
        return 0;
    PyObject *repr = PyObject_Repr(value);
    const char *text = repr ? PyUnicode_AsUTF8(repr) : NULL;
    int rc = text ? 0 : -1;
    if (text && strcmp(text, o->inert)) {
        o->warned = 1;
        rc = PyErr_WarnFormat(kiln_warning, 1,
                              "kiln does not implement the option %s=%U yet: it is ignored",
                              o->name, repr);
    }
    Py_XDECREF(repr);
    return rc;
}

static int flag_option(PyObject *value, int *flag)
{
    int truth = PyObject_IsTrue(value);
    if (truth < 0)
        return -1;
    *flag = truth;
    return 0;
}

/* nopython= and forceobj=: njit ignores them, as Numba's does. */
static int mode_option(const char *name, PyObject *value, int is_njit, jit_options *opts)
{
    if (is_njit)
        return PyErr_WarnFormat(PyExc_RuntimeWarning, 1, "%s is set for njit and is ignored", name);
    return flag_option(value, !strcmp(name, "forceobj") ? &opts->forceobj : &opts->nopython);
}

/* forceobj=True: object mode; nopython=False: object mode where nopython fails; else nopython. */
static kn_pymod_mode mode_of(const jit_options *opts)
{
    if (opts->forceobj)
        return KN_PYMOD_OBJECT;
    return opts->nopython == 0 ? KN_PYMOD_FALLBACK : KN_PYMOD_NOPYTHON;
}

static int apply_option(const char *decorator, const char *name, PyObject *value, int is_njit,
                        jit_options *opts)
{
    if (!strcmp(name, "boundscheck"))
        return value == Py_None ? 0 : flag_option(value, &opts->boundscheck);
    if (!strcmp(name, "fastmath")) /* True, or a set of LLVM flags: any of them turns it on */
        return flag_option(value, &opts->fastmath);
    if (!strcmp(name, "nopython") || !strcmp(name, "forceobj"))
        return mode_option(name, value, is_njit, opts);
    later_option *later = find_later(name);
    if (later)
        return warn_later(later, value);
    PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%s'", decorator, name);
    return -1;
}

/* KILN_BOUNDSCHECK=0 or 1 overrides every function's choice, as NUMBA_BOUNDSCHECK does. */
static void environment_options(jit_options *opts)
{
    const char *v = getenv("KILN_BOUNDSCHECK");
    if (v && (!strcmp(v, "0") || !strcmp(v, "1")))
        opts->boundscheck = v[0] == '1';
}

static int parse_options(const char *decorator, PyObject *kwargs, int is_njit, jit_options *opts)
{
    *opts = (jit_options){.boundscheck = 1, .nopython = -1};
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (kwargs && PyDict_Next(kwargs, &pos, &key, &value)) {
        const char *name = PyUnicode_AsUTF8(key);
        if (!name || apply_option(decorator, name, value, is_njit, opts) < 0)
            return -1;
    }
    environment_options(opts);
    return 0;
}

/* The dispatcher for func, compiled now for each of sigs; then frozen to them, as Numba's. */
static PyObject *decorate(PyObject *func, const jit_options *opts, const kn_signature *sigs, int n)
{
    /* jit(sig)(f) of an already jitted f compiles its Python function anew */
    if (PyObject_TypeCheck(func, &kn_pymod_dispatcher_type))
        func = ((kn_pymod_dispatcher *)func)->py_func;
    if (!PyFunction_Check(func)) {
        PyErr_Format(PyExc_TypeError, "The decorated object is not a function (got type %R).",
                     (PyObject *)Py_TYPE(func));
        return NULL;
    }
    PyObject *d = kn_pymod_dispatcher_new(func, opts->boundscheck, opts->fastmath, mode_of(opts));
    for (int i = 0; d && i < n; i++)
        if (!kn_pymod_dispatcher_compile((kn_pymod_dispatcher *)d, &sigs[i]))
            Py_CLEAR(d);
    if (d)
        ((kn_pymod_dispatcher *)d)->frozen = n > 0;
    return d;
}

/*
 * What jit(...) returns when it is not given the function: a builtin
 * function bound to a capsule that holds the options and signatures, which
 * decorates the function it is called with.
 */
typedef struct decorator {
    jit_options opts;
    kn_signature *sigs;
    int nsigs;
} decorator;

static const char decorator_capsule[] = "kiln.jit_decorator";

static void decorator_free(PyObject *capsule)
{
    decorator *dec = PyCapsule_GetPointer(capsule, decorator_capsule);
    PyMem_Free(dec->sigs);
    PyMem_Free(dec);
}

static PyObject *decorator_call(PyObject *capsule, PyObject *func)
{
    decorator *dec = PyCapsule_GetPointer(capsule, decorator_capsule);
    return dec ? decorate(func, &dec->opts, dec->sigs, dec->nsigs) : NULL;
}

static PyMethodDef decorator_def = {
    "jit_decorator", decorator_call, METH_O,
    "Applies kiln.jit, with the signatures and options it was given, to a function."};

/* The signatures jit was given: one (a string, a Signature, a tuple of types) or a list of them. */
static int parse_signatures(PyObject *spec, decorator *dec)
{
    int list = PyList_Check(spec);
    Py_ssize_t n = list ? PyList_GET_SIZE(spec) : 1;
    if (!list && !kn_pymod_is_signature_like(spec)) {
        PyErr_Format(PyExc_TypeError, "The decorated object is not a function (got type %R).",
                     (PyObject *)Py_TYPE(spec));
        return -1;
    }
    if (!(dec->sigs = PyMem_Calloc(n ? n : 1, sizeof *dec->sigs))) {
        PyErr_NoMemory();
        return -1;
    }
    for (dec->nsigs = 0; dec->nsigs < n; dec->nsigs++) {
        PyObject *item = list ? PyList_GET_ITEM(spec, dec->nsigs) : spec;
        if (kn_pymod_signature_from(item, &dec->sigs[dec->nsigs]) < 0)
            return -1;
    }
    return 0;
}

// jit(function) | jit(signature(s), **options) | jit(**options): Numba's three forms
static PyObject *jit_common(const char *name, PyObject *args, PyObject *kwargs, int is_njit)
{
    PyObject *target = Py_None;
    jit_options opts;
    if (!PyArg_UnpackTuple(args, name, 0, 1, &target) ||
        parse_options(name, kwargs, is_njit, &opts) < 0)
        return NULL;
    if (PyFunction_Check(target))
        return decorate(target, &opts, NULL, 0);
    decorator *dec = PyMem_Calloc(1, sizeof *dec);
    PyObject *capsule = dec ? PyCapsule_New(dec, decorator_capsule, decorator_free) : NULL;
    if (!capsule) {
        PyMem_Free(dec);
        return PyErr_Occurred() ? NULL : PyErr_NoMemory();
    }
    dec->opts = opts;
    PyObject *r = target == Py_None || parse_signatures(target, dec) == 0
                      ? PyCFunction_New(&decorator_def, capsule)
                      : NULL;
    Py_DECREF(capsule);
    return r;
}

static PyObject *jit(PyObject *module, PyObject *args, PyObject *kwargs)
{
    (void)module;
    return jit_common("jit", args, kwargs, 0);
}

static PyObject *njit(PyObject *module, PyObject *args, PyObject *kwargs)
{
    (void)module;
    return jit_common("njit", args, kwargs, 1);
}

static PyMethodDef decorator_functions[] = {
    {"jit", (PyCFunction)(void (*)(void))jit, METH_VARARGS | METH_KEYWORDS,
     "jit(signature_or_function=None, **options)\n--\n\n"
     "Compiles a function to native code through LLVM, as numba.jit (nopython mode). With "
     "signatures, compiles them now and only them; without, compiles on each call with new "
     "argument types. forceobj=True compiles in object mode (every value a Python object, "
     "every operation a C API call); nopython=False falls back to it, with a KilnWarning, "
     "where nopython mode fails. Options: boundscheck, fastmath; Numba's others are accepted "
     "with a KilnWarning."},
    {"njit", (PyCFunction)(void (*)(void))njit, METH_VARARGS | METH_KEYWORDS,
     "njit(signature_or_function=None, **options)\n--\n\njit in nopython mode, as numba.njit."},
    {NULL},
};

int kn_pymod_decorators_add(PyObject *m)
{
    if (!kiln_warning && !(kiln_warning = PyErr_NewExceptionWithDoc(
                               "kiln.KilnWarning",
                               "Warnings about what Kiln does differently from Numba, or not yet.",
                               PyExc_UserWarning, NULL)))
        return -1;
    if (PyModule_AddObjectRef(m, "KilnWarning", kiln_warning) < 0)
        return -1;
    return PyModule_AddFunctions(m, decorator_functions);
}
