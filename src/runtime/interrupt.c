/* The process-wide interrupt flag that compiled code polls. */
#include "runtime/interrupt.h"

volatile sig_atomic_t kn_rt_interrupt_requested;

void kn_rt_interrupt_request(void)
{
    kn_rt_interrupt_requested = 1;
}

void kn_rt_interrupt_clear(void)
{
    kn_rt_interrupt_requested = 0;
}
