/* Comms: Kiln opens none, so there are none to list and none to receive messages. */
#include "kernel.h"

#include "handlers.h"

void kn_kernel_handle_comm_info(kn_request *r)
{
    kn_kernel_reply_str(r, "{\"status\":\"ok\",\"comms\":{}}");
}

/* comm_open, comm_msg, comm_close: accepted and dropped, as for an unknown comm target. */
void kn_kernel_handle_comm(kn_request *r)
{
    (void)r;
}
