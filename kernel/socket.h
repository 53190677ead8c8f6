/* ZeroMQ plumbing: whole multipart messages in and out, and sockets opened the same way. */
#ifndef KN_SOCKET_H
#define KN_SOCKET_H

#include <stddef.h>

#include <zmq.h>

#include "frame.h"

/* A received multipart message: its ZeroMQ parts, and views of their bytes. */
typedef struct kn_msgvec {
    zmq_msg_t *msgs;
    kn_frame *frames;
    size_t n, cap;
} kn_msgvec;

/* Receives one whole multipart message into v (reset first). 0, or -1 with errno. */
int kn_kernel_recv(void *sock, kn_msgvec *v, int flags);
void kn_kernel_msgvec_reset(kn_msgvec *v);
void kn_kernel_msgvec_free(kn_msgvec *v);

/* Sends the frames as one multipart message. 0, or -1 with errno. */
int kn_kernel_send_frames(void *sock, const kn_frame *frames, size_t n);
/* One-byte messages the kernel's threads signal each other with over inproc pipes. */
int kn_kernel_send_token(void *sock, char token);
int kn_kernel_recv_token(void *sock, int flags);

/* Sends first and the rest of its multipart message, read from `from`, on to `to`. */
void kn_kernel_forward(void *from, void *to, zmq_msg_t *first);

/* A socket bound (or connected) to endpoint, or NULL after a line on stderr. */
void *kn_kernel_socket(void *zctx, int type, const char *endpoint, int bind);

#endif
