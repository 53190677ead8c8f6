/* The process-wide interrupt flag: set on SIGINT, polled by compiled loops. */
#ifndef KILN_RUNTIME_INTERRUPT_H
#define KILN_RUNTIME_INTERRUPT_H

#include <signal.h>

/*
 * Nonzero once an interrupt was asked for while a cell ran. Compiled code
 * reads it on loop back-edges (a plain load, so vectorized loops stay fast)
 * and raises KeyboardInterrupt after clearing it.
 */
extern volatile sig_atomic_t kn_rt_interrupt_requested;

/* Async-signal-safe. */
void kn_rt_interrupt_request(void);
void kn_rt_interrupt_clear(void);

#endif
