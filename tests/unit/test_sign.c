/* HMAC-SHA256 signing and verification: RFC 4231 vectors and a Jupyter message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sign.h"

typedef struct vector {
    const char *key;
    size_t key_len;
    const char *data;
    size_t data_len;
    const char *digest; /* RFC 4231, section 4; case 5 is truncated to 128 bits */
} vector;

static char key_0b[20], key_aa20[20], key_0c[20], key_aa131[131], key_seq[25];
static char data_dd[50], data_cd[50];

static void fill_keys(void)
{
    memset(key_0b, 0x0b, sizeof key_0b);
    memset(key_aa20, 0xaa, sizeof key_aa20);
    memset(key_0c, 0x0c, sizeof key_0c);
    memset(key_aa131, 0xaa, sizeof key_aa131);
    for (size_t i = 0; i < sizeof key_seq; i++)
        key_seq[i] = (char)(i + 1);
    memset(data_dd, 0xdd, sizeof data_dd);
    memset(data_cd, 0xcd, sizeof data_cd);
}

#define TEXT(s) s, sizeof s - 1

static const char long_data[] = "This is a test using a larger than block-size key and a larger "
                                "than block-size data. The key needs to be hashed before being "
                                "used by the HMAC algorithm.";

static void check_vector(const vector *v)
{
    char hex[KN_WIRE_SIG_SIZE];
    kn_signer *s = kn_wire_signer_new(v->key, v->key_len);
    assert_non_null(s);
    kn_frame data = {v->data, v->data_len};
    kn_wire_sign(s, &data, 1, hex);
    assert_int_equal(strlen(hex), 64);
    assert_memory_equal(hex, v->digest, strlen(v->digest));
    kn_wire_signer_free(s);
}

static void test_rfc4231(void **state)
{
    (void)state;
    fill_keys();
    const vector vectors[] = {
        {key_0b, 20, TEXT("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {TEXT("Jefe"), TEXT("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {key_aa20, 20, data_dd, 50,
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {key_seq, 25, data_cd, 50,
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {key_0c, 20, TEXT("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"},
        {key_aa131, 131, TEXT("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {key_aa131, 131, TEXT(long_data),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
        check_vector(&vectors[i]);
}

/* Digest computed with Python: hmac.new(KEY, digestmod=hashlib.sha256), update() per part. */
static const char jupyter_key[] = "5f1e8d3a-4c2b-4e8f-9a7d-0b6c3e2f1a90";
static const char jupyter_digest[] =
    "c060369c62f736e2e05668ba35c39282b3f4216b31620780d9e0ffb53d907994";

static void jupyter_parts(kn_frame parts[4])
{
    parts[0] = kn_frame_str("{\"msg_id\":\"a1b2c3d4-0001\",\"session\":\"s-42\",\"username\":"
                            "\"kiln\",\"date\":\"2024-05-01T12:00:00.000000Z\",\"msg_type\":"
                            "\"execute_request\",\"version\":\"5.3\"}");
    parts[1] = kn_frame_str("{}");
    parts[2] = kn_frame_str("{}");
    parts[3] = kn_frame_str("{\"code\":\"1 + 1\",\"silent\":false}");
}

static void test_jupyter_message(void **state)
{
    (void)state;
    kn_frame parts[4];
    char hex[KN_WIRE_SIG_SIZE];
    jupyter_parts(parts);
    kn_signer *s = kn_wire_signer_new(jupyter_key, strlen(jupyter_key));
    kn_wire_sign(s, parts, 4, hex);
    assert_string_equal(hex, jupyter_digest);
    kn_wire_sign(s, parts, 4, hex); /* the context is reused: same key, same answer */
    assert_string_equal(hex, jupyter_digest);
    assert_true(kn_wire_verify(s, parts, 4, kn_frame_str(jupyter_digest)));
    kn_wire_signer_free(s);
}

static void test_verify_rejects(void **state)
{
    (void)state;
    kn_frame parts[4];
    char bad[KN_WIRE_SIG_SIZE];
    jupyter_parts(parts);
    kn_signer *s = kn_wire_signer_new(jupyter_key, strlen(jupyter_key));
    strcpy(bad, jupyter_digest);
    bad[63] = bad[63] == '0' ? '1' : '0';
    assert_false(kn_wire_verify(s, parts, 4, kn_frame_str(bad)));
    assert_false(kn_wire_verify(s, parts, 4, (kn_frame){jupyter_digest, 63}));
    assert_false(kn_wire_verify(s, parts, 4, kn_frame_str("")));
    for (char *p = bad; *p; p++) /* the same digest in capitals is not what Jupyter sends */
        *p = (char)(*p >= 'a' && *p <= 'f' ? *p - 'a' + 'A' : *p);
    assert_false(kn_wire_verify(s, parts, 4, kn_frame_str(bad)));
    parts[3] = kn_frame_str("{\"code\":\"2 + 2\",\"silent\":false}");
    assert_false(kn_wire_verify(s, parts, 4, kn_frame_str(jupyter_digest)));
    kn_wire_signer_free(s);
}

static void test_empty_key_does_not_sign(void **state)
{
    (void)state;
    kn_frame parts[4];
    char hex[KN_WIRE_SIG_SIZE];
    jupyter_parts(parts);
    kn_signer *s = kn_wire_signer_new("", 0);
    assert_non_null(s);
    assert_false(kn_wire_signer_enabled(s));
    kn_wire_sign(s, parts, 4, hex);
    assert_string_equal(hex, "");
    assert_true(kn_wire_verify(s, parts, 4, kn_frame_str("")));
    assert_true(kn_wire_verify(s, parts, 4, kn_frame_str("anything")));
    kn_wire_signer_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4231),
        cmocka_unit_test(test_jupyter_message),
        cmocka_unit_test(test_verify_rejects),
        cmocka_unit_test(test_empty_key_does_not_sign),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
