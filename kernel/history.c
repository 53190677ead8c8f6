/* history_request: the session keeps the history and answers in full. */
#include "kernel.h"

#include <stdlib.h>

#include "handlers.h"

void kn_kernel_handle_history(kn_request *r)
{
    char *request = json_dumps(r->msg.content, JSON_COMPACT);
    if (!request) {
        kn_kernel_reply_error(r, "MemoryError", "cannot copy the request");
        return;
    }
    kn_kernel_reply_owned(r, kn_session_history(r->k->session, request));
    free(request);
}
