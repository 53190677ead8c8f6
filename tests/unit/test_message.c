/* Building outgoing messages: JSON string escaping, ids, dates and headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "message.h"

/* s (n bytes) escaped, then read back by jansson, must be want. */
static void check_escape(const char *s, size_t n, const char *want)
{
    kn_wire_buf b = {0};
    kn_wire_buf_put_json_string(&b, s, n);
    json_error_t err;
    json_t *v = json_loadb(b.data, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!v)
        fail_msg("not JSON: %s (%s)", b.data, err.text);
    assert_int_equal(json_string_length(v), strlen(want));
    assert_string_equal(json_string_value(v), want);
    json_decref(v);
    kn_wire_buf_free(&b);
}

#define CHECK(s, want) check_escape(s, sizeof s - 1, want)

static void test_escapes(void **state)
{
    (void)state;
    CHECK("plain text", "plain text");
    CHECK("", "");
    CHECK("quote \" backslash \\ slash /", "quote \" backslash \\ slash /");
    CHECK("\b\f\n\r\t", "\b\f\n\r\t");
    CHECK("\x01\x1f\x7f", "\x01\x1f\x7f");
    CHECK("\x1b[31mred\x1b[0m", "\x1b[31mred\x1b[0m");
}

static void test_utf8_kept(void **state)
{
    (void)state;
    CHECK("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

#define FFFD "\xef\xbf\xbd"

static void test_invalid_utf8_replaced(void **state)
{
    (void)state;
    CHECK("a\377b", "a" FFFD "b");
    CHECK("cut \xe2\x82", "cut " FFFD FFFD);
    CHECK("overlong \xc0\xaf", "overlong " FFFD FFFD);
    CHECK("surrogate \xed\xa0\x80", "surrogate " FFFD FFFD FFFD);
    CHECK("too big \xf4\x90\x80\x80", "too big " FFFD FFFD FFFD FFFD);
}

static void test_nul_escaped(void **state)
{
    (void)state;
    kn_wire_buf b = {0};
    kn_wire_buf_put_json_string(&b, "a\0b", 3);
    assert_string_equal(b.data, "\"a\\u0000b\"");
    kn_wire_buf_free(&b);
}

static void test_growth_and_printf(void **state)
{
    (void)state;
    kn_wire_buf b = {0};
    for (int i = 0; i < 1000; i++)
        kn_wire_buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, strlen(b.data));
    assert_memory_equal(b.data, "0,1,2,", 6);
    assert_memory_equal(b.data + b.len - 4, "999,", 4);
    kn_wire_buf_reset(&b);
    kn_wire_buf_puts(&b, "again");
    assert_string_equal(b.data, "again");
    kn_wire_buf_free(&b);
}

static int is_hex(const char *s, size_t n)
{
    return strspn(s, "0123456789abcdef") == n;
}

static void test_uuid4(void **state)
{
    (void)state;
    char a[KN_UUID_SIZE], b[KN_UUID_SIZE];
    kn_kernel_uuid4(a);
    kn_kernel_uuid4(b);
    assert_int_equal(strlen(a), 36);
    assert_string_not_equal(a, b);
    assert_true(a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-');
    assert_int_equal(a[14], '4');
    assert_non_null(strchr("89ab", a[19]));
    assert_true(is_hex(a, 8) && is_hex(a + 9, 4) && is_hex(a + 24, 12));
}

static void test_header(void **state)
{
    (void)state;
    kn_wire_buf b = {0};
    kn_kernel_header(&b, "0f5e7c2a-93d1-4c55-8e0b-2d6a1b3c4d5e", "\"kiln user\"", "status");
    json_t *h = json_loads(b.data, 0, NULL);
    assert_non_null(h);
    assert_string_equal(json_string_value(json_object_get(h, "msg_type")), "status");
    assert_string_equal(json_string_value(json_object_get(h, "version")), "5.3");
    assert_string_equal(json_string_value(json_object_get(h, "username")), "kiln user");
    assert_string_equal(json_string_value(json_object_get(h, "session")),
                        "0f5e7c2a-93d1-4c55-8e0b-2d6a1b3c4d5e");
    assert_int_equal(strlen(json_string_value(json_object_get(h, "msg_id"))), 36);
    /* ISO 8601, microseconds, UTC: 2024-05-01T12:34:56.123456Z */
    const char *date = json_string_value(json_object_get(h, "date"));
    assert_int_equal(strlen(date), 27);
    assert_true(date[4] == '-' && date[10] == 'T' && date[19] == '.' && date[26] == 'Z');
    assert_true(strspn(date + 20, "0123456789") == 6);
    json_decref(h);
    kn_wire_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_utf8_kept),
        cmocka_unit_test(test_invalid_utf8_replaced),
        cmocka_unit_test(test_nul_escaped),
        cmocka_unit_test(test_growth_and_printf),
        cmocka_unit_test(test_uuid4),
        cmocka_unit_test(test_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
