/* Exceptions raised by compiled code: builtin exception kinds and the helpers that set them. */
#ifndef KN_RUNTIME_RAISE_H
#define KN_RUNTIME_RAISE_H

/*
 * The builtin exceptions compiled code can raise, by a small integer the
 * code generator embeds as a constant. KN_RT_EXC_COUNT ends the list.
 */
typedef enum kn_rt_exc {
    KN_RT_EXCEPTION,
    KN_RT_ARITHMETIC_ERROR,
    KN_RT_ASSERTION_ERROR,
    KN_RT_INDEX_ERROR,
    KN_RT_KEY_ERROR,
    KN_RT_LOOKUP_ERROR,
    KN_RT_MEMORY_ERROR,
    KN_RT_NOT_IMPLEMENTED_ERROR,
    KN_RT_OVERFLOW_ERROR,
    KN_RT_RUNTIME_ERROR,
    KN_RT_STOP_ITERATION,
    KN_RT_SYSTEM_ERROR,
    KN_RT_TYPE_ERROR,
    KN_RT_VALUE_ERROR,
    KN_RT_ZERO_DIVISION_ERROR,
    KN_RT_KEYBOARD_INTERRUPT,
    KN_RT_EXC_COUNT
} kn_rt_exc;

#include <Python.h>

/* The kind of the exception class type when it is one of the above, or -1. */
int kn_rt_exc_kind(PyObject *type);

/*
 * Sets the exception `kind` with message msg (NULL: no arguments, as
 * `raise ValueError` does). Always returns -1, the status compiled code
 * propagates to its caller.
 */
int kn_rt_raise(int kind, const char *msg);
/* The same for any exception class (a user's); compiled code holds a reference to it. */
int kn_rt_raise_class(PyObject *type, const char *msg);

/*
 * Called by a compiled loop that saw kn_rt_interrupt_requested set: clears
 * the flag and runs Python's signal handlers, which raise KeyboardInterrupt
 * for a pending SIGINT. Returns -1 when they raised; 0 when nothing was
 * pending (Python handled the interrupt already: the flag was stale, and
 * the loop goes on).
 */
int kn_rt_interrupted(void);

#endif
