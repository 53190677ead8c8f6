/* What a cell prints and displays, published on iopub with its execute_request as parent. */
#include "kernel.h"

#include "handlers.h"

/*
 * The session calls these on whichever thread writes: usually the main thread
 * inside a cell, but a Python thread may print at any time. The main thread
 * uses its own sender; other threads share one sender under a lock, with the
 * parent of the latest cell (as ipykernel attributes stray output).
 * Returns the sender whose body to fill, or NULL when output is dropped;
 * output_publish must follow a non-NULL return.
 */
static kn_sender *output_begin(kn_kernel *k, kn_frame *parent)
{
    kn_sender *s = &k->foreign;
    if (pthread_equal(pthread_self(), k->main_thread)) {
        if (k->cell.silent)
            return NULL;
        *parent = k->cell.req ? k->cell.req->msg.parts.header : (kn_frame){0};
        s = &k->shell.out;
    } else {
        pthread_mutex_lock(&k->foreign_lock);
        if (k->foreign_closed) {
            pthread_mutex_unlock(&k->foreign_lock);
            return NULL;
        }
        *parent = kn_wire_buf_frame(&k->foreign_parent);
    }
    kn_wire_buf_reset(&s->body);
    return s;
}

static void output_publish(kn_kernel *k, kn_sender *s, kn_frame parent, const char *msg_type)
{
    kn_kernel_publish(s, parent, msg_type, kn_wire_buf_frame(&s->body));
    if (s == &k->foreign)
        pthread_mutex_unlock(&k->foreign_lock);
}

static void on_stream(void *ctx, const char *name, const char *text, size_t len)
{
    kn_kernel *k = ctx;
    kn_frame parent;
    kn_sender *s = output_begin(k, &parent);
    if (!s)
        return;
    kn_wire_buf_puts(&s->body, "{\"name\":");
    kn_wire_buf_put_json_string(&s->body, name, strlen(name));
    kn_wire_buf_puts(&s->body, ",\"text\":");
    kn_wire_buf_put_json_string(&s->body, text, len);
    kn_wire_buf_puts(&s->body, "}");
    output_publish(k, s, parent, "stream");
}

/* execution_count > 0: the cell's result (execute_result); else display() (display_data). */
static void on_display(void *ctx, const char *data_json, const char *metadata_json,
                       int execution_count)
{
    kn_kernel *k = ctx;
    kn_frame parent;
    kn_sender *s = output_begin(k, &parent);
    if (!s)
        return;
    kn_wire_buf_printf(&s->body, "{\"data\":%s,\"metadata\":%s", data_json ? data_json : "{}",
                       metadata_json ? metadata_json : "{}");
    if (execution_count > 0) {
        kn_wire_buf_printf(&s->body, ",\"execution_count\":%d}", execution_count);
        output_publish(k, s, parent, "execute_result");
    } else {
        kn_wire_buf_puts(&s->body, ",\"transient\":{}}");
        output_publish(k, s, parent, "display_data");
    }
}

kn_frontend kn_kernel_frontend(kn_kernel *k)
{
    return (kn_frontend){
        .ctx = k,
        .stream = on_stream,
        .display = on_display,
        .input = kn_kernel_input,
    };
}
