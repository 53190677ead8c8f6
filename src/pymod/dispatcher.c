/* The Dispatcher type: calls to a jitted function, compiled per argument types on first use. */
#include "pymod/dispatcher.h"

#include <stddef.h>
#include <structmember.h>

#include "compiler/diag.h"
#include "pymod/backend.h"
#include "pymod/bind.h"
#include "pymod/compiling.h"
#include "pymod/convert.h"
#include "pymod/decorators.h"
#include "pymod/registry.h"
#include "pymod/typeobj.h"
#include "pymod/typeof.h"

/* What the fast path types without calling kiln.typeof; set by kn_pymod_dispatcher_add. */
static const kn_type *t_int64, *t_float64, *t_bool, *t_complex128;

kn_specialization *kn_pymod_dispatcher_find(const kn_pymod_dispatcher *d,
                                            const kn_type *const *args, int n)
{
    for (int i = 0; i < d->nspecs; i++)
        if (kn_signature_takes(&d->specs[i]->sig, args, n))
            return d->specs[i];
    return NULL;
}

/* ---- Compiling ---- */

/* "int64, float64": argument types as Numba's messages list them; NULL stands for pyobject. */
static PyObject *type_names(const kn_type *const *types, int n)
{
    PyObject *names = PyUnicode_FromString("");
    for (int i = 0; names && i < n; i++) {
        PyObject *next = PyUnicode_FromFormat("%U%s%s", names, i ? ", " : "",
                                              types[i] ? types[i]->name : "pyobject");
        Py_SETREF(names, next);
    }
    return names;
}

static int append_spec(kn_pymod_dispatcher *d, kn_specialization *spec)
{
    if (d->nspecs == d->capacity) {
        int n = d->capacity ? d->capacity * 2 : 4;
        kn_specialization **grown = PyMem_Realloc(d->specs, n * sizeof *grown);
        if (!grown)
            return -1;
        d->specs = grown;
        d->capacity = n;
    }
    d->specs[d->nspecs++] = spec;
    return 0;
}

int kn_pymod_dispatcher_publish(kn_pymod_dispatcher *d, kn_specialization *spec)
{
    if (append_spec(d, spec) < 0) {
        kn_pymod_backend_get()->free(spec);
        PyErr_NoMemory();
        return -1;
    }
    kn_pymod_registry_add((PyObject *)d, spec);
    return 0;
}

static kn_resolved resolve_call(PyObject *callee, const kn_signature *sig, int final,
                                kn_callee *out);

/* Compiles d for sig (no specialization has its argument types yet); compiling.c says the rest. */
static kn_resolved compile_new(kn_pymod_dispatcher *d, const kn_signature *sig, kn_callee *out)
{
    const kn_pymod_backend *backend = kn_pymod_backend_get();
    kn_compile_progress *progress = backend ? kn_pymod_compiling_push(d, sig) : NULL;
    if (!progress)
        return KN_RESOLVE_FAILED;
    kn_compile_options opts = {.boundscheck = d->boundscheck,
                               .fastmath = d->fastmath,
                               .resolve_call = resolve_call,
                               .progress = progress};
    return kn_pymod_compiling_pop(backend->compile(d->py_func, sig, &opts), out);
}

/*
 * Object mode's one specialization, compiled on first use: every argument
 * and the result a pyobject, as Numba's object mode types them.
 */
static kn_specialization *object_spec(kn_pymod_dispatcher *d, int nargs)
{
    if (d->objmode)
        return d->objmode;
    const kn_pymod_backend *backend = kn_pymod_backend_get();
    if (!backend)
        return NULL;
    kn_signature sig = {.ret = kn_type_pyobject(), .nargs = nargs};
    for (int i = 0; i < nargs; i++)
        sig.args[i] = kn_type_pyobject();
    kn_compile_options opts = {
        .boundscheck = d->boundscheck, .fastmath = d->fastmath, .forceobj = 1};
    kn_specialization *spec = backend->compile(d->py_func, &sig, &opts);
    if (!spec || kn_pymod_dispatcher_publish(d, spec) < 0)
        return NULL;
    return d->objmode = spec;
}

/*
 * jit(nopython=False): nopython mode failed with the TypingError set, so
 * the function compiles in object mode, with a KilnWarning that says why
 * (as Numba's NumbaWarning). Other errors are errors.
 */
static kn_specialization *fall_back(kn_pymod_dispatcher *d, int nargs)
{
    if (d->mode != KN_PYMOD_FALLBACK || !PyErr_ExceptionMatches(kn_diag_typing_error_type()))
        return NULL;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *why = PyObject_Str(value ? value : type);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    int rc = why ? PyErr_WarnFormat(kn_pymod_kiln_warning(), 1,
                                    "%U falls back to object mode: nopython mode failed:\n%U",
                                    ((PyFunctionObject *)d->py_func)->func_qualname, why)
                 : -1;
    Py_XDECREF(why);
    return rc < 0 ? NULL : object_spec(d, nargs);
}

kn_specialization *kn_pymod_dispatcher_compile(kn_pymod_dispatcher *d, const kn_signature *sig)
{
    if (d->mode == KN_PYMOD_OBJECT || d->objmode)
        return object_spec(d, sig->nargs);
    kn_callee out = {kn_pymod_dispatcher_find(d, sig->args, sig->nargs), NULL};
    if (!out.spec && compile_new(d, sig, &out) != KN_RESOLVED)
        return fall_back(d, sig->nargs);
    return out.spec;
}

/* The dispatcher being compiled now records that its code calls callee, so callee outlives it. */
static int add_callee(kn_pymod_dispatcher *callee)
{
    kn_pymod_dispatcher *caller = kn_pymod_compiling_caller();
    if (!caller || caller == callee)
        return 0;
    int known = PySequence_Contains(caller->callees, (PyObject *)callee);
    if (known)
        return known < 0 ? -1 : 0;
    return PyList_Append(caller->callees, (PyObject *)callee);
}

static kn_specialization *find_convertible(const kn_pymod_dispatcher *d, const kn_signature *sig,
                                           int narrowing);

/*
 * A frozen callee: explicit signatures are a promise, as in Numba. The
 * first that the argument types convert to safely (int64 to float64, not
 * back), as a call from Python converts them; the call converts them.
 */
static kn_resolved frozen_callee(kn_pymod_dispatcher *d, const kn_signature *sig, kn_callee *out)
{
    if ((out->spec = find_convertible(d, sig, 0)))
        return KN_RESOLVED;
    PyObject *names = type_names(sig->args, sig->nargs);
    if (names)
        PyErr_Format(kn_diag_typing_error_type(),
                     "%U() has no compiled signature that argument type(s) %U convert to (it was "
                     "compiled for explicit signatures only)",
                     ((PyFunctionObject *)d->py_func)->func_qualname, names);
    Py_XDECREF(names);
    return KN_RESOLVE_FAILED;
}

/* The specialization a compiled call to d runs: in a cycle, compiled, converted to, or new. */
static kn_resolved callee_spec(kn_pymod_dispatcher *d, const kn_signature *sig, int final,
                               kn_callee *out)
{
    if (d->mode == KN_PYMOD_OBJECT) {
        PyErr_Format(kn_diag_typing_error_type(),
                     "%U() is compiled in object mode (forceobj=True): nopython code cannot call "
                     "it",
                     ((PyFunctionObject *)d->py_func)->func_qualname);
        return KN_RESOLVE_FAILED;
    }
    kn_resolved r = kn_pymod_compiling_find(d, sig, final, out);
    if (r != KN_NOT_KILN)
        return r;
    if ((out->spec = kn_pymod_dispatcher_find(d, sig->args, sig->nargs)))
        return KN_RESOLVED;
    if (d->frozen)
        return frozen_callee(d, sig, out);
    kn_signature args_only = *sig;
    args_only.ret = NULL;
    return compile_new(d, &args_only, out);
}

/* compile.h's resolve_call: the specialization a compiled call to callee runs. */
static kn_resolved resolve_call(PyObject *callee, const kn_signature *sig, int final,
                                kn_callee *out)
{
    if (!PyObject_TypeCheck(callee, &kn_pymod_dispatcher_type))
        return KN_NOT_KILN;
    kn_pymod_dispatcher *d = (kn_pymod_dispatcher *)callee;
    kn_resolved r = callee_spec(d, sig, final, out);
    if (r != KN_RESOLVED)
        return r;
    out->ret = out->spec->sig.ret;
    return add_callee(d) < 0 ? KN_RESOLVE_FAILED : r;
}

/* ---- Calling ---- */

static void release(PyObject **objects, int n)
{
    for (int i = 0; i < n; i++)
        Py_DECREF(objects[i]);
}

/* The first specialization, in compilation order, that every argument converts to. */
static kn_specialization *find_convertible(const kn_pymod_dispatcher *d, const kn_signature *sig,
                                           int narrowing)
{
    for (int i = 0; i < d->nspecs; i++) {
        const kn_signature *s = &d->specs[i]->sig;
        int ok = s->nargs == sig->nargs;
        for (int a = 0; ok && a < sig->nargs; a++)
            ok = kn_pymod_converts(sig->args[a], s->args[a], narrowing);
        if (ok)
            return d->specs[i];
    }
    return NULL;
}

static PyObject *call_converted(kn_specialization *spec, PyObject **args, const kn_signature *sig)
{
    PyObject *converted[KN_PYMOD_MAX_ARGS];
    for (int i = 0; i < sig->nargs; i++) {
        converted[i] = kn_pymod_convert(args[i], sig->args[i], spec->sig.args[i]);
        if (!converted[i]) {
            release(converted, i);
            return NULL;
        }
    }
    PyObject *r = spec->wrapper(converted);
    release(converted, sig->nargs);
    return r;
}

/* Numba's TypeError for a call no explicit signature accepts, with the signatures there are. */
static PyObject *no_matching_definition(const kn_pymod_dispatcher *d, const kn_signature *sig)
{
    PyObject *names = type_names(sig->args, sig->nargs);
    PyObject *text =
        names ? PyUnicode_FromFormat(
                    "No matching definition for argument type(s) %U\nCompiled signatures:", names)
              : NULL;
    for (int i = 0; text && i < d->nspecs; i++) {
        const kn_signature *s = &d->specs[i]->sig;
        PyObject *args = type_names(s->args, s->nargs);
        PyObject *next =
            args ? PyUnicode_FromFormat("%U\n    (%U) -> %s", text, args, s->ret->name) : NULL;
        Py_XDECREF(args);
        Py_SETREF(text, next);
    }
    if (text)
        PyErr_SetObject(PyExc_TypeError, text);
    Py_XDECREF(text);
    Py_XDECREF(names);
    return NULL;
}

/* "- argument 0: Cannot determine Kiln type of <class 'str'>" for the exception typeof just set. */
static PyObject *argument_reason(PyObject *lines, int i)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *next = PyUnicode_FromFormat("%U\n- argument %d: %S", lines, i, value ? value : type);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    Py_DECREF(lines);
    return next;
}

/* The type an argument is compiled for; NULL with ValueError for one Kiln cannot pass yet. */
static const kn_type *argument_type(PyObject *arg)
{
    const kn_type *t = kn_pymod_typeof(arg);
    if (!t || t->kind != KN_VOID)
        return t;
    PyErr_SetString(PyExc_ValueError, "None cannot be passed to compiled code yet");
    return NULL;
}

/*
 * sig->args[i] = the type of args[i]. An argument Kiln cannot type makes
 * the call fail as Numba's does: TypeError "No matching definition" when d
 * is frozen, else TypingError "non-precise type pyobject" with the reasons.
 */
static int type_arguments(const kn_pymod_dispatcher *d, PyObject **args, int n, kn_signature *sig)
{
    PyObject *lines = NULL;
    sig->nargs = n;
    for (int i = 0; i < n; i++) {
        if ((sig->args[i] = argument_type(args[i])))
            continue;
        if (!lines && !(lines = PyUnicode_FromString(
                            "non-precise type pyobject\n"
                            "This error may have been caused by the following argument(s):")))
            return -1;
        if (!(lines = argument_reason(lines, i)))
            return -1;
    }
    if (!lines)
        return 0;
    if (d->frozen)
        no_matching_definition(d, sig);
    else
        PyErr_SetObject(kn_diag_typing_error_type(), lines);
    Py_DECREF(lines);
    return -1;
}

/* Object mode takes any arguments: its specialization, compiled on the first call. */
static PyObject *call_object(kn_pymod_dispatcher *d, PyObject **args, int n)
{
    kn_specialization *spec = object_spec(d, n);
    return spec ? spec->wrapper(args) : NULL;
}

/*
 * A call with its arguments in parameter order: exact match, else compile,
 * else convert; in object mode, or after falling back to it (no other
 * specialization taking the arguments exactly), object mode's.
 */
static PyObject *call_bound(kn_pymod_dispatcher *d, PyObject **args, int n)
{
    if (d->mode == KN_PYMOD_OBJECT)
        return call_object(d, args, n);
    kn_signature sig = {0};
    int typed = type_arguments(d, args, n, &sig);
    kn_specialization *spec = typed == 0 ? kn_pymod_dispatcher_find(d, sig.args, n) : NULL;
    if (spec)
        return spec->wrapper(args);
    if (d->objmode) {
        PyErr_Clear(); /* arguments nopython mode cannot type: object mode takes them */
        return d->objmode->wrapper(args);
    }
    if (typed < 0) {
        spec = fall_back(d, n);
        return spec ? spec->wrapper(args) : NULL;
    }
    if (!d->frozen) {
        spec = kn_pymod_dispatcher_compile(d, &sig);
        return spec ? spec->wrapper(args) : NULL;
    }
    /* Safe conversions first; else a Python int or float may narrow to int32, float32... */
    if (!(spec = find_convertible(d, &sig, 0)))
        spec = find_convertible(d, &sig, 1);
    return spec ? call_converted(spec, args, &sig) : no_matching_definition(d, &sig);
}

/* Everything the fast path does not take: keywords, defaults, other types, first calls. */
static PyObject *call_slow(kn_pymod_dispatcher *d, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames)
{
    PyObject *bound[KN_PYMOD_MAX_ARGS];
    int n = kn_pymod_bind(d->py_func, args, nargs, kwnames, bound, KN_PYMOD_MAX_ARGS);
    if (n < 0)
        return NULL;
    PyObject *r = call_bound(d, bound, n);
    release(bound, n);
    return r;
}

/* An exact int that fits int64, without the cost of converting it. */
static inline int small_int(PyObject *o)
{
#if PY_VERSION_HEX < 0x030C0000
    /* Until 3.12, ob_size is the signed count of 15- or 30-bit digits: two always fit. */
    Py_ssize_t digits = Py_SIZE(o);
    return digits >= -2 && digits <= 2;
#else
    int overflow;
    PyLong_AsLongLongAndOverflow(o, &overflow);
    return !overflow;
#endif
}

/* The type of an exact builtin number or ndarray, or NULL: the slow path types the rest. */
static inline const kn_type *fast_type(PyObject *o)
{
    PyTypeObject *type = Py_TYPE(o);
    if (type == &PyLong_Type)
        return small_int(o) ? t_int64 : NULL;
    if (type == &PyFloat_Type)
        return t_float64;
    if (type == &PyBool_Type)
        return t_bool;
    return type == &PyComplex_Type ? t_complex128 : kn_pymod_typeof_exact_array(o);
}

/* The specialization for exactly these arguments, all of types fast_type knows; else NULL. */
static inline kn_specialization *fast_find(const kn_pymod_dispatcher *d, PyObject *const *args,
                                           Py_ssize_t n)
{
    const kn_type *types[KN_PYMOD_MAX_ARGS];
    if (n > KN_PYMOD_MAX_ARGS)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!(types[i] = fast_type(args[i])))
            return NULL;
    return kn_pymod_dispatcher_find(d, types, (int)n);
}

/*
 * The call path, kept to tens of nanoseconds for f(1): vectorcall, exact
 * type checks of the arguments, a linear scan of the specializations
 * comparing interned type pointers, and the specialization's wrapper.
 * Object mode's specialization takes any arguments, when all are given.
 */
static PyObject *dispatcher_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                                       PyObject *kwnames)
{
    kn_pymod_dispatcher *d = (kn_pymod_dispatcher *)self;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    kn_specialization *spec = kwnames || d->mode == KN_PYMOD_OBJECT ? NULL : fast_find(d, args, n);
    if (!spec && !kwnames && d->objmode && n == d->objmode->sig.nargs)
        spec = d->objmode;
    return spec ? spec->wrapper(args) : call_slow(d, args, n, kwnames);
}

/* ---- The type ---- */

PyObject *kn_pymod_dispatcher_new(PyObject *py_func, int boundscheck, int fastmath,
                                  kn_pymod_mode mode)
{
    kn_pymod_dispatcher *d = PyObject_GC_New(kn_pymod_dispatcher, &kn_pymod_dispatcher_type);
    if (!d)
        return NULL;
    d->vectorcall = dispatcher_vectorcall;
    d->py_func = Py_NewRef(py_func);
    d->dict = PyDict_New();
    d->callees = PyList_New(0);
    d->specs = NULL;
    d->nspecs = d->capacity = d->frozen = 0;
    d->boundscheck = boundscheck;
    d->fastmath = fastmath;
    d->mode = mode;
    d->objmode = NULL;
    PyObject_GC_Track(d);
    if (!d->dict || !d->callees) {
        Py_DECREF(d);
        return NULL;
    }
    /* __name__, __qualname__, __doc__, __module__, __wrapped__, as Numba's dispatchers have. */
    PyObject *functools = PyImport_ImportModule("functools");
    PyObject *r =
        functools ? PyObject_CallMethod(functools, "update_wrapper", "OO", d, py_func) : NULL;
    Py_XDECREF(functools);
    if (!r) {
        Py_DECREF(d);
        return NULL;
    }
    Py_DECREF(r);
    return (PyObject *)d;
}

static int dispatcher_traverse(PyObject *self, visitproc visit, void *arg)
{
    kn_pymod_dispatcher *d = (kn_pymod_dispatcher *)self;
    Py_VISIT(d->py_func);
    Py_VISIT(d->dict);
    Py_VISIT(d->callees);
    return 0;
}

static int dispatcher_clear(PyObject *self)
{
    kn_pymod_dispatcher *d = (kn_pymod_dispatcher *)self;
    Py_CLEAR(d->py_func);
    Py_CLEAR(d->dict);
    Py_CLEAR(d->callees);
    return 0;
}

static void dispatcher_dealloc(PyObject *self)
{
    kn_pymod_dispatcher *d = (kn_pymod_dispatcher *)self;
    PyObject_GC_UnTrack(self);
    dispatcher_clear(self);
    /* Specializations exist only once the backend has loaded, so this finds it loaded. */
    const kn_pymod_backend *backend = d->nspecs ? kn_pymod_backend_get() : NULL;
    for (int i = 0; backend && i < d->nspecs; i++)
        backend->free(d->specs[i]);
    PyMem_Free(d->specs);
    PyObject_GC_Del(self);
}

// CPUDispatcher(<function f at 0x...>)
static PyObject *dispatcher_repr(PyObject *self)
{
    return PyUnicode_FromFormat("CPUDispatcher(%R)", ((kn_pymod_dispatcher *)self)->py_func);
}

/* A dispatcher in a class body is a method, as a function is. */
static PyObject *dispatcher_get(PyObject *self, PyObject *obj, PyObject *type)
{
    (void)type;
    return obj ? PyMethod_New(self, obj) : Py_NewRef(self);
}

// f.compile("float64(int64)"): compile now, as Numba's Dispatcher.compile
static PyObject *dispatcher_compile_method(PyObject *self, PyObject *arg)
{
    kn_pymod_dispatcher *d = (kn_pymod_dispatcher *)self;
    if (d->frozen) {
        PyErr_SetString(PyExc_RuntimeError, "compilation disabled");
        return NULL;
    }
    kn_signature sig;
    if (kn_pymod_signature_from(arg, &sig) < 0 || !kn_pymod_dispatcher_compile(d, &sig))
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef dispatcher_methods[] = {
    {"compile", dispatcher_compile_method, METH_O,
     "compile(signature)\n--\n\nCompiles the function for signature now."},
    {"inspect_llvm", (PyCFunction)(void (*)(void))kn_pymod_inspect_llvm,
     METH_VARARGS | METH_KEYWORDS,
     "inspect_llvm(signature=None)\n--\n\nThe optimized LLVM IR: of one signature's "
     "specialization, or a dict of all by argument types."},
    {"inspect_asm", (PyCFunction)(void (*)(void))kn_pymod_inspect_asm, METH_VARARGS | METH_KEYWORDS,
     "inspect_asm(signature=None)\n--\n\nThe assembly: of one signature's specialization, or a "
     "dict of all by argument types."},
    {"inspect_types", (PyCFunction)(void (*)(void))kn_pymod_inspect_types,
     METH_VARARGS | METH_KEYWORDS,
     "inspect_types(file=None, signature=None)\n--\n\nPrints the source of each specialization "
     "annotated with the types of its variables."},
    {NULL},
};

static PyMemberDef dispatcher_members[] = {
    {"py_func", T_OBJECT, offsetof(kn_pymod_dispatcher, py_func), READONLY,
     "the Python function this dispatcher compiles"},
    {NULL},
};

static PyGetSetDef dispatcher_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {"signatures", kn_pymod_inspect_signatures, NULL,
     "the argument types of each specialization, as tuples", NULL},
    {"nopython_signatures", kn_pymod_inspect_nopython_signatures, NULL,
     "the signature of each specialization, return type included", NULL},
    {"overloads", kn_pymod_inspect_overloads, NULL,
     "argument types -> the compile result: .signature, .entry_point", NULL},
    {"stats", kn_pymod_inspect_stats, NULL,
     "argument types -> seconds spent in each compilation stage", NULL},
    {NULL},
};

PyTypeObject kn_pymod_dispatcher_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kiln.CPUDispatcher",
    .tp_basicsize = sizeof(kn_pymod_dispatcher),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL |
                Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_doc = "A function compiled by kiln.jit: one specialization per tuple of argument types.",
    .tp_vectorcall_offset = offsetof(kn_pymod_dispatcher, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_dictoffset = offsetof(kn_pymod_dispatcher, dict),
    .tp_repr = dispatcher_repr,
    .tp_descr_get = dispatcher_get,
    .tp_traverse = dispatcher_traverse,
    .tp_clear = dispatcher_clear,
    .tp_dealloc = dispatcher_dealloc,
    .tp_methods = dispatcher_methods,
    .tp_members = dispatcher_members,
    .tp_getset = dispatcher_getset,
};

int kn_pymod_dispatcher_add(PyObject *m)
{
    t_int64 = kn_type_int(64);
    t_float64 = kn_type_float(64);
    t_bool = kn_type_bool();
    t_complex128 = kn_type_complex128();
    if (PyType_Ready(&kn_pymod_dispatcher_type) < 0)
        return -1;
    return PyModule_AddObjectRef(m, "Dispatcher", (PyObject *)&kn_pymod_dispatcher_type);
}
