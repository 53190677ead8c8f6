/* The Jupyter wire format: multipart frames to message parts and back, without sockets. */
#include "wire.h"

/* signature, header, parent_header, metadata, content */
#define FIXED_PARTS 5

int kn_wire_split(const kn_frame *frames, size_t n, kn_wire_parts *p)
{
    size_t d = 0;
    while (d < n && !kn_frame_eq(frames[d], KN_WIRE_DELIMITER))
        d++;
    if (d == n)
        return KN_WIRE_NO_DELIMITER;
    if (n - d - 1 < FIXED_PARTS)
        return KN_WIRE_TRUNCATED;
    const kn_frame *f = frames + d + 1;
    *p = (kn_wire_parts){
        .ids = frames,
        .n_ids = d,
        .signature = f[0],
        .header = f[1],
        .parent = f[2],
        .metadata = f[3],
        .content = f[4],
        .buffers = f + FIXED_PARTS,
        .n_buffers = n - d - 1 - FIXED_PARTS,
    };
    return KN_WIRE_OK;
}

static json_t *load_object(kn_frame f)
{
    json_t *v = json_loadb(f.data, f.len, 0, NULL);
    if (v && !json_is_object(v)) {
        json_decref(v);
        return NULL;
    }
    return v;
}

static int parse_header(kn_wire_msg *m)
{
    m->header = load_object(m->parts.header);
    if (!m->header)
        return KN_WIRE_BAD_HEADER;
    m->msg_type = json_string_value(json_object_get(m->header, "msg_type"));
    return m->msg_type ? KN_WIRE_OK : KN_WIRE_BAD_HEADER;
}

int kn_wire_parse(const kn_frame *frames, size_t n, kn_signer *signer, kn_wire_msg *m)
{
    *m = (kn_wire_msg){0};
    int st = kn_wire_split(frames, n, &m->parts);
    if (st != KN_WIRE_OK)
        return st;
    const kn_wire_parts *p = &m->parts;
    const kn_frame signed_parts[4] = {p->header, p->parent, p->metadata, p->content};
    if (!kn_wire_verify(signer, signed_parts, 4, p->signature))
        return KN_WIRE_BAD_SIGNATURE;
    st = parse_header(m);
    if (st != KN_WIRE_OK)
        return st;
    m->parent = load_object(m->parts.parent);
    m->metadata = load_object(m->parts.metadata);
    m->content = load_object(m->parts.content);
    return m->parent && m->metadata && m->content ? KN_WIRE_OK : KN_WIRE_BAD_BODY;
}

void kn_wire_msg_clear(kn_wire_msg *m)
{
    json_decref(m->header);
    json_decref(m->parent);
    json_decref(m->metadata);
    json_decref(m->content);
    *m = (kn_wire_msg){0};
}

const char *kn_wire_strerror(int status)
{
    switch (status) {
    case KN_WIRE_OK:
        return "ok";
    case KN_WIRE_NO_DELIMITER:
        return "no <IDS|MSG> delimiter";
    case KN_WIRE_TRUNCATED:
        return "fewer than five frames after the delimiter";
    case KN_WIRE_BAD_SIGNATURE:
        return "bad or missing signature";
    case KN_WIRE_BAD_HEADER:
        return "header is not a JSON object with a string msg_type";
    case KN_WIRE_BAD_BODY:
        return "parent_header, metadata or content is not a JSON object";
    }
    return "unknown error";
}

size_t kn_wire_frame_count(const kn_wire_parts *p)
{
    return p->n_ids + 1 + FIXED_PARTS + p->n_buffers;
}

void kn_wire_serialize(const kn_wire_parts *p, kn_signer *signer, char sig[KN_WIRE_SIG_SIZE],
                       kn_frame *out)
{
    kn_frame *o = out;
    for (size_t i = 0; i < p->n_ids; i++)
        *o++ = p->ids[i];
    *o++ = kn_frame_str(KN_WIRE_DELIMITER);
    kn_frame *sig_frame = o++;
    *o++ = p->header;
    *o++ = p->parent;
    *o++ = p->metadata;
    *o++ = p->content;
    kn_wire_sign(signer, sig_frame + 1, 4, sig);
    *sig_frame = kn_frame_str(sig);
    for (size_t i = 0; i < p->n_buffers; i++)
        *o++ = p->buffers[i];
}
