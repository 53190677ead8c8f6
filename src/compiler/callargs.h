/* A call's arguments matched to a Python function's parameters: by position, by name, defaults. */
#ifndef KN_COMPILER_CALLARGS_H
#define KN_COMPILER_CALLARGS_H

#include <Python.h>

/* In slots: the parameter takes its default value (kn_bind_default). */
#define KN_BIND_DEFAULT (-1)

/*
 * Matches a call of func (a Python function) to its parameters as Python
 * would: nargs positional arguments, then one per name in kwnames (nkw of
 * them). slots[i] receives, for parameter i, the index of the argument it
 * takes (keyword k is argument nargs + k), or KN_BIND_DEFAULT. Returns the
 * number of parameters, or -1 with TypeError set in Python's words (also
 * when there would be more than max). Functions with *args, **kwargs or
 * keyword-only parameters take positional arguments only: slots[i] = i.
 * Both the dispatcher (calls from Python) and inference (calls from
 * compiled code) bind through it, so they agree.
 */
int kn_bind_arguments(PyObject *func, int nargs, const char *const *kwnames, int nkw, int *slots,
                      int max);

/* The default value of func's parameter i, which kn_bind_arguments gave KN_BIND_DEFAULT: borrowed.
 */
PyObject *kn_bind_default(PyObject *func, int i);

#endif
