/* NumPy arrays in and out of compiled code, and the arrays compiled code makes. */
#include "runtime/array.h"
#include "runtime/arith.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

/*
 * NumPy's C API table is loaded on first use, not when Kiln starts:
 * importing numpy costs a tenth of a second, and a program that passes or
 * makes arrays has imported it already.
 */
static int numpy_ready(void)
{
    if (PyArray_API)
        return 0;
    return _import_array();
}

void kn_rt_unbox_array(PyObject *o, kn_rt_view *v, int64_t ndim)
{
    PyArrayObject *a = (PyArrayObject *)o;
    v->owner = o;
    v->data = PyArray_BYTES(a);
    for (int64_t i = 0; i < ndim; i++) {
        v->dims[i] = PyArray_DIM(a, (int)i);
        v->dims[ndim + i] = PyArray_STRIDE(a, (int)i);
    }
}

static int is_whole(const kn_rt_view *v, int64_t ndim)
{
    PyArrayObject *a = (PyArrayObject *)v->owner;
    if (PyArray_NDIM(a) != ndim || PyArray_BYTES(a) != v->data)
        return 0;
    for (int64_t i = 0; i < ndim; i++)
        if (PyArray_DIM(a, (int)i) != v->dims[i] || PyArray_STRIDE(a, (int)i) != v->dims[ndim + i])
            return 0;
    return 1;
}

PyObject *kn_rt_box_array(kn_rt_view *v, int64_t ndim)
{
    if (is_whole(v, ndim))
        return v->owner;
    if (numpy_ready() < 0) {
        Py_DECREF(v->owner);
        return NULL;
    }
    PyArrayObject *owner = (PyArrayObject *)v->owner;
    PyArray_Descr *descr = PyArray_DESCR(owner);
    Py_INCREF(descr);
    int flags = PyArray_FLAGS(owner) & NPY_ARRAY_WRITEABLE;
    npy_intp dims[NPY_MAXDIMS], strides[NPY_MAXDIMS];
    for (int64_t i = 0; i < ndim; i++) {
        dims[i] = v->dims[i];
        strides[i] = v->dims[ndim + i];
    }
    PyObject *view = PyArray_NewFromDescr(&PyArray_Type, descr, (int)ndim, dims, strides, v->data,
                                          flags, NULL);
    if (!view || PyArray_SetBaseObject((PyArrayObject *)view, v->owner) < 0) {
        if (!view)
            Py_DECREF(v->owner);
        Py_XDECREF(view);
        return NULL;
    }
    PyArray_UpdateFlags((PyArrayObject *)view, NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_F_CONTIGUOUS);
    return view;
}

static int typenum(int kind, int itemsize)
{
    switch (kind) {
    case 'b':
        return NPY_BOOL;
    case 'i':
        return itemsize == 1 ? NPY_INT8 : itemsize == 2 ? NPY_INT16 : itemsize == 4 ? NPY_INT32
                                                                                    : NPY_INT64;
    case 'u':
        return itemsize == 1   ? NPY_UINT8
               : itemsize == 2 ? NPY_UINT16
               : itemsize == 4 ? NPY_UINT32
                               : NPY_UINT64;
    case 'f':
        return itemsize == 4 ? NPY_FLOAT32 : NPY_FLOAT64;
    default:
        return NPY_COMPLEX128;
    }
}

/*
 * NumPy's own choice, which NUMPY_MADVISE_HUGEPAGE=0 turns off: asked each
 * time, as it may change. Its module is found in sys.modules, NumPy being
 * imported by now: an import could run Python code, and lose a Ctrl-C.
 */
static int numpy_asks_huge_pages(void)
{
    static PyObject *get;
    /* numpy._core since NumPy 2, where numpy.core warns */
    static const char *const modules[] = {"numpy._core.multiarray", "numpy.core.multiarray"};
    PyObject *loaded = PySys_GetObject("modules");
    for (int i = 0; !get && loaded && i < 2; i++) {
        PyObject *m = PyDict_GetItemString(loaded, modules[i]);
        get = m ? PyObject_GetAttrString(m, "_get_madvise_hugepage") : NULL;
        PyErr_Clear();
    }
    PyObject *on = get ? PyObject_CallNoArgs(get) : NULL;
    int yes = on && PyObject_IsTrue(on) == 1;
    Py_XDECREF(on);
    PyErr_Clear();
    return yes;
}

/*
 * A zeroed buffer is calloc'd, as np.zeros does: large ones mostly come
 * fresh from the kernel, zero, and cost nothing until touched, where a
 * memset would write every byte once more. NumPy asks for huge pages for
 * np.empty's large buffers only, though, and 4 KiB pages fault in ten times
 * slower; so Kiln asks for them here, as NumPy would, for 4 MiB and more.
 */
static void ask_huge_pages(PyArrayObject *a)
{
#ifdef MADV_HUGEPAGE
    uintptr_t start = (uintptr_t)PyArray_DATA(a), size = (uintptr_t)PyArray_NBYTES(a);
    uintptr_t page = (start + 4095) & ~(uintptr_t)4095;
    if (size < (1u << 22) || !numpy_asks_huge_pages())
        return;
    madvise((void *)page, start + size - page, MADV_HUGEPAGE);
#else
    (void)a;
#endif
}

int kn_rt_array_new(kn_rt_view *v, int64_t ndim, int32_t kind, int32_t itemsize, int32_t fortran,
                    int32_t zero)
{
    if (numpy_ready() < 0)
        return -1;
    int type = typenum(kind, itemsize);
    npy_intp dims[NPY_MAXDIMS];
    for (int64_t i = 0; i < ndim; i++) {
        if (v->dims[i] < 0) {
            PyErr_SetString(PyExc_ValueError, "negative dimensions are not allowed");
            return -1;
        }
        dims[i] = v->dims[i];
    }
    PyObject *a = zero ? PyArray_ZEROS((int)ndim, dims, type, fortran)
                       : PyArray_EMPTY((int)ndim, dims, type, fortran);
    if (!a)
        return -1;
    if (zero)
        ask_huge_pages((PyArrayObject *)a);
    kn_rt_unbox_array(a, v, ndim);
    return 0;
}

int kn_rt_index_error(int64_t index, int64_t axis, int64_t size)
{
    PyErr_Format(PyExc_IndexError, "index %lld is out of bounds for axis %lld with size %lld",
                 (long long)index, (long long)axis, (long long)size);
    return -1;
}

int kn_rt_float_index(double x, int64_t dim, int64_t axis, int64_t *out)
{
    int64_t index;
    if (kn_rt_float_to_int(x, &index) < 0)
        return -1;
    int64_t at = index < 0 ? index + dim : index;
    if ((uint64_t)at >= (uint64_t)dim)
        return kn_rt_index_error(index, axis, dim);
    *out = at;
    return 0;
}

/* NumPy's "(3,4)", "(2,)" or "()" for the shape at *dims, which it moves past. */
static void shape_text(const int64_t **dims, char *out, size_t size)
{
    int64_t ndim = *(*dims)++;
    size_t len = (size_t)snprintf(out, size, "(");
    for (int64_t i = 0; i < ndim && len < size; i++)
        len += (size_t)snprintf(out + len, size - len, i ? ",%lld" : "%lld", (long long)*(*dims)++);
    if (len < size)
        snprintf(out + len, size - len, ndim == 1 ? ",)" : ")");
}

/* a and b (each its length then its sizes) do not multiply: a's last axis is not b's first. */
static int product_error(int32_t what, const int64_t *dims)
{
    const int64_t *a = dims, *b = dims + 1 + dims[0];
    int64_t k_a = a[a[0]], k_b = b[1];
    if (what == KN_RT_SHAPES_MATMUL) {
        PyErr_Format(PyExc_ValueError, "matmul: Input operand 1 has a mismatch in its core "
                     "dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size %lld is "
                     "different from %lld)", (long long)k_b, (long long)k_a);
        return -1;
    }
    char shape_a[128], shape_b[128];
    shape_text(&dims, shape_a, sizeof shape_a);
    shape_text(&dims, shape_b, sizeof shape_b);
    PyErr_Format(PyExc_ValueError, "shapes %s and %s not aligned: %lld (dim %lld) != %lld (dim 0)",
                 shape_a, shape_b, (long long)k_a, (long long)(a[0] - 1), (long long)k_b);
    return -1;
}

int kn_rt_shape_error(int32_t what, int32_t n, const int64_t *dims)
{
    if (what == KN_RT_SHAPES_DOT || what == KN_RT_SHAPES_MATMUL)
        return product_error(what, dims);
    char text[512] = "", shape[128];
    for (int32_t i = 0; i < n; i++) {
        shape_text(&dims, shape, sizeof shape);
        if (what == KN_RT_SHAPES_INTO && i == 0) {
            char target[128];
            memcpy(target, shape, sizeof shape);
            shape_text(&dims, shape, sizeof shape);
            PyErr_Format(PyExc_ValueError, "could not broadcast input array from shape %s into shape %s",
                         shape, target);
            return -1;
        }
        strncat(text, shape, sizeof text - strlen(text) - 2);
        strcat(text, " ");
    }
    PyErr_Format(PyExc_ValueError, "operands could not be broadcast together with shapes %s", text);
    return -1;
}
