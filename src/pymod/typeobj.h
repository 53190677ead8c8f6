/* Python objects for Kiln types (kiln.int64, float64[:, ::1]) and signatures (float64(int64)). */
#ifndef KN_PYMOD_TYPEOBJ_H
#define KN_PYMOD_TYPEOBJ_H

#include <Python.h>

#include "compiler/types.h"

/*
 * The Python object of t: one per type for the life of the process, so
 * `kiln.typeof(1) is kiln.int64`. New reference, or NULL with an exception.
 */
PyObject *kn_pymod_type_object(const kn_type *t);
/* The type an object of kiln.Type stands for; NULL (no exception) for any other object. */
const kn_type *kn_pymod_type_of_object(PyObject *o);
/* A tuple of the Python objects of types[0..n): the key of .overloads, .stats, ... */
PyObject *kn_pymod_type_tuple(const kn_type *const *types, int n);

/* A Signature object: "(int64, int64) -> float64", with .args and .return_type; sig->ret is set. */
PyObject *kn_pymod_signature_object(const kn_signature *sig);
/*
 * What a user may pass as a signature: "float64(int64)", "(int64,)",
 * float64(int64), or a tuple of types (int64, float64). Returns 0, or -1
 * with TypeError. sig->ret is NULL when o gives only the argument types.
 */
int kn_pymod_signature_from(PyObject *o, kn_signature *sig);
/* 1 when o looks like a signature (a str, a Signature or a tuple), whether or not it is valid. */
int kn_pymod_is_signature_like(PyObject *o);

/* Adds Type, Signature and every named type (int64, i8, float64[:] ...'s element types) to m. */
int kn_pymod_types_add(PyObject *m);

#endif
