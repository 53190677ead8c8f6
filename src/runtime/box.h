/* Boxing and unboxing for the Python wrappers of compiled functions. */
#ifndef KN_RUNTIME_BOX_H
#define KN_RUNTIME_BOX_H

#include <Python.h>
#include <stdint.h>

/*
 * Unboxing: each returns 0, or -1 with a Python exception set. Integers
 * wrap modulo 2**64 as Numba's do (the caller truncates to narrower types);
 * anything with __index__ is accepted, and __float__ / __complex__ for
 * floats and complex numbers.
 */
int kn_rt_unbox_int(PyObject *o, uint64_t *out);
int kn_rt_unbox_float(PyObject *o, double *out);
int kn_rt_unbox_bool(PyObject *o, int8_t *out);
int kn_rt_unbox_complex(PyObject *o, double *out); /* out[0] real, out[1] imaginary */
/* Item i of o, a tuple of n items (borrowed), or NULL with TypeError. */
PyObject *kn_rt_unbox_tuple_item(PyObject *o, int64_t i, int64_t n);

/* Boxing: new references, or NULL with an exception set. */
PyObject *kn_rt_box_bool(int8_t b);
PyObject *kn_rt_box_none(void);
/* A tuple of items[0..n), stealing them; when one is NULL (its boxing failed), releases the rest.
 */
PyObject *kn_rt_box_tuple(PyObject **items, int64_t n);

#endif
