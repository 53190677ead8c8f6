/* Unit tests: interned types, their Numba names, unification, and the per-compilation arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/arena.h"
#include "compiler/types.h"

static const kn_type *i8(void)
{
    return kn_type_int(8);
}
static const kn_type *i16(void)
{
    return kn_type_int(16);
}
static const kn_type *i32(void)
{
    return kn_type_int(32);
}
static const kn_type *i64(void)
{
    return kn_type_int(64);
}
static const kn_type *u8(void)
{
    return kn_type_uint(8);
}
static const kn_type *u32(void)
{
    return kn_type_uint(32);
}
static const kn_type *u64(void)
{
    return kn_type_uint(64);
}
static const kn_type *f32(void)
{
    return kn_type_float(32);
}
static const kn_type *f64(void)
{
    return kn_type_float(64);
}

static const kn_type *pair(const kn_type *a, const kn_type *b)
{
    const kn_type *f[] = {a, b};
    return kn_type_tuple(f, 2);
}

static void test_scalars_are_interned(void **state)
{
    (void)state;
    assert_ptr_equal(kn_type_int(64), kn_type_int(64));
    assert_ptr_not_equal(kn_type_int(64), kn_type_uint(64));
    assert_ptr_equal(kn_type_float(32), kn_type_float(32));
    assert_null(kn_type_int(12));
    assert_null(kn_type_float(16));
    assert_int_equal(kn_type_int(16)->bits, 16);
    assert_int_equal(kn_type_complex128()->kind, KN_COMPLEX);
}

static void test_compound_types_are_interned(void **state)
{
    (void)state;
    assert_ptr_equal(pair(i64(), f64()), pair(i64(), f64()));
    assert_ptr_not_equal(pair(i64(), f64()), pair(f64(), i64()));
    const kn_type *a = kn_type_array(f64(), 2, 'C');
    assert_ptr_equal(a, kn_type_array(f64(), 2, 'C'));
    assert_ptr_not_equal(a, kn_type_array(f64(), 2, 'F'));
    assert_ptr_not_equal(a, kn_type_array(f64(), 1, 'C'));
    assert_ptr_equal(a->dtype, f64());
    assert_null(kn_type_array(f64(), 1, 'X'));
    assert_null(kn_type_array(pair(i64(), i64()), 1, 'C'));
    const kn_type *none[] = {kn_type_void()};
    assert_null(kn_type_tuple(none, 1));
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(kn_type_void()->name, "none");
    assert_string_equal(kn_type_bool()->name, "bool");
    assert_string_equal(i8()->name, "int8");
    assert_string_equal(u64()->name, "uint64");
    assert_string_equal(f32()->name, "float32");
    assert_string_equal(kn_type_complex128()->name, "complex128");
    assert_string_equal(pair(i64(), i64())->name, "UniTuple(int64 x 2)");
    assert_string_equal(pair(i64(), f64())->name, "Tuple(int64, float64)");
    assert_string_equal(kn_type_tuple(NULL, 0)->name, "Tuple()");
    assert_string_equal(pair(pair(i64(), i64()), f64())->name,
                        "Tuple(UniTuple(int64 x 2), float64)");
    assert_string_equal(kn_type_array(i64(), 1, 'C')->name, "array(int64, 1d, C)");
    assert_string_equal(kn_type_array(f32(), 3, 'A')->name, "array(float32, 3d, A)");
}

static void test_predicates(void **state)
{
    (void)state;
    assert_true(kn_type_is_number(kn_type_bool()));
    assert_true(kn_type_is_number(kn_type_complex128()));
    assert_false(kn_type_is_number(kn_type_void()));
    assert_false(kn_type_is_number(pair(i64(), i64())));
    assert_true(kn_type_is_integer(u8()));
    assert_false(kn_type_is_integer(kn_type_bool()));
    assert_false(kn_type_is_integer(f64()));
}

/* Numba unifies numbers as NumPy's promote_types does. */
static void test_unify_numbers(void **state)
{
    (void)state;
    const struct {
        const kn_type *a, *b, *want;
    } table[] = {
        {i64(), i64(), i64()},
        {i32(), i64(), i64()},
        {i8(), i16(), i16()},
        {u8(), u32(), u32()},
        {i8(), u8(), i16()},
        {i32(), u32(), i64()},
        {i64(), u32(), i64()},
        {i64(), u64(), f64()},
        {kn_type_bool(), kn_type_bool(), kn_type_bool()},
        {kn_type_bool(), i32(), i32()},
        {kn_type_bool(), f32(), f32()},
        {i64(), f64(), f64()},
        {i16(), f32(), f32()},
        {u8(), f32(), f32()},
        {i32(), f32(), f64()},
        {f32(), f64(), f64()},
        {f32(), kn_type_complex128(), kn_type_complex128()},
        {i64(), kn_type_complex128(), kn_type_complex128()},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        assert_ptr_equal(kn_type_unify(table[i].a, table[i].b), table[i].want);
        assert_ptr_equal(kn_type_unify(table[i].b, table[i].a), table[i].want);
    }
}

static void test_unify_compounds(void **state)
{
    (void)state;
    assert_ptr_equal(kn_type_unify(pair(i64(), i32()), pair(f64(), i64())), pair(f64(), i64()));
    const kn_type *three[] = {i64(), i64(), i64()};
    assert_null(kn_type_unify(pair(i64(), i64()), kn_type_tuple(three, 3)));
    assert_null(kn_type_unify(pair(i64(), i64()), i64()));
    const kn_type *a = kn_type_array(f64(), 1, 'C');
    assert_ptr_equal(kn_type_unify(a, a), a);
    /* one variable holding a contiguous array and a view: any layout */
    const kn_type *any = kn_type_array(f64(), 1, 'A');
    assert_ptr_equal(kn_type_unify(a, kn_type_array(f64(), 1, 'F')), any);
    assert_ptr_equal(kn_type_unify(kn_type_array(f64(), 1, 'A'), a), any);
    assert_null(kn_type_unify(a, kn_type_array(kn_type_float(32), 1, 'C')));
    assert_null(kn_type_unify(a, kn_type_array(f64(), 2, 'C')));
    assert_null(kn_type_unify(kn_type_void(), i64()));
    assert_ptr_equal(kn_type_unify(kn_type_void(), kn_type_void()), kn_type_void());
    assert_null(kn_type_unify(NULL, i64()));
}

static void test_arena(void **state)
{
    (void)state;
    kn_arena *a = kn_arena_new();
    char *first = kn_arena_alloc(a, 3);
    double *d = kn_arena_alloc(a, sizeof *d);
    assert_int_equal((uintptr_t)d % _Alignof(max_align_t), 0);
    unsigned char *big = kn_arena_alloc(a, 1 << 20);
    for (int i = 0; i < 1 << 20; i += 4096)
        assert_int_equal(big[i], 0);
    for (int i = 0; i < 10000; i++) {
        int *p = kn_arena_alloc(a, sizeof *p * 7);
        assert_int_equal(p[6], 0);
        p[6] = i;
    }
    assert_int_equal(first[0], 0);
    assert_string_equal(kn_arena_strdup(a, "kiln"), "kiln");
    kn_arena_free(a);
    kn_arena_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars_are_interned),
        cmocka_unit_test(test_compound_types_are_interned),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_predicates),
        cmocka_unit_test(test_unify_numbers),
        cmocka_unit_test(test_unify_compounds),
        cmocka_unit_test(test_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
