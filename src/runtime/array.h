/* Arrays for compiled code: the view it sees, and unboxing, boxing and allocating NumPy arrays. */
#ifndef KN_RUNTIME_ARRAY_H
#define KN_RUNTIME_ARRAY_H

#include <Python.h>
#include <stdint.h>

/*
 * What compiled code holds for an array of ndim dimensions, laid out as
 * the LLVM struct {ptr owner, ptr data, [ndim x i64] shape, [ndim x i64]
 * strides}: dims[0..ndim) is the shape, dims[ndim..2*ndim) the strides in
 * bytes. owner is the NumPy array that keeps the memory alive; a view (a
 * slice, a transpose) shares its owner and differs in data, shape and
 * strides.
 */
typedef struct kn_rt_view {
    PyObject *owner;
    char *data;
    int64_t dims[];
} kn_rt_view;

/* Fills v from the ndarray o (the dispatcher checked its type); v->owner is o, borrowed. */
void kn_rt_unbox_array(PyObject *o, kn_rt_view *v, int64_t ndim);
/*
 * A NumPy array for v, taking over v's reference to its owner: the owner
 * itself when v is all of it, else a new view whose base is the owner.
 * NULL with an exception set (the reference is released then too).
 */
PyObject *kn_rt_box_array(kn_rt_view *v, int64_t ndim);
/*
 * A new array of the shape in v->dims[0..ndim) and items of kind ('b'
 * bool, 'i' int, 'u' unsigned, 'f' float, 'c' complex) and itemsize
 * bytes, C order (Fortran when fortran), zeroed when zero: fills v with an
 * owned reference. 0, or -1 with an exception set (a negative dimension is
 * a ValueError, as in NumPy).
 */
int kn_rt_array_new(kn_rt_view *v, int64_t ndim, int32_t kind, int32_t itemsize, int32_t fortran,
                    int32_t zero);
/* IndexError as NumPy words it: "index 5 is out of bounds for axis 0 with size 3". Returns -1. */
int kn_rt_index_error(int64_t index, int64_t axis, int64_t size);
/*
 * a[int(x)] when the compiled fast path's index fails its bounds check: x
 * converted as int() converts it, then read as an index into an axis of
 * size dim. 0 with the non-negative index in *out, or -1 with the error
 * int() or the index raises.
 */
int kn_rt_float_index(double x, int64_t dim, int64_t axis, int64_t *out);
/* What shapes failed to do, for kn_rt_shape_error. */
typedef enum kn_rt_shapes {
    KN_RT_SHAPES_BROADCAST, /* the operands of an array expression */
    KN_RT_SHAPES_INTO,      /* a store: the target, then the input */
    KN_RT_SHAPES_DOT,       /* np.dot(a, b) */
    KN_RT_SHAPES_MATMUL,    /* a @ b */
} kn_rt_shapes;

/*
 * ValueError for shapes that do not fit together, as NumPy words it. dims
 * holds n shapes, each its length then its sizes. Returns -1.
 */
int kn_rt_shape_error(int32_t what, int32_t n, const int64_t *dims);

#endif
