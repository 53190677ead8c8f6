/* The iopub thread, the one owner of the PUB socket, and how other threads publish through it. */
#include "kernel.h"

#include <errno.h>
#include <stdio.h>

/*
 * ZeroMQ sockets are not thread-safe, yet the main thread (cells), the control
 * thread (its busy/idle) and Python's own threads (their prints) all publish.
 * So each producer has a PUSH socket into one inproc pipe, and this thread
 * moves what comes out of the pipe onto PUB. Producers sign and frame their
 * messages themselves; the pipe keeps each producer's messages in order.
 *
 * Single one-byte messages are commands: a flush, answered on the ack PAIR
 * (only the main thread flushes), or the end of one producer.
 */
#define TOKEN_FLUSH 'F'
#define TOKEN_DONE 'S'
/* main, control, and Python's other threads */
#define PRODUCERS 3

static int is_token(zmq_msg_t *m)
{
    return !zmq_msg_more(m) && zmq_msg_size(m) == 1;
}

static void *iopub_main(void *arg)
{
    kn_kernel *k = arg;
    int producers = PRODUCERS;
    zmq_msg_t m;
    while (producers > 0) {
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, k->pull, 0) < 0) {
            zmq_msg_close(&m);
            if (errno == EINTR)
                continue;
            break;
        }
        if (!is_token(&m)) {
            kn_kernel_forward(k->pull, k->pub, &m);
            continue;
        }
        char token = *(const char *)zmq_msg_data(&m);
        zmq_msg_close(&m);
        if (token == TOKEN_FLUSH)
            kn_kernel_send_token(k->ack, TOKEN_FLUSH);
        else if (token == TOKEN_DONE)
            producers--;
    }
    return NULL;
}

int kn_kernel_iopub_start(kn_kernel *k)
{
    return kn_kernel_spawn(&k->iopub_thread, iopub_main, k);
}

int kn_kernel_publish(kn_sender *s, kn_frame parent, const char *msg_type, kn_frame content)
{
    kn_wire_buf_reset(&s->topic);
    kn_wire_buf_printf(&s->topic, "kernel.%s.%s", s->session_id, msg_type);
    kn_frame topic = kn_wire_buf_frame(&s->topic);
    return kn_kernel_send(s, s->iopub, &topic, 1, msg_type, parent, content);
}

void kn_kernel_publish_status(kn_sender *s, kn_frame parent, const char *state)
{
    char content[64];
    int n = snprintf(content, sizeof content, "{\"execution_state\":\"%s\"}", state);
    kn_kernel_publish(s, parent, "status", (kn_frame){content, (size_t)n});
}

void kn_kernel_iopub_flush(kn_sender *s)
{
    if (s->flush_ack && kn_kernel_send_token(s->iopub, TOKEN_FLUSH) == 0)
        kn_kernel_recv_token(s->flush_ack, 0);
}

void kn_kernel_iopub_done(kn_sender *s)
{
    kn_kernel_send_token(s->iopub, TOKEN_DONE);
}
