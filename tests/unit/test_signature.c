/* Unit tests: Numba's signature syntax, parsed and printed, and its malformed inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/types.h"

/* Parses text and prints it back: the round trip shows every type at once. */
static void assert_parses_to(const char *text, const char *want)
{
    kn_signature sig;
    char err[128] = "", buf[256];
    if (kn_signature_parse(text, &sig, err, sizeof err) != 0)
        fail_msg("'%s' did not parse: %s", text, err);
    kn_signature_format(&sig, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void assert_rejects(const char *text, const char *want)
{
    kn_signature sig;
    char err[128] = "";
    assert_int_equal(kn_signature_parse(text, &sig, err, sizeof err), -1);
    assert_string_equal(err, want);
    assert_int_equal(sig.nargs, 0);
}

static void test_scalar_signatures(void **state)
{
    (void)state;
    assert_parses_to("float64(float64, int64)", "float64(float64, int64)");
    assert_parses_to("int64(int64)", "int64(int64)");
    assert_parses_to("void()", "none()");
    assert_parses_to("none(int32)", "none(int32)");
    assert_parses_to("  float32 ( int8 ,uint16,  bool )  ", "float32(int8, uint16, bool)");
    assert_parses_to("complex128(complex128)", "complex128(complex128)");
}

static void test_aliases(void **state)
{
    (void)state;
    assert_parses_to("f8(i1, i2, i4, i8)", "float64(int8, int16, int32, int64)");
    assert_parses_to("f4(u1, u2, u4, u8)", "float32(uint8, uint16, uint32, uint64)");
    assert_parses_to("c16(b1, boolean, bool_)", "complex128(bool, bool, bool)");
    assert_parses_to("double(intp, uintp, int_, float_)", "float64(int64, uint64, int64, float32)");
    assert_parses_to("single(byte, char, intc, uintc)", "float32(uint8, int8, int32, uint32)");
}

static void test_bare_argument_list(void **state)
{
    (void)state;
    kn_signature sig;
    char err[64];
    assert_int_equal(kn_signature_parse("(int64, float64)", &sig, err, sizeof err), 0);
    assert_null(sig.ret);
    assert_int_equal(sig.nargs, 2);
    assert_ptr_equal(sig.args[1], kn_type_float(64));
    assert_parses_to("(int64, float64)", "(int64, float64)");
    assert_parses_to("()", "()");
}

/* A one-argument tuple written as Python writes it, as Numba's signature strings allow. */
static void test_trailing_comma(void **state)
{
    (void)state;
    assert_parses_to("(int64,)", "(int64)");
    assert_parses_to("float64(int64,)", "float64(int64)");
    assert_parses_to("float64(int64, float32 , )", "float64(int64, float32)");
}

static void test_arrays(void **state)
{
    (void)state;
    assert_parses_to("void(float32[:], float32[:])",
                     "none(array(float32, 1d, A), array(float32, 1d, A))");
    assert_parses_to("int64[::1](int64[::1])", "array(int64, 1d, C)(array(int64, 1d, C))");
    assert_parses_to("void(float64[:, ::1])", "none(array(float64, 2d, C))");
    assert_parses_to("void(float64[::1, :])", "none(array(float64, 2d, F))");
    assert_parses_to("void(float64[:, :])", "none(array(float64, 2d, A))");
    assert_parses_to("void(f8[ : , : , :: 1 ])", "none(array(float64, 3d, C))");
    assert_parses_to("void(array(int64, 2d, F))", "none(array(int64, 2d, F))");
}

static void test_tuples(void **state)
{
    (void)state;
    assert_parses_to("int64(UniTuple(int64, 2))", "int64(UniTuple(int64 x 2))");
    assert_parses_to("int64(UniTuple(int64 x 3))", "int64(UniTuple(int64 x 3))");
    assert_parses_to("Tuple(int64, float64)()", "Tuple(int64, float64)()");
    assert_parses_to("void(Tuple(int64, int64))", "none(UniTuple(int64 x 2))");
    assert_parses_to("void(Tuple())", "none(Tuple())");
    assert_parses_to("void(Tuple(UniTuple(f8, 2), i8))",
                     "none(Tuple(UniTuple(float64 x 2), int64))");
}

static void test_type_parse(void **state)
{
    (void)state;
    char err[128];
    assert_ptr_equal(kn_type_parse("f8", err, sizeof err), kn_type_float(64));
    assert_ptr_equal(kn_type_parse(" intp ", err, sizeof err), kn_type_int(64));
    assert_ptr_equal(kn_type_parse("float32[:, ::1]", err, sizeof err),
                     kn_type_array(kn_type_float(32), 2, 'C'));
    /* every name the types print parses back to the same type */
    const char *names[] = {"UniTuple(int64 x 2)", "Tuple(int64, float64)", "array(uint8, 3d, A)",
                           "none", "complex128"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_string_equal(kn_type_parse(names[i], err, sizeof err)->name, names[i]);
    assert_null(kn_type_parse("int64 int64", err, sizeof err));
    assert_string_equal(err, "unexpected 'i' after the type at column 6");
    assert_null(kn_type_parse("", NULL, 0));
}

static void test_errors_have_positions(void **state)
{
    (void)state;
    assert_rejects("int65(int64)", "unknown type 'int65' at column 0");
    assert_rejects("int64(int64, flaot64)", "unknown type 'flaot64' at column 13");
    assert_rejects("float(int)", "unknown type 'float' (did you mean float64?) at column 0");
    assert_rejects("int64(int64", "expected ')', found the end at column 11");
    assert_rejects("int64(,)", "expected a type, found ',' at column 6");
    assert_rejects("int64(int64,,)", "expected a type, found ',' at column 12");
    assert_rejects("int64 int64", "expected '(', found 'i' at column 6");
    assert_rejects("int64(int64) x", "unexpected 'x' after the type at column 13");
    assert_rejects("", "expected a type, found the end at column 0");
    assert_rejects("void(void)", "an argument cannot be none at column 5");
    assert_rejects("void(int64[:, :, ])", "expected ':', found ']' at column 17");
    assert_rejects("void(int64[::2])", "expected '1', found '2' at column 13");
    assert_rejects("void(int64[:, ::1, :])",
                   "'::1' must mark the first (F) or the last (C) dimension at column 14");
    assert_rejects("void(int64[::1, ::1])", "only one dimension can be '::1' at column 16");
    assert_rejects("void(UniTuple(int64))",
                   "expected ',' or 'x' in UniTuple, found ')' at column 19");
    assert_rejects("void(UniTuple(int64, n))", "expected a number at column 21");
    assert_rejects("void(Tuple(void))", "none cannot be an element type at column 11");
    assert_rejects("void(complex64)",
                   "unknown type 'complex64' (did you mean complex128 (Kiln has no complex64)?) "
                   "at column 5");
}

static void test_too_many_arguments(void **state)
{
    (void)state;
    char text[512] = "void(";
    for (int i = 0; i < 33; i++)
        strcat(text, i ? ", i8" : "i8");
    strcat(text, ")");
    assert_rejects(text, "too many arguments (at most 32) at column 133");
}

static void test_format_truncates(void **state)
{
    (void)state;
    kn_signature sig;
    char err[64], buf[12];
    assert_int_equal(kn_signature_parse("float64(int64, int64)", &sig, err, sizeof err), 0);
    kn_signature_format(&sig, buf, sizeof buf);
    assert_string_equal(buf, "float64(int");
}

/* Random pieces of signatures: every one parses or fails with a message, never crashes. */
static void test_malformed_inputs(void **state)
{
    (void)state;
    static const char *const pieces[] = {"int64", "f8", "void", "UniTuple", "Tuple", "array",
                                         "(",     ")",  "[",    "]",        ":",     "::1",
                                         ",",     " ",  "x",    "2",        "d",     "C"};
    unsigned seed = 12345;
    for (int round = 0; round < 20000; round++) {
        char text[256] = "";
        int n = round % 12;
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245 + 12345;
            strcat(text, pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])]);
        }
        kn_signature sig;
        char err[128] = "";
        if (kn_signature_parse(text, &sig, err, sizeof err) < 0)
            assert_true(strstr(err, " at column ") != NULL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar_signatures),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_bare_argument_list),
        cmocka_unit_test(test_trailing_comma),
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_tuples),
        cmocka_unit_test(test_type_parse),
        cmocka_unit_test(test_errors_have_positions),
        cmocka_unit_test(test_too_many_arguments),
        cmocka_unit_test(test_format_truncates),
        cmocka_unit_test(test_malformed_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
