/* kiln.jit, kiln.njit and kiln.KilnWarning. */
#ifndef KN_PYMOD_DECORATORS_H
#define KN_PYMOD_DECORATORS_H

#include <Python.h>

/* Adds jit, njit and KilnWarning to m. */
int kn_pymod_decorators_add(PyObject *m);

/* kiln.KilnWarning (borrowed; NULL before kn_pymod_decorators_add). */
PyObject *kn_pymod_kiln_warning(void);

#endif
