/* The kiln.cuda namespace: its intrinsics' stand-ins, errors, and the driver's state. */
#include "pymod/cuda.h"

static PyObject *support_error; /* kiln.cuda.CudaSupportError */
static PyObject *api_error;     /* kiln.cuda.CudaAPIError */

PyObject *kn_pymod_cuda_raise(void)
{
    PyErr_SetString(kn_gpu_init() < 0 ? support_error : api_error, kn_gpu_error());
    return NULL;
}

PyObject *kn_pymod_cuda_numpy(const char *name, PyObject *args)
{
    PyObject *np = PyImport_ImportModule("numpy");
    PyObject *fn = np ? PyObject_GetAttrString(np, name) : NULL;
    PyObject *r = fn ? PyObject_Call(fn, args, NULL) : NULL;
    Py_XDECREF(fn);
    Py_XDECREF(np);
    return r;
}

/*
 * What cuda.grid, cuda.threadIdx.x and the others are outside a kernel:
 * named stand-ins. Type inference knows them by identity
 * (compiler/infer_cuda.c); calling one from Python is a mistake.
 */
typedef struct intrinsic {
    PyObject_HEAD PyObject *name;
} intrinsic;

static void intrinsic_dealloc(PyObject *self)
{
    Py_XDECREF(((intrinsic *)self)->name);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *intrinsic_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<kiln.cuda intrinsic %U>", ((intrinsic *)self)->name);
}

static PyObject *intrinsic_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    (void)args;
    (void)kwargs;
    return PyErr_Format(PyExc_RuntimeError,
                        "cuda.%U can only be used inside a @cuda.jit kernel or device function",
                        ((intrinsic *)self)->name);
}

static PyTypeObject intrinsic_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kiln.cuda.Intrinsic",
    .tp_basicsize = sizeof(intrinsic),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A kiln.cuda function or register: compiled into kernels, not callable from Python.",
    .tp_dealloc = intrinsic_dealloc,
    .tp_repr = intrinsic_repr,
    .tp_call = intrinsic_call,
};

/* m.attr = an intrinsic named path ("atomic.add"). 0 or -1. */
static int add_intrinsic(PyObject *m, const char *attr, const char *path)
{
    intrinsic *obj = PyObject_New(intrinsic, &intrinsic_type);
    if (!obj)
        return -1;
    obj->name = PyUnicode_FromString(path);
    int rc = obj->name ? PyModule_AddObjectRef(m, attr, (PyObject *)obj) : -1;
    Py_DECREF(obj);
    return rc;
}

/*
 * cuda.<name>, a module holding intrinsics (modules, because inference
 * resolves module attributes at compile time: cuda.atomic.add in a kernel
 * is found through them). Each "attr=path" of items, NULL-terminated.
 */
static int add_namespace(PyObject *cuda, const char *name, const char *const *attrs)
{
    char full[64];
    snprintf(full, sizeof full, "kiln.cuda.%s", name);
    PyObject *m = PyModule_New(full);
    int rc = m ? 0 : -1;
    for (int i = 0; rc == 0 && attrs[i]; i++) {
        char path[64];
        snprintf(path, sizeof path, "%s.%s", name, attrs[i]);
        rc = add_intrinsic(m, attrs[i], path);
    }
    if (rc == 0)
        rc = PyModule_AddObjectRef(cuda, name, m);
    Py_XDECREF(m);
    return rc;
}

static int add_intrinsics(PyObject *cuda)
{
    static const char *const xyz[] = {"x", "y", "z", NULL};
    static const char *const array[] = {"array", NULL};
    static const char *const atomic[] = {"add", "max", "min", NULL};
    static const char *const registers[] = {"threadIdx", "blockIdx", "blockDim", "gridDim"};
    if (PyType_Ready(&intrinsic_type) < 0)
        return -1;
    for (int i = 0; i < 4; i++)
        if (add_namespace(cuda, registers[i], xyz) < 0)
            return -1;
    if (add_namespace(cuda, "shared", array) < 0 || add_namespace(cuda, "local", array) < 0 ||
        add_namespace(cuda, "atomic", atomic) < 0)
        return -1;
    if (add_intrinsic(cuda, "grid", "grid") < 0 || add_intrinsic(cuda, "gridsize", "gridsize") < 0)
        return -1;
    return add_intrinsic(cuda, "syncthreads", "syncthreads");
}

// cuda.is_available(): whether the driver loads and finds a GPU
static PyObject *is_available(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    return PyBool_FromLong(kn_gpu_init() == 0);
}

// cuda.detect(): prints the GPU found (or why none is), returns whether one is
static PyObject *detect(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    char name[256];
    int major, minor;
    if (kn_gpu_device(name, sizeof name, &major, &minor) < 0) {
        PySys_WriteStdout("CUDA is not available: %s\n", kn_gpu_error());
        Py_RETURN_FALSE;
    }
    PySys_WriteStdout("Found 1 CUDA device\nid 0 %s [SUPPORTED]\n  compute capability: %d.%d\n",
                      name, major, minor);
    Py_RETURN_TRUE;
}

// cuda.synchronize(): waits for every launch so far
static PyObject *synchronize(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    if (kn_gpu_synchronize() < 0)
        return kn_pymod_cuda_raise();
    Py_RETURN_NONE;
}

static PyMethodDef functions[] = {
    {"is_available", is_available, METH_NOARGS, "Whether a CUDA driver and GPU are present."},
    {"detect", detect, METH_NOARGS, "Prints the CUDA GPU found; returns whether there is one."},
    {"synchronize", synchronize, METH_NOARGS, "Waits until every launch so far has finished."},
    {NULL, NULL, 0, NULL},
};

static int add_errors(PyObject *cuda)
{
    support_error = PyErr_NewExceptionWithDoc("kiln.cuda.CudaSupportError",
                                              "No CUDA driver or GPU: kernels cannot be launched.",
                                              PyExc_RuntimeError, NULL);
    api_error = PyErr_NewExceptionWithDoc("kiln.cuda.CudaAPIError", "A CUDA driver call failed.",
                                          PyExc_RuntimeError, NULL);
    if (!support_error || !api_error)
        return -1;
    if (PyModule_AddObjectRef(cuda, "CudaSupportError", support_error) < 0)
        return -1;
    return PyModule_AddObjectRef(cuda, "CudaAPIError", api_error);
}

/* sys.modules["kiln.cuda"] = cuda: `import kiln.cuda` and `from kiln import cuda` both work. */
static int publish(PyObject *kiln, PyObject *cuda)
{
    PyObject *modules = PyImport_GetModuleDict();
    if (PyDict_SetItemString(modules, "kiln.cuda", cuda) < 0)
        return -1;
    return PyModule_AddObjectRef(kiln, "cuda", cuda);
}

int kn_pymod_cuda_add(PyObject *kiln)
{
    PyObject *cuda = PyModule_New("kiln.cuda");
    if (!cuda)
        return -1;
    int rc = PyModule_AddStringConstant(cuda, "__doc__",
                                        "Numba's CUDA API: kernels compiled to PTX through LLVM, "
                                        "launched through the CUDA driver when there is one.");
    if (rc == 0)
        rc = add_errors(cuda) < 0 || add_intrinsics(cuda) < 0 ||
                     PyModule_AddFunctions(cuda, functions) < 0 ||
                     kn_pymod_cuda_arrays_add(cuda) < 0 || kn_pymod_cuda_kernels_add(cuda) < 0 ||
                     publish(kiln, cuda) < 0
                 ? -1
                 : 0;
    Py_DECREF(cuda);
    return rc;
}
