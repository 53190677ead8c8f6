/* Signals: SIGINT interrupts the running cell, SIGTERM ends the kernel, SIGPIPE is ignored. */
#include "kernel.h"

#include <signal.h>

static kn_kernel *g_kernel;
static atomic_uint g_interrupts;

/*
 * Async-signal-safe: atomics and kn_session_interrupt, which promises to be.
 * Only a running cell is interrupted: a SIGINT between cells must not linger
 * and break the next one.
 */
static void interrupt_cell(void)
{
    if (atomic_load(&g_kernel->in_cell))
        kn_session_interrupt(g_kernel->session);
}

static void on_sigint(int sig)
{
    (void)sig;
    atomic_fetch_add(&g_interrupts, 1);
    interrupt_cell();
}

static void on_sigterm(int sig)
{
    (void)sig;
    atomic_store(&g_kernel->stop, 1);
    interrupt_cell();
}

/*
 * No SA_RESTART: a signal must make the main thread's blocking calls (zmq_poll,
 * Python's sleep and reads) return EINTR, so it notices the interrupt or the
 * stop at once. The other threads block these signals: see kn_kernel_spawn.
 */
static void handle(int sig, void (*fn)(int))
{
    struct sigaction sa = {0};
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

void kn_kernel_signals_install(kn_kernel *k)
{
    g_kernel = k;
    handle(SIGINT, on_sigint);
    handle(SIGTERM, on_sigterm);
    handle(SIGPIPE, SIG_IGN);
}

/* While the kernel exits, a late SIGINT (from control's shutdown) must not kill it. */
void kn_kernel_signals_exit(void)
{
    handle(SIGINT, SIG_IGN);
    handle(SIGTERM, SIG_DFL);
}

unsigned kn_kernel_interrupts(void)
{
    return atomic_load(&g_interrupts);
}

int kn_kernel_spawn(pthread_t *t, void *(*fn)(void *), void *arg)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int rc = pthread_create(t, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc == 0 ? 0 : -1;
}
