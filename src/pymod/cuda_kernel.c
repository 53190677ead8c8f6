/* cuda.jit: kernels, compiled to PTX once per argument types, and device functions. */
#include "pymod/cuda.h"

#include <stdlib.h>
#include <structmember.h>

#include "compiler/diag.h"
#include "pymod/backend.h"

static const kn_pymod_backend *cuda_backend(void)
{
    const kn_pymod_backend *b = kn_pymod_backend_get();
    if (b && !b->cuda_compile) {
        PyErr_SetString(PyExc_RuntimeError, "Kiln's LLVM backend has no CUDA support");
        return NULL;
    }
    return b;
}

/* Room for one more specialization. 0 or -1. */
static int grow(kn_pymod_cuda_kernel *kr)
{
    if (kr->nspecs < kr->capacity)
        return 0;
    int cap = kr->capacity ? 2 * kr->capacity : 4;
    kn_pymod_cuda_spec *specs = realloc(kr->specs, (size_t)cap * sizeof *specs);
    if (!specs) {
        PyErr_NoMemory();
        return -1;
    }
    kr->specs = specs;
    kr->capacity = cap;
    return 0;
}

kn_pymod_cuda_spec *kn_pymod_cuda_kernel_compile(kn_pymod_cuda_kernel *kr, const kn_signature *sig,
                                                 const char *arch)
{
    for (int i = 0; i < kr->nspecs; i++)
        if (kn_signature_takes(&kr->specs[i].k->sig, sig->args, sig->nargs))
            return &kr->specs[i];
    const kn_pymod_backend *b = cuda_backend();
    if (!b || grow(kr) < 0)
        return NULL;
    kn_cuda_kernel *k = b->cuda_compile(kr->py_func, sig, arch);
    if (!k)
        return NULL;
    kr->specs[kr->nspecs] = (kn_pymod_cuda_spec){.k = k};
    return &kr->specs[kr->nspecs++];
}

/* A signature in Numba's syntax, "void(float32[:], int64)"; it must return nothing. 0 or -1. */
static int parse_signature(PyObject *text, kn_signature *sig)
{
    const char *s = PyUnicode_Check(text) ? PyUnicode_AsUTF8(text) : NULL;
    char err[256];
    if (!s) {
        PyErr_Format(PyExc_TypeError,
                     "a CUDA kernel's signature is a string such as "
                     "'void(float32[:])', not %R",
                     text);
        return -1;
    }
    if (kn_signature_parse(s, sig, err, sizeof err) < 0) {
        PyErr_Format(PyExc_ValueError, "invalid signature %R: %s", text, err);
        return -1;
    }
    if (sig->ret && sig->ret->kind != KN_VOID) {
        PyErr_Format(kn_diag_typing_error_type(), "a CUDA kernel must return nothing: %R", text);
        return -1;
    }
    return 0;
}

static void kernel_dealloc(PyObject *self)
{
    kn_pymod_cuda_kernel *kr = (kn_pymod_cuda_kernel *)self;
    for (int i = 0; i < kr->nspecs; i++) /* the GPU's copies first: a dealloc cannot fail */
        kn_gpu_module_unload(kr->specs[i].module);
    const kn_pymod_backend *b = kr->nspecs ? kn_pymod_backend_get() : NULL;
    for (int i = 0; b && i < kr->nspecs; i++)
        b->cuda_free(kr->specs[i].k);
    free(kr->specs);
    Py_XDECREF(kr->py_func);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *kernel_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    (void)self;
    (void)args;
    (void)kwargs;
    return PyErr_Format(PyExc_ValueError, "a CUDA kernel needs a launch configuration: "
                                          "kernel[blocks, threads_per_block](args)");
}

static PyObject *kernel_subscript(PyObject *self, PyObject *key)
{
    return kn_pymod_cuda_configure((kn_pymod_cuda_kernel *)self, key);
}

/* A specialization's PTX or its optimized LLVM IR, as a str. */
static PyObject *spec_text(const kn_pymod_cuda_spec *spec, int llvm)
{
    return PyUnicode_FromString(llvm ? spec->k->ir_optimized : spec->k->ptx);
}

/* kernel.inspect_ptx(signature=None): the text for signature (compiling it), or a dict of all. */
static PyObject *inspect(PyObject *self, PyObject *args, PyObject *kwargs, int llvm)
{
    static char *names[] = {"signature", NULL};
    PyObject *signature = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O", names, &signature))
        return NULL;
    kn_pymod_cuda_kernel *kr = (kn_pymod_cuda_kernel *)self;
    kn_signature sig;
    if (signature != Py_None) {
        kn_pymod_cuda_spec *spec = parse_signature(signature, &sig) < 0
                                       ? NULL
                                       : kn_pymod_cuda_kernel_compile(kr, &sig, NULL);
        return spec ? spec_text(spec, llvm) : NULL;
    }
    PyObject *all = PyDict_New();
    for (int i = 0; all && i < kr->nspecs; i++) {
        char key[512];
        kn_signature_format(&kr->specs[i].k->sig, key, sizeof key);
        PyObject *text = spec_text(&kr->specs[i], llvm);
        if (!text || PyDict_SetItemString(all, key, text) < 0)
            Py_CLEAR(all);
        Py_XDECREF(text);
    }
    return all;
}

static PyObject *inspect_ptx(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return inspect(self, args, kwargs, 0);
}

static PyObject *inspect_llvm(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return inspect(self, args, kwargs, 1);
}

static PyObject *kernel_name(PyObject *self, void *closure)
{
    (void)closure;
    return PyObject_GetAttrString(((kn_pymod_cuda_kernel *)self)->py_func, "__name__");
}

static PyObject *kernel_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<kiln.cuda.Kernel %R>", ((kn_pymod_cuda_kernel *)self)->py_func);
}

static PyMethodDef kernel_methods[] = {
    {"inspect_ptx", (PyCFunction)(void (*)(void))inspect_ptx, METH_VARARGS | METH_KEYWORDS,
     "inspect_ptx(signature=None): the PTX for a signature, or a dict of every one compiled."},
    {"inspect_asm", (PyCFunction)(void (*)(void))inspect_ptx, METH_VARARGS | METH_KEYWORDS,
     "inspect_asm(signature=None): the PTX, as Numba's CUDA dispatcher names it."},
    {"inspect_llvm", (PyCFunction)(void (*)(void))inspect_llvm, METH_VARARGS | METH_KEYWORDS,
     "inspect_llvm(signature=None): the optimized LLVM IR, likewise."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef kernel_members[] = {
    {"py_func", T_OBJECT, offsetof(kn_pymod_cuda_kernel, py_func), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef kernel_getset[] = {
    {"__name__", kernel_name, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMappingMethods kernel_mapping = {.mp_subscript = kernel_subscript};

static PyTypeObject kernel_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kiln.cuda.Kernel",
    .tp_basicsize = sizeof(kn_pymod_cuda_kernel),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A CUDA kernel: kernel[blocks, threads_per_block](args) launches it.",
    .tp_dealloc = kernel_dealloc,
    .tp_repr = kernel_repr,
    .tp_call = kernel_call,
    .tp_as_mapping = &kernel_mapping,
    .tp_methods = kernel_methods,
    .tp_members = kernel_members,
    .tp_getset = kernel_getset,
};

/* A function @cuda.jit(device=True) made: kernels compile it into their own module. */
typedef struct device_function {
    PyObject_HEAD PyObject *py_func;
} device_function;

static void device_dealloc(PyObject *self)
{
    Py_XDECREF(((device_function *)self)->py_func);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *device_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    (void)args;
    (void)kwargs;
    return PyErr_Format(PyExc_RuntimeError,
                        "the CUDA device function %R can only be called from a kernel or another "
                        "device function",
                        ((device_function *)self)->py_func);
}

/* What compiler/compile_cuda.c asks to know a device function. */
static PyObject *is_device(PyObject *self, void *closure)
{
    (void)self;
    (void)closure;
    Py_RETURN_TRUE;
}

static PyMemberDef device_members[] = {
    {"py_func", T_OBJECT, offsetof(device_function, py_func), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef device_getset[] = {
    {"_kiln_cuda_device", is_device, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject device_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kiln.cuda.DeviceFunction",
    .tp_basicsize = sizeof(device_function),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A CUDA device function: called from kernels, compiled into them.",
    .tp_dealloc = device_dealloc,
    .tp_call = device_call,
    .tp_members = device_members,
    .tp_getset = device_getset,
};

/* A kernel for func, compiled now for each of signatures (a str, a list of them, or None). */
static PyObject *new_kernel(PyObject *func, PyObject *signatures)
{
    kn_pymod_cuda_kernel *kr = PyObject_New(kn_pymod_cuda_kernel, &kernel_type);
    if (!kr)
        return NULL;
    kr->py_func = Py_NewRef(func);
    kr->specs = NULL;
    kr->nspecs = kr->capacity = 0;
    kr->frozen = signatures != Py_None;
    PyObject *list = PyUnicode_Check(signatures) ? PyTuple_Pack(1, signatures)
                     : signatures == Py_None     ? PyTuple_New(0)
                                                 : PySequence_Tuple(signatures);
    for (Py_ssize_t i = 0; list && i < PyTuple_GET_SIZE(list); i++) {
        kn_signature sig;
        if (parse_signature(PyTuple_GET_ITEM(list, i), &sig) < 0 ||
            !kn_pymod_cuda_kernel_compile(kr, &sig, NULL))
            Py_CLEAR(list);
    }
    if (!list)
        Py_CLEAR(kr);
    Py_XDECREF(list);
    return (PyObject *)kr;
}

// cuda._make(func, signatures=None, device=False): what @cuda.jit(...) applies to func
static PyObject *make(PyObject *module, PyObject *args, PyObject *kwargs)
{
    (void)module;
    static char *names[] = {"func", "signatures", "device", NULL};
    PyObject *func, *signatures = Py_None;
    int device = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|Op:jit", names, &func, &signatures, &device))
        return NULL;
    if (!PyFunction_Check(func))
        return PyErr_Format(PyExc_TypeError, "cuda.jit compiles Python functions, not %R", func);
    if (!device)
        return new_kernel(func, signatures);
    device_function *d = PyObject_New(device_function, &device_type);
    if (d)
        d->py_func = Py_NewRef(func);
    return (PyObject *)d;
}

/*
 * cuda.jit(func) | cuda.jit(signature_or_list, device=False, **options) |
 * cuda.jit(device=True): a kernel or device function, or the decorator
 * that makes one. Numba's other options (fastmath, debug, lineinfo, opt,
 * cache, max_registers, ...) are accepted and have no effect yet.
 */
/* f(*args, **kwargs) with one positional argument: a new reference or NULL. */
static PyObject *call1(PyObject *f, PyObject *arg, PyObject *kwargs)
{
    PyObject *args = PyTuple_Pack(1, arg);
    PyObject *r = args ? PyObject_Call(f, args, kwargs) : NULL;
    Py_XDECREF(args);
    return r;
}

/* functools.partial(make_fn, **options): the decorator @cuda.jit(...) returns. */
static PyObject *decorator(PyObject *make_fn, PyObject *options)
{
    PyObject *functools = PyImport_ImportModule("functools");
    PyObject *partial = functools ? PyObject_GetAttrString(functools, "partial") : NULL;
    PyObject *r = partial ? call1(partial, make_fn, options) : NULL;
    Py_XDECREF(partial);
    Py_XDECREF(functools);
    return r;
}

static PyObject *jit(PyObject *module, PyObject *args, PyObject *kwargs)
{
    PyObject *first = PyTuple_GET_SIZE(args) ? PyTuple_GET_ITEM(args, 0) : Py_None;
    PyObject *device = kwargs ? PyDict_GetItemString(kwargs, "device") : NULL;
    if (PyTuple_GET_SIZE(args) > 1)
        return PyErr_Format(PyExc_TypeError, "cuda.jit takes one positional argument");
    int is_func = PyFunction_Check(first);
    PyObject *options = Py_BuildValue("{s:O,s:O}", "signatures", is_func ? Py_None : first,
                                      "device", device ? device : Py_False);
    PyObject *make_fn = options ? PyObject_GetAttrString(module, "_make") : NULL;
    PyObject *r = !make_fn  ? NULL
                  : is_func ? call1(make_fn, first, options)
                            : decorator(make_fn, options);
    Py_XDECREF(make_fn);
    Py_XDECREF(options);
    return r;
}

static PyMethodDef functions[] = {
    {"jit", (PyCFunction)(void (*)(void))jit, METH_VARARGS | METH_KEYWORDS,
     "jit(func_or_signature=None, device=False): compile a CUDA kernel or device function."},
    {"_make", (PyCFunction)(void (*)(void))make, METH_VARARGS | METH_KEYWORDS,
     "_make(func, signatures=None, device=False): what @cuda.jit(...) applies."},
    {NULL, NULL, 0, NULL},
};

int kn_pymod_cuda_kernels_add(PyObject *cuda)
{
    if (PyType_Ready(&kernel_type) < 0 || PyType_Ready(&device_type) < 0)
        return -1;
    if (PyModule_AddObjectRef(cuda, "Kernel", (PyObject *)&kernel_type) < 0 ||
        PyModule_AddObjectRef(cuda, "DeviceFunction", (PyObject *)&device_type) < 0)
        return -1;
    return PyModule_AddFunctions(cuda, functions);
}
