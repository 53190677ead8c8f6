/* kiln.cuda: Numba's CUDA API. The namespace, device arrays, kernels and their launches. */
#ifndef KN_PYMOD_CUDA_H
#define KN_PYMOD_CUDA_H

#include <Python.h>

#include "compiler/types.h"
#include "gpu/driver.h"

/* Adds the kiln.cuda module (also in sys.modules) to kiln, the module being initialized. */
int kn_pymod_cuda_add(PyObject *kiln);

/*
 * Raises what the gpu layer reported (kn_gpu_error): kiln.cuda.CudaSupportError
 * when the driver could not start (no libcuda.so.1, no GPU), else
 * kiln.cuda.CudaAPIError. Returns NULL.
 */
PyObject *kn_pymod_cuda_raise(void);

/* A NumPy module call: numpy.<name>(*args); a new reference or NULL. Imports NumPy. */
PyObject *kn_pymod_cuda_numpy(const char *name, PyObject *args);

/* cuda_array.c: DeviceNDArray, C-ordered memory on the GPU with a NumPy dtype and shape. */
typedef struct kn_pymod_device_array {
    PyObject_HEAD kn_gpu_ptr ptr;
    size_t nbytes;
    PyObject *shape;     /* tuple of ints */
    PyObject *strides;   /* tuple of ints, in bytes */
    PyObject *dtype;     /* numpy.dtype */
    const kn_type *type; /* what a kernel sees: array(dtype, ndim, C) */
} kn_pymod_device_array;

extern PyTypeObject kn_pymod_device_array_type;

/* A device array with host's dtype and shape; with copy, holding its items. NULL on error. */
kn_pymod_device_array *kn_pymod_device_array_from(PyObject *host, int copy);
/* Copies d into host, an ndarray of d's shape and dtype (any layout). 0 or -1. */
int kn_pymod_device_array_into(kn_pymod_device_array *d, PyObject *host);
/* Adds DeviceNDArray, to_device, device_array and device_array_like to the cuda module. */
int kn_pymod_cuda_arrays_add(PyObject *cuda);

/* cuda_kernel.c: cuda.jit, the kernel and device function types. */
typedef struct kn_pymod_cuda_spec {
    struct kn_cuda_kernel *k; /* its PTX */
    void *module;             /* its CUmodule once loaded on the GPU, else NULL */
    void *function;           /* the kernel's CUfunction in that module */
} kn_pymod_cuda_spec;

typedef struct kn_pymod_cuda_kernel {
    PyObject_HEAD PyObject *py_func;
    kn_pymod_cuda_spec *specs; /* one per argument types, in the order compiled */
    int nspecs, capacity;
    int frozen; /* compiled for explicit signatures: launches never compile */
} kn_pymod_cuda_kernel;

/* The kernel compiled for sig's argument types (compiled now for arch when new). NULL on error. */
kn_pymod_cuda_spec *kn_pymod_cuda_kernel_compile(kn_pymod_cuda_kernel *kr, const kn_signature *sig,
                                                 const char *arch);
int kn_pymod_cuda_kernels_add(PyObject *cuda);

/* cuda_launch.c: kernel[grid, block, stream, shared_bytes](args) */
/*
 * kr[key]: a launch configuration, callable with the kernel's arguments:
 * device arrays are passed as they are, NumPy arrays copied to the GPU and
 * back after the kernel ran, numbers by value. A lazy kernel compiles for
 * the arguments' types at the first launch with them. A new reference, or
 * NULL with an exception set.
 */
PyObject *kn_pymod_cuda_configure(kn_pymod_cuda_kernel *kr, PyObject *key);

#endif
