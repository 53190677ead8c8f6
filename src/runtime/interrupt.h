/* The process-wide interrupt flag: set on SIGINT, polled by compiled loops. */
#ifndef KILN_RUNTIME_INTERRUPT_H
#define KILN_RUNTIME_INTERRUPT_H

#include <signal.h>

/*
 * Nonzero once an interrupt was asked for while a cell ran. Compiled code
 * reads it on loop back-edges (a plain load, so vectorized loops stay fast)
 * and, when set, clears it and lets Python raise KeyboardInterrupt: unless
 * Python raised it already, in Python code the program ran since (and
 * maybe caught), so that no stale interrupt hits a later loop.
 */
extern volatile sig_atomic_t kn_rt_interrupt_requested;

/*
 * Asks for an interrupt: Python's SIGINT handling (PyErr_SetInterruptEx:
 * KeyboardInterrupt unless the program set another handler), and the flag
 * for compiled code. Async-signal-safe.
 */
void kn_rt_interrupt_request(void);
void kn_rt_interrupt_clear(void);

#endif
