/* input() in a cell: input_request on the stdin socket, then wait for the input_reply. */
#include "kernel.h"

#include <errno.h>
#include <stdlib.h>

#include "handlers.h"

/* How often a wait looks at interrupts that did not reach zmq_poll as EINTR. */
#define POLL_MS 100

/* Replies left over from an input() that was interrupted would answer the next one. */
static void discard_stale(kn_kernel *k, kn_msgvec *v)
{
    while (kn_kernel_recv(k->stdin_sock, v, ZMQ_DONTWAIT) == 0)
        kn_kernel_log("stdin: discarded a message that came while no input was asked for");
}

/* Sent to the identities of the shell request, as ipykernel does, with it as parent. */
static int send_request(kn_kernel *k, const kn_request *r, const char *prompt, int password)
{
    kn_wire_buf *b = &k->shell.out.body;
    kn_wire_buf_reset(b);
    kn_wire_buf_puts(b, "{\"prompt\":");
    kn_wire_buf_put_json_string(b, prompt, strlen(prompt));
    kn_wire_buf_puts(b, password ? ",\"password\":true}" : ",\"password\":false}");
    const kn_wire_parts *p = &r->msg.parts;
    return kn_kernel_send(&k->shell.out, k->stdin_sock, p->ids, p->n_ids, "input_request",
                          p->header, kn_wire_buf_frame(b));
}

/* KN_INPUT_OK with *line set, for an input_reply; 1 for anything else, which is skipped. */
static int read_reply(kn_kernel *k, kn_msgvec *v, char **line)
{
    kn_wire_msg m;
    int status = kn_wire_parse(v->frames, v->n, k->shell.out.signer, &m);
    int rc = 1;
    if (status != KN_WIRE_OK) {
        kn_kernel_log("stdin: dropped a message: %s", kn_wire_strerror(status));
    } else if (strcmp(m.msg_type, "input_reply") != 0) {
        kn_kernel_log("stdin: ignored a message of type \"%s\"", m.msg_type);
    } else {
        const char *value = json_string_value(json_object_get(m.content, "value"));
        *line = strdup(value ? value : "");
        rc = KN_INPUT_OK;
    }
    kn_wire_msg_clear(&m);
    return rc;
}

static int await_reply(kn_kernel *k, kn_msgvec *v, char **line)
{
    unsigned interrupts = kn_kernel_interrupts();
    zmq_pollitem_t item = {k->stdin_sock, 0, ZMQ_POLLIN, 0};
    while (kn_kernel_interrupts() == interrupts && !atomic_load(&k->stop)) {
        int n = zmq_poll(&item, 1, POLL_MS);
        if (n < 0 && errno != EINTR)
            return KN_INPUT_UNAVAILABLE;
        if (n <= 0 || kn_kernel_recv(k->stdin_sock, v, ZMQ_DONTWAIT) < 0)
            continue;
        if (read_reply(k, v, line) == KN_INPUT_OK)
            return KN_INPUT_OK;
    }
    return KN_INPUT_INTERRUPTED;
}

int kn_kernel_input(void *ctx, const char *prompt, int password, char **line)
{
    kn_kernel *k = ctx;
    if (!pthread_equal(pthread_self(), k->main_thread) || !k->cell.req || !k->cell.allow_stdin)
        return KN_INPUT_UNAVAILABLE;
    kn_msgvec v = {0};
    kn_kernel_iopub_flush(&k->shell.out); /* the prompt comes after what the cell printed */
    discard_stale(k, &v);
    int rc = KN_INPUT_UNAVAILABLE;
    if (send_request(k, k->cell.req, prompt ? prompt : "", password) == 0)
        rc = await_reply(k, &v, line);
    kn_kernel_msgvec_free(&v);
    return rc;
}
