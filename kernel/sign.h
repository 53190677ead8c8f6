/* HMAC-SHA256 signatures of Jupyter messages, checked in constant time. */
#ifndef KN_SIGN_H
#define KN_SIGN_H

#include <stddef.h>

#include "frame.h"

/* Hex digest and its NUL. */
#define KN_WIRE_SIG_SIZE 65

/*
 * A signer holds one HMAC context, so it belongs to one thread. An empty key
 * means the connection is unauthenticated: signatures are empty and not checked.
 */
typedef struct kn_signer kn_signer;

kn_signer *kn_wire_signer_new(const char *key, size_t len);
void kn_wire_signer_free(kn_signer *s);
int kn_wire_signer_enabled(const kn_signer *s);

/* The lowercase hex HMAC of the parts, one after another ("" without a key). */
void kn_wire_sign(kn_signer *s, const kn_frame *parts, size_t n, char hex[KN_WIRE_SIG_SIZE]);
/* 1 when sig is the signature of the parts (always, without a key), else 0. */
int kn_wire_verify(kn_signer *s, const kn_frame *parts, size_t n, kn_frame sig);

#endif
