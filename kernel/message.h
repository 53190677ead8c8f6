/* Outgoing messages: new headers (protocol 5.3), framing and signing, sending on a socket. */
#ifndef KN_MESSAGE_H
#define KN_MESSAGE_H

#include <stddef.h>

#include "buf.h"
#include "frame.h"
#include "sign.h"

#define KN_PROTOCOL_VERSION "5.3"
#define KN_UUID_SIZE 37

/*
 * What one thread needs to send messages. ZeroMQ sockets and HMAC contexts
 * belong to one thread each, so every thread that sends has its own sender.
 */
typedef struct kn_sender {
    kn_signer *signer;
    const char *session_id;    /* the kernel's session, a uuid */
    const char *username_json; /* a JSON string, quotes included */
    void *iopub;               /* this thread's PUSH end of the iopub pipe */
    void *flush_ack;           /* where the iopub thread confirms flushes, or NULL */
    kn_wire_buf head, topic;   /* scratch for kn_kernel_send and kn_kernel_publish */
    kn_wire_buf body;          /* scratch for the content callers build, one at a time */
} kn_sender;

void kn_kernel_uuid4(char out[KN_UUID_SIZE]);
/* Now, in UTC, as ISO 8601 with microseconds: 2024-05-01T12:34:56.123456Z */
void kn_kernel_isodate(char out[32]);
void kn_kernel_header(kn_wire_buf *b, const char *session_id, const char *username_json,
                      const char *msg_type);

/* A new message with an empty parent when parent.len is 0. 0, or -1 with errno. */
int kn_kernel_send(kn_sender *s, void *sock, const kn_frame *ids, size_t n_ids,
                   const char *msg_type, kn_frame parent, kn_frame content);
void kn_kernel_sender_free(kn_sender *s);

#endif
