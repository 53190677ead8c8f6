/* Calls with other argument types than a signature's: which conversions apply, and doing them. */
#ifndef KN_PYMOD_CONVERT_H
#define KN_PYMOD_CONVERT_H

#include <Python.h>

#include "compiler/types.h"

/*
 * 1 when a value of type from converts to type to. Safe conversions, as
 * Numba's: bool to any number, an integer to a wider one (unsigned to a
 * wider signed), integers to float64 (and to float32 up to 16 bits),
 * float32 to float64, any number to complex128, tuples item by item, and C
 * or F arrays to A arrays. With narrowing, also what a Python int or float
 * needs to reach a narrower signature: an integer to any integer type (the
 * value must fit, checked when converting) and integers and floats to float32.
 */
int kn_pymod_converts(const kn_type *from, const kn_type *to, int narrowing);

/*
 * value, of type from, as the Python object a parameter of type to expects:
 * an exact int, float or complex (tuples item by item). New reference, or
 * NULL with an exception set: OverflowError for an int out of to's range.
 */
PyObject *kn_pymod_convert(PyObject *value, const kn_type *from, const kn_type *to);

#endif
