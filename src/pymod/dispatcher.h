/* The Dispatcher: a jitted function, its specializations by argument types, and the call path. */
#ifndef KN_PYMOD_DISPATCHER_H
#define KN_PYMOD_DISPATCHER_H

#include "compiler/compile.h"

/* kn_signature's limit: a function compiles with at most this many arguments. */
#define KN_PYMOD_MAX_ARGS 32

/* How a dispatcher compiles: jit's nopython= and forceobj= options, as Numba's. */
typedef enum kn_pymod_mode {
    KN_PYMOD_NOPYTHON, /* njit, and jit by default: typing errors are errors */
    KN_PYMOD_FALLBACK, /* jit(nopython=False): object mode, with a warning, where nopython fails */
    KN_PYMOD_OBJECT,   /* jit(forceobj=True): object mode only */
} kn_pymod_mode;

typedef struct kn_pymod_dispatcher {
    PyObject_HEAD vectorcallfunc vectorcall; /* the call path: see dispatcher.c */
    PyObject *py_func;
    PyObject *dict;            /* __name__, __doc__, __wrapped__...: functools.update_wrapper's */
    PyObject *callees;         /* list of the dispatchers whose code this one's code calls */
    kn_specialization **specs; /* in the order they were compiled */
    int nspecs, capacity;
    int frozen; /* compiled for explicit signatures: calls never compile */
    int boundscheck, fastmath;
    kn_pymod_mode mode;
    /*
     * The object-mode specialization, once compiled (also in specs): it
     * takes any arguments. A dispatcher that fell back to it runs it for
     * every call that no nopython specialization takes exactly.
     */
    kn_specialization *objmode;
} kn_pymod_dispatcher;

extern PyTypeObject kn_pymod_dispatcher_type;

/* Builds a dispatcher for py_func, a Python function; compiles nothing. */
PyObject *kn_pymod_dispatcher_new(PyObject *py_func, int boundscheck, int fastmath,
                                  kn_pymod_mode mode);

/*
 * The specialization for sig's argument types, compiled now when there is
 * none (sig->ret, when set, is the return type it converts its result to);
 * in object mode, or after falling back to it, the object-mode one. NULL
 * with an exception set (kiln.TypingError, ImportError when LLVM cannot be
 * loaded).
 */
kn_specialization *kn_pymod_dispatcher_compile(kn_pymod_dispatcher *d, const kn_signature *sig);

/* Adds spec, compiled, to d's specializations and to the log; on failure frees it. 0 or -1. */
int kn_pymod_dispatcher_publish(kn_pymod_dispatcher *d, kn_specialization *spec);

/* The specialization for exactly these argument types, or NULL. */
kn_specialization *kn_pymod_dispatcher_find(const kn_pymod_dispatcher *d,
                                            const kn_type *const *args, int n);

/* Adds the Dispatcher type (its Python name: CPUDispatcher, as Numba's) to m as kiln.Dispatcher. */
int kn_pymod_dispatcher_add(PyObject *m);

/* inspect.c: what a dispatcher tells about its specializations, as Numba's does. */
PyObject *kn_pymod_inspect_signatures(PyObject *self, void *closure);
PyObject *kn_pymod_inspect_nopython_signatures(PyObject *self, void *closure);
PyObject *kn_pymod_inspect_overloads(PyObject *self, void *closure);
PyObject *kn_pymod_inspect_stats(PyObject *self, void *closure);
PyObject *kn_pymod_inspect_llvm(PyObject *self, PyObject *args, PyObject *kwargs);
PyObject *kn_pymod_inspect_asm(PyObject *self, PyObject *args, PyObject *kwargs);
PyObject *kn_pymod_inspect_types(PyObject *self, PyObject *args, PyObject *kwargs);

#endif
