/* ZeroMQ plumbing: whole multipart messages in and out, and sockets opened the same way. */
#include "socket.h"

#include <errno.h>
#include <stdlib.h>

#include "buf.h"
#include "log.h"

/* How long closing waits for unsent replies, so a vanished client cannot hold up exit. */
#define LINGER_MS 1000

/* zmq_msg_t may hold its bytes inline, so parts move with zmq_msg_move, never memcpy. */
static void grow(kn_msgvec *v)
{
    size_t cap = v->cap ? 2 * v->cap : 16;
    zmq_msg_t *msgs = kn_wire_xrealloc(NULL, cap * sizeof *msgs);
    for (size_t i = 0; i < v->n; i++) {
        zmq_msg_init(&msgs[i]);
        zmq_msg_move(&msgs[i], &v->msgs[i]);
        zmq_msg_close(&v->msgs[i]);
    }
    free(v->msgs);
    v->msgs = msgs;
    v->frames = kn_wire_xrealloc(v->frames, cap * sizeof *v->frames);
    v->cap = cap;
}

int kn_kernel_recv(void *sock, kn_msgvec *v, int flags)
{
    kn_kernel_msgvec_reset(v);
    for (int more = 1; more;) {
        if (v->n == v->cap)
            grow(v);
        zmq_msg_t *m = &v->msgs[v->n];
        zmq_msg_init(m);
        if (zmq_msg_recv(m, sock, v->n ? 0 : flags) < 0) {
            int err = errno;
            zmq_msg_close(m);
            if (v->n && err == EINTR) /* the rest of a multipart message is already here */
                continue;
            kn_kernel_msgvec_reset(v);
            errno = err;
            return -1;
        }
        more = zmq_msg_more(m);
        v->n++;
    }
    for (size_t i = 0; i < v->n; i++)
        v->frames[i] = (kn_frame){zmq_msg_data(&v->msgs[i]), zmq_msg_size(&v->msgs[i])};
    return 0;
}

void kn_kernel_msgvec_reset(kn_msgvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        zmq_msg_close(&v->msgs[i]);
    v->n = 0;
}

void kn_kernel_msgvec_free(kn_msgvec *v)
{
    kn_kernel_msgvec_reset(v);
    free(v->msgs);
    free(v->frames);
    *v = (kn_msgvec){0};
}

static int send_frame(void *sock, kn_frame f, int flags)
{
    while (zmq_send(sock, f.data, f.len, flags) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

int kn_kernel_send_frames(void *sock, const kn_frame *frames, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (send_frame(sock, frames[i], i + 1 < n ? ZMQ_SNDMORE : 0) < 0)
            return -1;
    return 0;
}

int kn_kernel_send_token(void *sock, char token)
{
    return send_frame(sock, (kn_frame){&token, 1}, 0);
}

int kn_kernel_recv_token(void *sock, int flags)
{
    char token;
    int n;
    while ((n = zmq_recv(sock, &token, 1, flags)) < 0)
        if (errno != EINTR)
            return -1;
    return n == 1 ? (unsigned char)token : 0;
}

void kn_kernel_forward(void *from, void *to, zmq_msg_t *first)
{
    for (;;) {
        int more = zmq_msg_more(first);
        if (zmq_msg_send(first, to, more ? ZMQ_SNDMORE : 0) < 0)
            zmq_msg_close(first);
        if (!more)
            return;
        zmq_msg_init(first);
        while (zmq_msg_recv(first, from, 0) < 0)
            if (errno != EINTR) {
                zmq_msg_close(first);
                return;
            }
    }
}

void *kn_kernel_socket(void *zctx, int type, const char *endpoint, int bind)
{
    void *sock = zmq_socket(zctx, type);
    int linger = LINGER_MS;
    if (sock && zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger) == 0 &&
        (bind ? zmq_bind(sock, endpoint) : zmq_connect(sock, endpoint)) == 0)
        return sock;
    kn_kernel_log("cannot %s %s: %s", bind ? "bind" : "connect", endpoint, zmq_strerror(errno));
    if (sock)
        zmq_close(sock);
    return NULL;
}
