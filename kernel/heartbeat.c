/* The heartbeat: echoes every message back to its sender, on a thread that never touches Python. */
#include "kernel.h"

#include <errno.h>

/*
 * A thread of its own, so the heartbeat answers while a cell runs for hours.
 * A ROUTER echoing whole messages (identity frame first) serves REQ clients
 * like a REP would, without REP's strict receive/send alternation. It ends
 * when the context is shut down.
 */
static void *heartbeat_main(void *arg)
{
    kn_kernel *k = arg;
    zmq_msg_t m;
    for (;;) {
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, k->hb, 0) < 0) {
            zmq_msg_close(&m);
            if (errno == EINTR)
                continue;
            return NULL;
        }
        kn_kernel_forward(k->hb, k->hb, &m);
    }
}

int kn_kernel_heartbeat_start(kn_kernel *k)
{
    return kn_kernel_spawn(&k->hb_thread, heartbeat_main, k);
}
