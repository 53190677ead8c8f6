/* shutdown_request and interrupt_request: ending the kernel, or the cell it runs. */
#include "kernel.h"

#include <signal.h>
#include <stdio.h>

#include "handlers.h"

/* To the main thread, over the wake PAIR: a shutdown was asked for. */
#define TOKEN_WAKE 'W'

/*
 * The reply and the idle status go out first; then the main loop ends and the
 * kernel exits. From the control thread, the main thread may be polling (the
 * wake token ends that) or running a cell (a SIGINT ends that, as it would
 * end an input() wait).
 */
void kn_kernel_handle_shutdown(kn_request *r)
{
    kn_kernel *k = r->k;
    char content[64];
    const char *restart =
        json_is_true(json_object_get(r->msg.content, "restart")) ? "true" : "false";
    snprintf(content, sizeof content, "{\"status\":\"ok\",\"restart\":%s}", restart);
    kn_kernel_reply_str(r, content);
    atomic_store(&k->stop, 1);
    if (pthread_equal(pthread_self(), k->main_thread))
        return;
    kn_kernel_send_token(r->ch->wake, TOKEN_WAKE);
    if (atomic_load(&k->in_cell))
        pthread_kill(k->main_thread, SIGINT);
}

/*
 * interrupt_mode "message": the same SIGINT the client would send in "signal"
 * mode, aimed at the main thread so that a blocking call there (time.sleep,
 * a read) returns EINTR and Python raises KeyboardInterrupt.
 */
void kn_kernel_handle_interrupt(kn_request *r)
{
    kn_kernel_reply_str(r, "{\"status\":\"ok\"}");
    pthread_kill(r->k->main_thread, SIGINT);
}
