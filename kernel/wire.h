/* The Jupyter wire format: multipart frames to message parts and back, without sockets. */
#ifndef KN_WIRE_H
#define KN_WIRE_H

#include <stddef.h>

#include <jansson.h>

#include "frame.h"
#include "sign.h"

#define KN_WIRE_DELIMITER "<IDS|MSG>"

/*
 * A message as frames:
 *   identities... "<IDS|MSG>" signature header parent_header metadata content buffers...
 */
typedef struct kn_wire_parts {
    const kn_frame *ids;
    size_t n_ids;
    kn_frame signature;
    kn_frame header, parent, metadata, content;
    const kn_frame *buffers;
    size_t n_buffers;
} kn_wire_parts;

enum kn_wire_status {
    KN_WIRE_OK = 0,
    KN_WIRE_NO_DELIMITER,
    KN_WIRE_TRUNCATED,
    KN_WIRE_BAD_SIGNATURE,
    KN_WIRE_BAD_HEADER, /* not a JSON object with a string msg_type */
    KN_WIRE_BAD_BODY,   /* parent, metadata or content is not a JSON object; header is valid */
};

/* A received message: views into its frames, and the JSON of its four dicts. */
typedef struct kn_wire_msg {
    kn_wire_parts parts;
    json_t *header, *parent, *metadata, *content;
    const char *msg_type; /* owned by header */
} kn_wire_msg;

/* Splits frames into parts; checks structure only. */
int kn_wire_split(const kn_frame *frames, size_t n, kn_wire_parts *p);
/*
 * Splits, verifies the signature, parses the JSON. On KN_WIRE_BAD_BODY the
 * header is parsed, so the sender can still get an error reply. Clear m afterwards
 * whatever the result.
 */
int kn_wire_parse(const kn_frame *frames, size_t n, kn_signer *signer, kn_wire_msg *m);
void kn_wire_msg_clear(kn_wire_msg *m);
const char *kn_wire_strerror(int status);

/* How many frames kn_wire_serialize writes for p. */
size_t kn_wire_frame_count(const kn_wire_parts *p);
/* Fills out (kn_wire_frame_count(p) frames), signing into sig, which out points into. */
void kn_wire_serialize(const kn_wire_parts *p, kn_signer *signer, char sig[KN_WIRE_SIG_SIZE],
                       kn_frame *out);

#endif
