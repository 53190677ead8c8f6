/* The shell channel: the main thread's loop, its handler table, and stop_on_error aborts. */
#include "kernel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

static const kn_handler shell_handlers[] = {
    {"execute_request", kn_kernel_handle_execute},
    {"kernel_info_request", kn_kernel_handle_kernel_info},
    {"complete_request", kn_kernel_handle_complete},
    {"inspect_request", kn_kernel_handle_inspect},
    {"is_complete_request", kn_kernel_handle_is_complete},
    {"history_request", kn_kernel_handle_history},
    {"comm_info_request", kn_kernel_handle_comm_info},
    {"comm_open", kn_kernel_handle_comm},
    {"comm_msg", kn_kernel_handle_comm},
    {"comm_close", kn_kernel_handle_comm},
    {"shutdown_request", kn_kernel_handle_shutdown},
    {NULL, NULL},
};

/*
 * After a cell fails with stop_on_error, the execute_requests that were
 * already waiting (a "Run all" in flight) are answered "aborted" rather than
 * run on a broken state, as ipykernel does; anything else waiting is served as
 * usual. They are taken off the socket before the failed cell's reply goes
 * out, so that what a client sends after seeing that reply runs normally.
 */
void kn_kernel_shell_hold_queued(kn_kernel *k)
{
    for (;;) {
        if (k->n_held == k->cap_held) {
            size_t cap = k->cap_held ? 2 * k->cap_held : 8;
            kn_msgvec *held = kn_wire_xrealloc(k->held, cap * sizeof *held);
            memset(held + k->cap_held, 0, (cap - k->cap_held) * sizeof *held);
            k->held = held;
            k->cap_held = cap;
        }
        if (kn_kernel_recv(k->shell.sock, &k->held[k->n_held], ZMQ_DONTWAIT) < 0)
            return;
        k->n_held++;
    }
}

static void serve_held(kn_kernel *k)
{
    k->aborting = 1;
    for (size_t i = 0; i < k->n_held; i++) {
        if (atomic_load(&k->stop))
            kn_kernel_msgvec_reset(&k->held[i]);
        else
            kn_kernel_handle(k, &k->shell, &k->held[i]);
    }
    k->n_held = 0;
    k->aborting = 0;
}

void kn_kernel_shell_free(kn_kernel *k)
{
    for (size_t i = 0; i < k->cap_held; i++)
        kn_kernel_msgvec_free(&k->held[i]);
    free(k->held);
    k->held = NULL;
    k->n_held = k->cap_held = 0;
}

int kn_kernel_shell_loop(kn_kernel *k)
{
    k->shell.handlers = shell_handlers;
    zmq_pollitem_t items[] = {
        {k->shell.sock, 0, ZMQ_POLLIN, 0},
        {k->shell.wake, 0, ZMQ_POLLIN, 0}, /* the control thread asks us to stop */
    };
    while (!atomic_load(&k->stop)) {
        if (zmq_poll(items, 2, -1) < 0) {
            if (errno == EINTR) /* a signal: SIGINT while idle, or SIGTERM */
                continue;
            kn_kernel_log("shell: poll failed: %s", zmq_strerror(errno));
            return -1;
        }
        if ((items[0].revents & ZMQ_POLLIN) && kn_kernel_serve(k, &k->shell) < 0) {
            kn_kernel_log("shell: receive failed: %s", zmq_strerror(errno));
            return -1;
        }
        if (k->n_held)
            serve_held(k);
    }
    return 0;
}
