/* The wire format: messages framed and parsed back, and malformed frames rejected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "wire.h"

#define KEY "a0436f6c-1916-498b-8eb9-e81ab9368e84"
#define HEADER                                                                                     \
    "{\"msg_id\":\"m1\",\"session\":\"s1\",\"username\":\"u\",\"date\":"                           \
    "\"2024-05-01T12:00:00.000000Z\",\"msg_type\":\"execute_request\",\"version\":\"5.3\"}"
#define CONTENT "{\"code\":\"print(1)\",\"silent\":false}"

/* Room for the frames of the messages below. */
#define MAX_FRAMES 16

typedef struct framed {
    kn_frame frames[MAX_FRAMES];
    size_t n;
    char sig[KN_WIRE_SIG_SIZE];
} framed;

static const kn_frame ids[] = {{"client-a", 8}, {"\0\x01\x02", 3}};
static const kn_frame buffers[] = {{"\x00\xff binary", 9}, {"", 0}};

static kn_wire_parts sample_parts(void)
{
    return (kn_wire_parts){
        .ids = ids,
        .n_ids = 2,
        .header = kn_frame_str(HEADER),
        .parent = kn_frame_str("{}"),
        .metadata = kn_frame_str("{\"m\":1}"),
        .content = kn_frame_str(CONTENT),
        .buffers = buffers,
        .n_buffers = 2,
    };
}

static void frame_with(const kn_wire_parts *p, kn_signer *s, framed *f)
{
    f->n = kn_wire_frame_count(p);
    assert_true(f->n <= MAX_FRAMES);
    kn_wire_serialize(p, s, f->sig, f->frames);
}

static void assert_frame(kn_frame got, kn_frame want)
{
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.data, want.data, want.len);
}

static void test_round_trip(void **state)
{
    (void)state;
    kn_signer *s = kn_wire_signer_new(KEY, strlen(KEY));
    kn_wire_parts p = sample_parts();
    framed f;
    frame_with(&p, s, &f);
    assert_int_equal(f.n, 2 + 1 + 5 + 2);
    assert_frame(f.frames[2], kn_frame_str(KN_WIRE_DELIMITER));
    assert_int_equal(f.frames[3].len, 64);

    kn_wire_msg m;
    assert_int_equal(kn_wire_parse(f.frames, f.n, s, &m), KN_WIRE_OK);
    assert_int_equal(m.parts.n_ids, 2);
    assert_frame(m.parts.ids[0], ids[0]);
    assert_frame(m.parts.ids[1], ids[1]);
    assert_frame(m.parts.header, p.header);
    assert_frame(m.parts.content, p.content);
    assert_int_equal(m.parts.n_buffers, 2);
    assert_frame(m.parts.buffers[0], buffers[0]);
    assert_frame(m.parts.buffers[1], buffers[1]);
    assert_string_equal(m.msg_type, "execute_request");
    assert_string_equal(json_string_value(json_object_get(m.content, "code")), "print(1)");
    assert_int_equal(json_integer_value(json_object_get(m.metadata, "m")), 1);
    kn_wire_msg_clear(&m);
    kn_wire_signer_free(s);
}

static void test_no_identities_no_buffers(void **state)
{
    (void)state;
    kn_signer *s = kn_wire_signer_new(KEY, strlen(KEY));
    kn_wire_parts p = sample_parts();
    p.n_ids = p.n_buffers = 0;
    framed f;
    frame_with(&p, s, &f);
    assert_int_equal(f.n, 6);
    kn_wire_msg m;
    assert_int_equal(kn_wire_parse(f.frames, f.n, s, &m), KN_WIRE_OK);
    assert_int_equal(m.parts.n_ids, 0);
    assert_int_equal(m.parts.n_buffers, 0);
    kn_wire_msg_clear(&m);
    kn_wire_signer_free(s);
}

/* Parses frames with the test key, expecting status; returns nothing, cleans up. */
static void expect_status(const kn_frame *frames, size_t n, int status)
{
    kn_signer *s = kn_wire_signer_new(KEY, strlen(KEY));
    kn_wire_msg m;
    assert_int_equal(kn_wire_parse(frames, n, s, &m), status);
    kn_wire_msg_clear(&m);
    kn_wire_signer_free(s);
}

static void test_no_delimiter(void **state)
{
    (void)state;
    const kn_frame frames[] = {{"id", 2}, {"<IDS|MSG", 8}, {"sig", 3}, {HEADER, sizeof HEADER - 1},
                               {"{}", 2}, {"{}", 2},       {"{}", 2}};
    expect_status(frames, 7, KN_WIRE_NO_DELIMITER);
    expect_status(frames, 0, KN_WIRE_NO_DELIMITER);
}

static void test_too_few_frames(void **state)
{
    (void)state;
    kn_signer *s = kn_wire_signer_new(KEY, strlen(KEY));
    kn_wire_parts p = sample_parts();
    framed f;
    frame_with(&p, s, &f);
    for (size_t n = 3; n < 8; n++) /* two ids, the delimiter, then fewer than 5 parts */
        expect_status(f.frames, n, KN_WIRE_TRUNCATED);
    kn_wire_signer_free(s);
}

static void test_bad_signature(void **state)
{
    (void)state;
    kn_signer *other = kn_wire_signer_new("another key", 11);
    kn_wire_parts p = sample_parts();
    framed f;
    frame_with(&p, other, &f);
    expect_status(f.frames, f.n, KN_WIRE_BAD_SIGNATURE);
    f.frames[3] = kn_frame_str("");
    expect_status(f.frames, f.n, KN_WIRE_BAD_SIGNATURE);
    kn_wire_signer_free(other);
}

static void test_tampered_content(void **state)
{
    (void)state;
    kn_signer *s = kn_wire_signer_new(KEY, strlen(KEY));
    kn_wire_parts p = sample_parts();
    framed f;
    frame_with(&p, s, &f);
    f.frames[7] = kn_frame_str("{\"code\":\"import os\",\"silent\":false}");
    expect_status(f.frames, f.n, KN_WIRE_BAD_SIGNATURE);
    kn_wire_signer_free(s);
}

static void test_empty_key_skips_check(void **state)
{
    (void)state;
    kn_signer *none = kn_wire_signer_new("", 0);
    kn_wire_parts p = sample_parts();
    framed f;
    frame_with(&p, none, &f);
    assert_int_equal(f.frames[3].len, 0);
    f.frames[3] = kn_frame_str("not checked");
    kn_wire_msg m;
    assert_int_equal(kn_wire_parse(f.frames, f.n, none, &m), KN_WIRE_OK);
    kn_wire_msg_clear(&m);
    kn_wire_signer_free(none);
}

/* A signed message whose header and content are the given texts. */
static int parse_texts(const char *header, const char *content, kn_wire_msg *m)
{
    kn_signer *s = kn_wire_signer_new(KEY, strlen(KEY));
    kn_wire_parts p = sample_parts();
    p.header = kn_frame_str(header);
    p.content = kn_frame_str(content);
    framed f;
    frame_with(&p, s, &f);
    int status = kn_wire_parse(f.frames, f.n, s, m);
    kn_wire_signer_free(s);
    return status;
}

static void expect_texts(const char *header, const char *content, int status)
{
    kn_wire_msg m;
    assert_int_equal(parse_texts(header, content, &m), status);
    kn_wire_msg_clear(&m);
}

static void test_bad_header(void **state)
{
    (void)state;
    expect_texts("{\"msg_type\": ", CONTENT, KN_WIRE_BAD_HEADER);
    expect_texts("", CONTENT, KN_WIRE_BAD_HEADER);
    expect_texts("[1, 2]", CONTENT, KN_WIRE_BAD_HEADER);
    expect_texts("\"execute_request\"", CONTENT, KN_WIRE_BAD_HEADER);
    expect_texts("{\"msg_id\": \"x\"}", CONTENT, KN_WIRE_BAD_HEADER);
    expect_texts("{\"msg_type\": 7}", CONTENT, KN_WIRE_BAD_HEADER);
}

/* With a good header, the request can still be answered with an error. */
static void test_bad_content_keeps_header(void **state)
{
    (void)state;
    const char *contents[] = {"{not json", "[1, 2]", "null", "{\"code\": \"\xff\xfe\"}"};
    for (size_t i = 0; i < sizeof contents / sizeof contents[0]; i++) {
        kn_wire_msg m;
        assert_int_equal(parse_texts(HEADER, contents[i], &m), KN_WIRE_BAD_BODY);
        assert_string_equal(m.msg_type, "execute_request");
        assert_null(m.content);
        kn_wire_msg_clear(&m);
    }
}

static void test_strerror(void **state)
{
    (void)state;
    for (int st = KN_WIRE_OK; st <= KN_WIRE_BAD_BODY; st++)
        assert_true(strlen(kn_wire_strerror(st)) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_no_identities_no_buffers),
        cmocka_unit_test(test_no_delimiter),
        cmocka_unit_test(test_too_few_frames),
        cmocka_unit_test(test_bad_signature),
        cmocka_unit_test(test_tampered_content),
        cmocka_unit_test(test_empty_key_skips_check),
        cmocka_unit_test(test_bad_header),
        cmocka_unit_test(test_bad_content_keeps_header),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
