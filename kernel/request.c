/* Serving one request on a channel: verify, parse, busy, dispatch, idle; and the replies. */
#include "kernel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "handlers.h"

static kn_handler_fn find(const kn_handler *h, const char *msg_type)
{
    for (; h->msg_type; h++)
        if (strcmp(h->msg_type, msg_type) == 0)
            return h->fn;
    return NULL;
}

/*
 * A request's status idle goes out as soon as it is handled: before its
 * reply, once the handler has published all else (ipykernel sends the reply
 * first). A client waits for both, and the idle status has one thread more
 * to cross, the iopub thread's; sent first, it reaches the client sooner.
 * The two are on different sockets, which keep no order between them.
 */
static void publish_idle(kn_request *r)
{
    if (r->idle)
        return;
    r->idle = 1;
    kn_kernel_publish_status(&r->ch->out, r->msg.parts.header, "idle");
}

/* As ipykernel does, even a message nobody handles is framed by busy and idle. */
static void dispatch(kn_request *r, int status)
{
    kn_kernel_publish_status(&r->ch->out, r->msg.parts.header, "busy");
    kn_handler_fn fn = find(r->ch->handlers, r->msg.msg_type);
    if (!fn) {
        kn_kernel_log("%s: ignored a message of unknown type \"%s\"", r->ch->name, r->msg.msg_type);
    } else if (status == KN_WIRE_BAD_BODY) {
        kn_kernel_log("%s: %s: %s", r->ch->name, r->msg.msg_type, kn_wire_strerror(status));
        kn_kernel_reply_error(r, "ValueError", kn_wire_strerror(status));
    } else {
        fn(r);
    }
    publish_idle(r);
}

void kn_kernel_handle(kn_kernel *k, kn_channel *ch, kn_msgvec *v)
{
    kn_request r = {.k = k, .ch = ch};
    int status = kn_wire_parse(v->frames, v->n, ch->out.signer, &r.msg);
    if (status == KN_WIRE_OK || status == KN_WIRE_BAD_BODY)
        dispatch(&r, status);
    else
        kn_kernel_log("%s: dropped a message: %s", ch->name, kn_wire_strerror(status));
    kn_wire_msg_clear(&r.msg);
    kn_kernel_msgvec_reset(v);
}

int kn_kernel_serve(kn_kernel *k, kn_channel *ch)
{
    if (kn_kernel_recv(ch->sock, &ch->in, ZMQ_DONTWAIT) < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -1;
    kn_kernel_handle(k, ch, &ch->in);
    return 1;
}

void kn_kernel_reply(kn_request *r, kn_frame content)
{
    const char *type = r->msg.msg_type;
    const char *suffix = strstr(type, "_request");
    int stem = suffix ? (int)(suffix - type) : (int)strlen(type);
    char reply_type[128];
    snprintf(reply_type, sizeof reply_type, "%.*s_reply", stem, type);
    const kn_wire_parts *p = &r->msg.parts;
    publish_idle(r);
    int rc =
        kn_kernel_send(&r->ch->out, r->ch->sock, p->ids, p->n_ids, reply_type, p->header, content);
    if (rc < 0)
        kn_kernel_log("%s: cannot send %s: %s", r->ch->name, reply_type, zmq_strerror(errno));
}

void kn_kernel_reply_str(kn_request *r, const char *content)
{
    kn_kernel_reply(r, kn_frame_str(content));
}

void kn_kernel_reply_owned(kn_request *r, char *content)
{
    if (!content) {
        kn_kernel_reply_error(r, "RuntimeError", "the session could not answer");
        return;
    }
    kn_kernel_reply_str(r, content);
    kn_free(content);
}

void kn_kernel_reply_error(kn_request *r, const char *ename, const char *evalue)
{
    kn_wire_buf b = {0};
    kn_wire_buf_puts(&b, "{\"status\":\"error\",\"ename\":");
    kn_wire_buf_put_json_string(&b, ename, strlen(ename));
    kn_wire_buf_puts(&b, ",\"evalue\":");
    kn_wire_buf_put_json_string(&b, evalue, strlen(evalue));
    kn_wire_buf_puts(&b, ",\"traceback\":[]");
    if (strcmp(r->msg.msg_type, "execute_request") == 0) /* execute_reply always has a count */
        kn_wire_buf_printf(&b, ",\"execution_count\":%d", r->k->execution_count);
    kn_wire_buf_puts(&b, "}");
    kn_kernel_reply(r, kn_wire_buf_frame(&b));
    kn_wire_buf_free(&b);
}
