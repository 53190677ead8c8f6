/* The Kiln type of a Python value: kiln.typeof, and the dispatcher's slow path. */
#ifndef KN_PYMOD_TYPEOF_H
#define KN_PYMOD_TYPEOF_H

#include <Python.h>

#include "compiler/types.h"

/*
 * As numba.typeof: bool -> boolean, int -> int64 (uint64 above its range),
 * float -> float64, complex -> complex128, tuples -> UniTuple / Tuple,
 * None -> none, NumPy scalars and arrays (only when NumPy is already
 * imported: kiln never imports it). NULL with ValueError for anything else.
 */
const kn_type *kn_pymod_typeof(PyObject *value);
/*
 * The dispatcher's fast path: the type of an exact ndarray from its struct,
 * without Python attribute lookups; NULL, with no exception, for anything
 * else, which kn_pymod_typeof then types or rejects.
 */
const kn_type *kn_pymod_typeof_exact_array(PyObject *value);

/* Adds kiln.typeof to m. */
int kn_pymod_typeof_add(PyObject *m);

#endif
