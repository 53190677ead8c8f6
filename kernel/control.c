/* The control channel: its own thread, so interrupt and shutdown work while a cell runs. */
#include "kernel.h"

#include <errno.h>

#include "handlers.h"

/* Stop: from the main thread, over the wake PAIR, at exit. */
#define TOKEN_STOP 'S'

static const kn_handler control_handlers[] = {
    {"kernel_info_request", kn_kernel_handle_kernel_info},
    {"shutdown_request", kn_kernel_handle_shutdown},
    {"interrupt_request", kn_kernel_handle_interrupt},
    {NULL, NULL},
};

/*
 * The main thread is inside Python for as long as a cell runs, and a cell may
 * never return by itself (`while True: pass`). Control requests must still be
 * answered then, so this thread serves them, touching no Python: an interrupt
 * is a SIGINT sent to the main thread, a shutdown a flag and a wake-up.
 */
static void *control_main(void *arg)
{
    kn_kernel *k = arg;
    kn_channel *ch = &k->control;
    zmq_pollitem_t items[] = {
        {ch->sock, 0, ZMQ_POLLIN, 0},
        {ch->wake, 0, ZMQ_POLLIN, 0},
    };
    for (;;) {
        if (zmq_poll(items, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (items[1].revents & ZMQ_POLLIN)
            break;
        if ((items[0].revents & ZMQ_POLLIN) && kn_kernel_serve(k, ch) < 0)
            break;
    }
    kn_kernel_iopub_done(&ch->out);
    return NULL;
}

int kn_kernel_control_start(kn_kernel *k)
{
    k->control.handlers = control_handlers;
    return kn_kernel_spawn(&k->control_thread, control_main, k);
}

void kn_kernel_control_stop(kn_kernel *k)
{
    kn_kernel_send_token(k->shell.wake, TOKEN_STOP);
    pthread_join(k->control_thread, NULL);
}
