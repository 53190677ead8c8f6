/* Connection files: a good one, and the ways one can be malformed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connection.h"

static const char good[] =
    "{\"shell_port\": 50001, \"iopub_port\": 50002, \"stdin_port\": 50003,"
    " \"control_port\": 50004, \"hb_port\": 50005, \"ip\": \"127.0.0.1\","
    " \"key\": \"a0436f6c-1916-498b-8eb9-e81ab9368e84\", \"transport\":"
    " \"tcp\", \"signature_scheme\": \"hmac-sha256\", \"kernel_name\": \"kiln\"}";

static int parse(const char *text, kn_connection *c, char *err)
{
    return kn_kernel_connection_parse(text, strlen(text), c, err, 256);
}

static void test_good_file(void **state)
{
    (void)state;
    kn_connection c;
    char err[256], endpoint[128];
    assert_int_equal(parse(good, &c, err), 0);
    assert_string_equal(c.transport, "tcp");
    assert_string_equal(c.ip, "127.0.0.1");
    assert_int_equal(c.shell_port, 50001);
    assert_int_equal(c.iopub_port, 50002);
    assert_int_equal(c.stdin_port, 50003);
    assert_int_equal(c.control_port, 50004);
    assert_int_equal(c.hb_port, 50005);
    assert_string_equal(c.key, "a0436f6c-1916-498b-8eb9-e81ab9368e84");
    assert_int_equal(c.key_len, 36);
    kn_kernel_connection_endpoint(&c, c.shell_port, endpoint, sizeof endpoint);
    assert_string_equal(endpoint, "tcp://127.0.0.1:50001");
    kn_kernel_connection_free(&c);
}

static void test_ipc_and_defaults(void **state)
{
    (void)state;
    kn_connection c;
    char err[256], endpoint[128];
    const char *text = "{\"transport\": \"ipc\", \"ip\": \"/tmp/kernel-7\", \"shell_port\": 1,"
                       " \"iopub_port\": 2, \"stdin_port\": 3, \"control_port\": 4,"
                       " \"hb_port\": 5, \"key\": \"k\"}";
    assert_int_equal(parse(text, &c, err), 0);
    kn_kernel_connection_endpoint(&c, c.iopub_port, endpoint, sizeof endpoint);
    assert_string_equal(endpoint, "ipc:///tmp/kernel-7-2");
    kn_kernel_connection_free(&c);
}

static void test_empty_key(void **state)
{
    (void)state;
    kn_connection c;
    char err[256];
    const char *text = "{\"shell_port\": 1, \"iopub_port\": 2, \"stdin_port\": 3,"
                       " \"control_port\": 4, \"hb_port\": 5, \"key\": \"\"}";
    assert_int_equal(parse(text, &c, err), 0);
    assert_int_equal(c.key_len, 0);
    assert_string_equal(c.key, "");
    assert_string_equal(c.transport, "tcp"); /* absent transport and ip: Jupyter's defaults */
    assert_string_equal(c.ip, "127.0.0.1");
    kn_kernel_connection_free(&c);
}

/* good, with the text from `from` (which must occur in it) replaced by `to`. */
static char *edited(const char *from, const char *to)
{
    const char *at = strstr(good, from);
    assert_non_null(at);
    size_t n = strlen(good) - strlen(from) + strlen(to) + 1;
    char *s = malloc(n);
    snprintf(s, n, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
    return s;
}

static void expect_error(const char *text, const char *mentions)
{
    kn_connection c;
    char err[256] = "";
    assert_int_equal(parse(text, &c, err), -1);
    if (!strstr(err, mentions))
        fail_msg("error \"%s\" does not mention \"%s\"", err, mentions);
    assert_null(c.ip);
    assert_null(c.key);
}

static void expect_edit_error(const char *from, const char *to, const char *mentions)
{
    char *text = edited(from, to);
    expect_error(text, mentions);
    free(text);
}

static void test_missing_fields(void **state)
{
    (void)state;
    expect_edit_error("\"shell_port\": 50001,", "", "shell_port");
    expect_edit_error(" \"hb_port\": 50005,", "", "hb_port");
    expect_edit_error(" \"key\": \"a0436f6c-1916-498b-8eb9-e81ab9368e84\",", "", "key");
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_edit_error("50001", "\"50001\"", "shell_port");
    expect_edit_error("50003", "50003.5", "stdin_port");
    expect_edit_error("\"a0436f6c-1916-498b-8eb9-e81ab9368e84\"", "42", "key");
    expect_edit_error("\"127.0.0.1\"", "[127]", "ip");
    expect_edit_error("\"tcp\"", "true", "transport");
    expect_edit_error("\"hmac-sha256\"", "null", "signature_scheme");
}

static void test_bad_values(void **state)
{
    (void)state;
    expect_edit_error("50002", "0", "iopub_port");
    expect_edit_error("50004", "70000", "control_port");
    expect_edit_error("\"tcp\"", "\"udp\"", "transport");
    expect_edit_error("\"hmac-sha256\"", "\"hmac-md5\"", "signature_scheme");
    expect_edit_error("\"127.0.0.1\"", "\"\"", "ip");
}

static void test_not_json(void **state)
{
    (void)state;
    expect_error("", "JSON");
    expect_error("{\"shell_port\": ", "JSON");
    expect_error("[1, 2, 3]", "object");
}

static void test_load_file(void **state)
{
    (void)state;
    kn_connection c;
    char err[256], path[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/kiln-test-connection-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, good, strlen(good)), (ssize_t)strlen(good));
    close(fd);
    assert_int_equal(kn_kernel_connection_load(path, &c, err, sizeof err), 0);
    assert_int_equal(c.hb_port, 50005);
    kn_kernel_connection_free(&c);
    unlink(path);
    assert_int_equal(kn_kernel_connection_load(path, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file),   cmocka_unit_test(test_ipc_and_defaults),
        cmocka_unit_test(test_empty_key),   cmocka_unit_test(test_missing_fields),
        cmocka_unit_test(test_wrong_types), cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_not_json),    cmocka_unit_test(test_load_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
