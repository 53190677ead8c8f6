/* Exceptions raised by compiled code: from a kind number to a Python exception. */
#include "runtime/raise.h"

#include <Python.h>

#include "runtime/interrupt.h"

/* The exception type of each kind. */
static PyObject **const exceptions[KN_RT_EXC_COUNT] = {
    [KN_RT_EXCEPTION] = &PyExc_Exception,
    [KN_RT_ARITHMETIC_ERROR] = &PyExc_ArithmeticError,
    [KN_RT_ASSERTION_ERROR] = &PyExc_AssertionError,
    [KN_RT_INDEX_ERROR] = &PyExc_IndexError,
    [KN_RT_KEY_ERROR] = &PyExc_KeyError,
    [KN_RT_LOOKUP_ERROR] = &PyExc_LookupError,
    [KN_RT_MEMORY_ERROR] = &PyExc_MemoryError,
    [KN_RT_NOT_IMPLEMENTED_ERROR] = &PyExc_NotImplementedError,
    [KN_RT_OVERFLOW_ERROR] = &PyExc_OverflowError,
    [KN_RT_RUNTIME_ERROR] = &PyExc_RuntimeError,
    [KN_RT_STOP_ITERATION] = &PyExc_StopIteration,
    [KN_RT_SYSTEM_ERROR] = &PyExc_SystemError,
    [KN_RT_TYPE_ERROR] = &PyExc_TypeError,
    [KN_RT_VALUE_ERROR] = &PyExc_ValueError,
    [KN_RT_ZERO_DIVISION_ERROR] = &PyExc_ZeroDivisionError,
    [KN_RT_KEYBOARD_INTERRUPT] = &PyExc_KeyboardInterrupt,
};

int kn_rt_exc_kind(PyObject *type)
{
    for (int k = 0; k < KN_RT_EXC_COUNT; k++)
        if (*exceptions[k] == type)
            return k;
    return -1;
}

int kn_rt_raise_class(PyObject *type, const char *msg)
{
    if (msg)
        PyErr_SetString(type, msg);
    else
        PyErr_SetNone(type);
    return -1;
}

int kn_rt_raise(int kind, const char *msg)
{
    return kn_rt_raise_class(
        kind >= 0 && kind < KN_RT_EXC_COUNT ? *exceptions[kind] : PyExc_SystemError, msg);
}

/*
 * The flag was set: Python's SIGINT handling raises KeyboardInterrupt, as
 * in a plain Python loop. When Python has nothing pending, it handled the
 * interrupt already (a KeyboardInterrupt the program caught, raised before
 * any compiled loop polled): the flag was stale, and the loop goes on.
 */
int kn_rt_interrupted(void)
{
    kn_rt_interrupt_clear();
    return PyErr_CheckSignals() < 0 ? -1 : 0;
}
