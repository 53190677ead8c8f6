/* kernel[grid, block, stream, shared_bytes](args): the configuration, arguments packed, the launch.
 */
#include "pymod/cuda.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile_cuda.h"
#include "pymod/convert.h"
#include "pymod/typeof.h"

typedef struct configured {
    PyObject_HEAD kn_pymod_cuda_kernel *kernel;
    unsigned grid[3], block[3];
    unsigned shared_bytes;
} configured;

/* A grid or block size: an int, or a tuple of 1 to 3 of them (missing axes are 1). 0 or -1. */
static int dims(PyObject *v, unsigned out[3], const char *what)
{
    out[0] = out[1] = out[2] = 1;
    PyObject *t = PyTuple_Check(v) ? Py_NewRef(v) : PyTuple_Pack(1, v);
    Py_ssize_t n = t ? PyTuple_GET_SIZE(t) : 0;
    int rc = t && n >= 1 && n <= 3 ? 0 : -1;
    for (Py_ssize_t i = 0; rc == 0 && i < n; i++) {
        long long x = PyLong_AsLongLong(PyTuple_GET_ITEM(t, i));
        rc = x >= 1 && x <= UINT32_MAX ? 0 : -1;
        out[i] = (unsigned)x;
    }
    Py_XDECREF(t);
    if (rc < 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError,
                     "the %s of a launch is a positive int or a tuple of 1 to 3 of them, not %R",
                     what, v);
    }
    return rc;
}

/* Streams are not supported yet: everything runs on the default stream, in order. */
static int parse(configured *c, PyObject *key)
{
    Py_ssize_t n = PyTuple_Check(key) ? PyTuple_GET_SIZE(key) : 0;
    if (n < 2 || n > 4) {
        PyErr_SetString(PyExc_ValueError, "a launch configuration is kernel[blocks, threads], "
                                          "kernel[blocks, threads, stream] or "
                                          "kernel[blocks, threads, stream, shared_bytes]");
        return -1;
    }
    if (dims(PyTuple_GET_ITEM(key, 0), c->grid, "grid") < 0 ||
        dims(PyTuple_GET_ITEM(key, 1), c->block, "block") < 0)
        return -1;
    long long shared = n == 4 ? PyLong_AsLongLong(PyTuple_GET_ITEM(key, 3)) : 0;
    if (shared < 0 || shared > UINT32_MAX) {
        PyErr_Clear();
        PyErr_SetString(PyExc_ValueError, "shared_bytes is a non-negative int");
        return -1;
    }
    c->shared_bytes = (unsigned)shared;
    return 0;
}

/* The kernel type of an argument: a device array's, an ndarray's (a C-ordered copy), a number's. */
static const kn_type *arg_type(PyObject *arg)
{
    if (PyObject_TypeCheck(arg, &kn_pymod_device_array_type))
        return ((kn_pymod_device_array *)arg)->type;
    const kn_type *t = kn_pymod_typeof(arg);
    if (t && t->kind == KN_ARRAY)
        return kn_type_array(t->dtype, t->ndim, 'C');
    if (t && (!kn_type_is_number(t) || t->kind == KN_COMPLEX)) {
        PyErr_Format(PyExc_TypeError, "a CUDA kernel takes arrays and real numbers, not %s",
                     t->name);
        return NULL;
    }
    return t;
}

/* The first specialization every argument converts to (see convert.h), in compilation order. */
static kn_pymod_cuda_spec *find_convertible(kn_pymod_cuda_kernel *kr, const kn_signature *sig,
                                            int narrowing)
{
    for (int i = 0; i < kr->nspecs; i++) {
        const kn_signature *s = &kr->specs[i].k->sig;
        int ok = s->nargs == sig->nargs;
        for (int j = 0; ok && j < sig->nargs; j++)
            ok = kn_pymod_converts(sig->args[j], s->args[j], narrowing);
        if (ok)
            return &kr->specs[i];
    }
    return NULL;
}

/* "int64, float32[:]": the argument types of sig. */
static void type_names(const kn_signature *sig, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; i < sig->nargs && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", sig->args[i]->name);
}

/* Numba's TypeError for a launch no explicit signature takes, with the signatures there are. */
static kn_pymod_cuda_spec *no_matching_definition(kn_pymod_cuda_kernel *kr, const kn_signature *sig)
{
    char text[4096], names[512];
    type_names(sig, names, sizeof names);
    size_t n = (size_t)snprintf(
        text, sizeof text,
        "No matching definition for argument type(s) %s\nCompiled signatures:", names);
    for (int i = 0; i < kr->nspecs && n < sizeof text; i++) {
        type_names(&kr->specs[i].k->sig, names, sizeof names);
        n += (size_t)snprintf(text + n, sizeof text - n, "\n    (%s) -> none", names);
    }
    PyErr_SetString(PyExc_TypeError, text);
    return NULL;
}

/*
 * The specialization args run. A kernel compiled for explicit signatures
 * takes the first the arguments convert to safely, else with narrowing
 * (as a call of a nopython function does); a lazy one, the one compiled
 * for exactly their types, else a new one.
 */
static kn_pymod_cuda_spec *choose(kn_pymod_cuda_kernel *kr, const kn_signature *sig)
{
    if (kr->frozen) {
        kn_pymod_cuda_spec *spec = find_convertible(kr, sig, 0);
        if (!spec)
            spec = find_convertible(kr, sig, 1);
        return spec ? spec : no_matching_definition(kr, sig);
    }
    for (int i = 0; i < kr->nspecs; i++)
        if (kn_signature_takes(&kr->specs[i].k->sig, sig->args, sig->nargs))
            return &kr->specs[i];
    /* The device's own architecture, unless KILN_CUDA_ARCH names one; LLVM 19 knows up to sm_90. */
    char name[256], arch[16];
    int major, minor;
    if (kn_gpu_device(name, sizeof name, &major, &minor) < 0) {
        kn_pymod_cuda_raise();
        return NULL;
    }
    int sm = major * 10 + minor;
    snprintf(arch, sizeof arch, "sm_%d", sm > 90 ? 90 : sm);
    const char *forced = getenv("KILN_CUDA_ARCH");
    return kn_pymod_cuda_kernel_compile(kr, sig, forced && *forced ? forced : arch);
}

/* The spec's CUfunction, its module loaded on the GPU at the first launch (unloaded with it). */
static void *function_of(kn_pymod_cuda_spec *spec)
{
    if (spec->function)
        return spec->function;
    if (kn_gpu_module_load(spec->k->ptx, &spec->module) < 0)
        return kn_pymod_cuda_raise();
    if (kn_gpu_function(spec->module, spec->k->name, &spec->function) < 0) {
        kn_pymod_cuda_raise();
        kn_gpu_module_unload(spec->module);
        spec->module = spec->function = NULL;
    }
    return spec->function;
}

/* What one launch holds: each parameter's value, and the device copies of host arrays. */
typedef struct packing {
    uint64_t
        *values; /* one slot per kernel parameter: ints widened (little-endian), floats as is */
    void **params;
    int n;
    PyObject **copies; /* per argument: a DeviceNDArray made for a NumPy array, else NULL */
} packing;

static void put(packing *p, uint64_t v)
{
    p->values[p->n] = v;
    p->params[p->n] = &p->values[p->n];
    p->n++;
}

/* A number, as the kernel's parameter type t holds it. 0 or -1. */
static int put_number(packing *p, PyObject *arg, const kn_type *t)
{
    uint64_t bits = 0;
    if (t->kind == KN_FLOAT) {
        double d = PyFloat_AsDouble(arg);
        float f = (float)d;
        memcpy(&bits, t->bits == 32 ? (void *)&f : (void *)&d, t->bits / 8);
    } else if (t->kind == KN_BOOL) {
        int b = PyObject_IsTrue(arg);
        bits = b > 0;
        if (b < 0)
            return -1;
    } else {
        PyObject *i = PyNumber_Index(arg);
        bits = i ? (uint64_t)PyLong_AsUnsignedLongLongMask(i) : 0;
        Py_XDECREF(i);
    }
    if (PyErr_Occurred())
        return -1;
    put(p, bits);
    return 0;
}

/* An array: its device pointer, sizes and strides (see codegen/kernel.h). 0 or -1. */
static int put_array(packing *p, PyObject *arg, int i)
{
    kn_pymod_device_array *d = (kn_pymod_device_array *)arg;
    if (!PyObject_TypeCheck(arg, &kn_pymod_device_array_type)) {
        d = kn_pymod_device_array_from(arg, 1);
        if (!d)
            return -1;
        p->copies[i] = (PyObject *)d;
    }
    put(p, d->ptr);
    for (int part = 0; part < 2; part++) {
        PyObject *t = part ? d->strides : d->shape;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(t); k++)
            put(p, (uint64_t)PyLong_AsLongLong(PyTuple_GET_ITEM(t, k)));
    }
    return 0;
}

/* args, of the types in given, as the kernel's parameters (sig) take them. 0 or -1. */
static int pack(packing *p, PyObject *args, const kn_signature *given, const kn_signature *sig)
{
    for (int i = 0; i < sig->nargs; i++) {
        PyObject *arg = PyTuple_GET_ITEM(args, i);
        const kn_type *t = sig->args[i];
        if (t->kind == KN_ARRAY) {
            if (put_array(p, arg, i) < 0)
                return -1;
            continue;
        }
        PyObject *v = kn_pymod_convert(arg, given->args[i], t); /* a value out of range raises */
        int rc = v ? put_number(p, v, t) : -1;
        Py_XDECREF(v);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* After the kernel: the NumPy arrays passed get the device's items back, as in Numba. */
static int copy_back(packing *p, PyObject *args, int nargs)
{
    int synced = 0;
    for (int i = 0; i < nargs; i++) {
        if (!p->copies[i])
            continue;
        if (!synced++ && kn_gpu_synchronize() < 0) {
            kn_pymod_cuda_raise();
            return -1;
        }
        kn_pymod_device_array *d = (kn_pymod_device_array *)p->copies[i];
        if (kn_pymod_device_array_into(d, PyTuple_GET_ITEM(args, i)) < 0)
            return -1;
    }
    return 0;
}

/* Packs the arguments, launches, copies host arrays back. 0 or -1. */
static int run(configured *c, kn_pymod_cuda_spec *spec, PyObject *args, const kn_signature *sig,
               packing *p)
{
    void *fn = function_of(spec);
    if (!fn || pack(p, args, sig, &spec->k->sig) < 0)
        return -1;
    if (kn_gpu_launch(fn, c->grid, c->block, c->shared_bytes, NULL, p->params) < 0) {
        kn_pymod_cuda_raise();
        return -1;
    }
    return copy_back(p, args, spec->k->sig.nargs);
}

static int launch(configured *c, PyObject *args, kn_signature *sig)
{
    if (kn_gpu_init() < 0) {
        kn_pymod_cuda_raise();
        return -1;
    }
    kn_pymod_cuda_spec *spec = choose(c->kernel, sig);
    if (!spec)
        return -1;
    const kn_signature *params = &spec->k->sig; /* what pack() puts, one slot each */
    int nparams = 0;
    for (int i = 0; i < params->nargs; i++)
        nparams += params->args[i]->kind == KN_ARRAY ? 1 + 2 * params->args[i]->ndim : 1;
    packing p = {
        .values = calloc((size_t)nparams + 1, sizeof *p.values),
        .params = calloc((size_t)nparams + 1, sizeof *p.params),
        .copies = calloc((size_t)sig->nargs + 1, sizeof *p.copies),
    };
    int rc = p.values && p.params && p.copies ? run(c, spec, args, sig, &p) : -1;
    if (rc < 0 && !PyErr_Occurred())
        PyErr_NoMemory();
    for (int i = 0; p.copies && i < sig->nargs; i++)
        Py_XDECREF(p.copies[i]);
    free(p.values);
    free(p.params);
    free(p.copies);
    return rc;
}

static PyObject *configured_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    configured *c = (configured *)self;
    if (kwargs && PyDict_GET_SIZE(kwargs))
        return PyErr_Format(PyExc_TypeError, "a CUDA kernel takes no keyword arguments");
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n > (Py_ssize_t)(sizeof((kn_signature *)0)->args / sizeof(kn_type *)))
        return PyErr_Format(PyExc_TypeError, "a CUDA kernel takes at most 32 arguments");
    kn_signature sig = {.nargs = (int)n};
    for (int i = 0; i < sig.nargs; i++)
        if (!(sig.args[i] = arg_type(PyTuple_GET_ITEM(args, i))))
            return NULL;
    return launch(c, args, &sig) < 0 ? NULL : Py_NewRef(Py_None);
}

static void configured_dealloc(PyObject *self)
{
    Py_XDECREF(((configured *)self)->kernel);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject configured_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kiln.cuda.LaunchConfiguration",
    .tp_basicsize = sizeof(configured),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "kernel[blocks, threads]: call it with the kernel's arguments to launch it.",
    .tp_dealloc = configured_dealloc,
    .tp_call = configured_call,
};

PyObject *kn_pymod_cuda_configure(kn_pymod_cuda_kernel *kr, PyObject *key)
{
    if (PyType_Ready(&configured_type) < 0)
        return NULL;
    configured *c = PyObject_New(configured, &configured_type);
    if (!c)
        return NULL;
    c->kernel = (kn_pymod_cuda_kernel *)Py_NewRef((PyObject *)kr);
    if (parse(c, key) < 0)
        Py_CLEAR(c);
    return (PyObject *)c;
}
