/* HMAC-SHA256 signatures of Jupyter messages, checked in constant time. */
#include "sign.h"

#include <stdlib.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#define DIGEST_LEN 32

struct kn_signer {
    EVP_MAC *mac;
    EVP_MAC_CTX *ctx; /* NULL without a key */
};

kn_signer *kn_wire_signer_new(const char *key, size_t len)
{
    kn_signer *s = calloc(1, sizeof *s);
    if (!s || len == 0)
        return s;
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    s->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (s->mac)
        s->ctx = EVP_MAC_CTX_new(s->mac);
    if (!s->ctx || !EVP_MAC_init(s->ctx, (const unsigned char *)key, len, params)) {
        kn_wire_signer_free(s);
        return NULL;
    }
    return s;
}

void kn_wire_signer_free(kn_signer *s)
{
    if (!s)
        return;
    EVP_MAC_CTX_free(s->ctx);
    EVP_MAC_free(s->mac);
    free(s);
}

int kn_wire_signer_enabled(const kn_signer *s)
{
    return s->ctx != NULL;
}

/* Restarting with a NULL key keeps the key from kn_wire_signer_new. */
static int hmac(kn_signer *s, const kn_frame *parts, size_t n, unsigned char out[DIGEST_LEN])
{
    size_t len = 0;
    if (!EVP_MAC_init(s->ctx, NULL, 0, NULL))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!EVP_MAC_update(s->ctx, (const unsigned char *)parts[i].data, parts[i].len))
            return -1;
    if (!EVP_MAC_final(s->ctx, out, &len, DIGEST_LEN) || len != DIGEST_LEN)
        return -1;
    return 0;
}

void kn_wire_sign(kn_signer *s, const kn_frame *parts, size_t n, char hex[KN_WIRE_SIG_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[DIGEST_LEN];
    hex[0] = '\0';
    if (!s->ctx || hmac(s, parts, n, md) < 0)
        return;
    for (size_t i = 0; i < DIGEST_LEN; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[2 * DIGEST_LEN] = '\0';
}

int kn_wire_verify(kn_signer *s, const kn_frame *parts, size_t n, kn_frame sig)
{
    char want[KN_WIRE_SIG_SIZE];
    if (!s->ctx)
        return 1;
    if (sig.len != 2 * DIGEST_LEN)
        return 0;
    kn_wire_sign(s, parts, n, want);
    if (want[0] == '\0')
        return 0;
    return CRYPTO_memcmp(want, sig.data, 2 * DIGEST_LEN) == 0;
}
