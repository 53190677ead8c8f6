/* The process-wide interrupt flag that compiled code polls. */
#include "runtime/interrupt.h"

#include <Python.h>

volatile sig_atomic_t kn_rt_interrupt_requested;

/*
 * Python's KeyboardInterrupt is made pending before the flag is set, so
 * compiled code that sees the flag always finds Python's too (see
 * kn_rt_interrupted): a poll between the two would otherwise take the
 * flag for a stale one.
 */
void kn_rt_interrupt_request(void)
{
    PyErr_SetInterruptEx(SIGINT);
    kn_rt_interrupt_requested = 1;
}

void kn_rt_interrupt_clear(void)
{
    kn_rt_interrupt_requested = 0;
}
