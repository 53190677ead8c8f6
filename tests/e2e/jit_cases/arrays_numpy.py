"""Arrays made in compiled code, array expressions, ufuncs, reductions and methods, against NumPy."""
import numpy as np

from kiln import TypingError, njit

from _arrays import DTYPES, NUMERIC, REAL, check_inplace, check_values, layouts, values
from _compare import check, raises, same


# ---- allocation: shapes as ints and tuples, dtypes in every spelling ----
@njit
def made(n):
    return (np.empty(n).shape, np.zeros(n), np.ones((n, 2)), np.full(n, 7),
            np.full((2, n), 1.5), np.zeros((n, 3), np.int32), np.ones(n, dtype=np.uint8),
            np.zeros(n, 'float32'), np.ones(n, np.complex128), np.full(n, 3, np.int16))


@njit
def made_like(a):
    return (np.empty_like(a).shape, np.zeros_like(a), np.ones_like(a), np.full_like(a, 2),
            np.zeros(a.shape, a.dtype), np.empty(len(a), a.dtype))


@njit
def ranges(n):
    return (np.arange(n), np.arange(-3, n), np.arange(n, -n, -2), np.arange(0.5, n),
            np.arange(0.0, 1.0, 0.25), np.linspace(0, 1, n), np.linspace(-2.5, 2.5, 11),
            np.arange(n, dtype=np.float32))


check(made, [(0,), (1,), (5,)])
raises(ValueError, made, -1, match="negative dimensions are not allowed")
for dtype in DTYPES:
    for name, m in layouts(dtype):
        got, want = made_like(m), made_like.py_func(m)
        assert same(got[1:5], want[1:5]) and got[0] == want[0] and got[5].dtype == dtype, (dtype, name)
        # *_like keeps a Fortran array's order, as NumPy's
        assert got[1].flags.f_contiguous == want[1].flags.f_contiguous, (dtype, name)
# np.arange(0.5, n) of floats gives floats; np.linspace's end is exact
check(ranges, [(0,), (1,), (4,), (9,)])
assert ranges(4)[5][-1] == 1.0


@njit
def arange3(start, stop, step):
    return np.arange(start, stop, step)


# lengths that cannot be computed or held raise NumPy's errors; a step past the span makes one item
inf, nan = float("inf"), float("nan")
check(arange3, [(0.0, nan, 1.0), (0.0, 1.0, nan), (nan, 1.0, 1.0), (0.0, inf, 1.0), (0.0, -inf, 1.0),
                (0.0, 1e30, 1.0), (0.0, -1e30, 1.0), (0.0, 1.0, inf), (0.0, -1.0, inf), (5.0, 5.0, inf),
                (0.0, 1e-300, 1e300), (0.0, -1e-300, 1e300), (0.0, 1.0, 0.0), (0, 5, 0), (3, -4, -2),
                (1.5, -2.0, -0.5), (0.0, 1.0, -0.1), (-7, 8, 3)])
# Integer spans past int64 are counted exactly, as Python's range counts them (NumPy goes through doubles)
big = 2 ** 63
for args in [(-big, big - 1, 2 ** 62), (big - 1, -big, -(2 ** 62)), (big - 1, -big, -big), (-big, big - 1, big - 1),
             (-big, big - 1, -1), (0, big - 1, big - 1), (-big, 0, -big)]:
    assert arange3(*args).tolist() == list(range(*args)), args
raises(ValueError, arange3, -big, big - 1, 1, match="Maximum allowed size exceeded")


# ---- operators on arrays and numbers, same shapes and broadcasting ----
@njit
def arith(a, b):
    return a + b, a - b, a * b, -a, a * 2, 2 - a, a + 0.5


@njit
def divide(a, b):
    return a / b, a / 2.0


@njit
def compare(a, b):
    return a > b, a == 0, 1 <= a


@njit
def logic(a, b):
    return a & b, a | b, a ^ b, ~a


SHAPES = [((7,), (7,)), ((3, 4), (4,)), ((3, 4), (3, 4)), ((3, 1), (1, 4)), ((0,), (0,)),
          ((2, 0), (0,)), ((5,), (1,))]
for dtype in NUMERIC:
    # every broadcast for some dtypes, the common shapes for all: each is a compilation
    wide = dtype in (np.int8, np.uint16, np.float32, np.complex128)
    for shape_a, shape_b in SHAPES if wide else SHAPES[:2]:
        a = values(int(np.prod(shape_a)), dtype).reshape(shape_a)
        b = values(int(np.prod(shape_b)), dtype, 9).reshape(shape_b)
        # rel: complex products may round in the last place
        check_values(arith, [(a, b), (b, a), (np.asfortranarray(a), b), (a[..., ::-1], b)], rel=1e-14)
        if dtype is not np.complex128:
            check(compare, [(a, b), (b, a)])
        if np.issubdtype(dtype, np.floating):
            check_values(divide, [(a, b), (b, a)], rel=1e-6)
        if np.issubdtype(dtype, np.integer):
            check(logic, [(a, b)])
b8 = values(6, np.bool_)
check(logic, [(b8, b8[::-1])])
# Division by zero in an array gives inf and NaN, as NumPy's
with np.errstate(divide="ignore", invalid="ignore"):
    check(divide, [(np.array([1.0, -1.0, 0.0]), np.zeros(3))])


# // and % by zero raise on numbers but not on array items: NumPy gives 0 for integers,
# inf and NaN for floats
@njit
def floor_divide(a, b):
    return a // b, a % b, a // 0, a % 0


with np.errstate(divide="ignore", invalid="ignore"):
    for dtype in REAL:
        a = np.array([7, -7, 0, 5, -1, 1], dtype) if np.issubdtype(dtype, np.signedinteger) \
            or np.issubdtype(dtype, np.floating) else np.array([7, 0, 5, 1], dtype)
        b = np.zeros(len(a), dtype)
        b[::2] = 3
        check_values(floor_divide, [(a, b), (a[::-1], b), (b, a)])
    big = np.array([np.iinfo(np.int64).min, -1, 5], np.int64)
    check_values(floor_divide, [(big, np.array([-1, 0, -2], np.int64))])
raises(ValueError, arith, np.zeros(3), np.zeros(2), match="could not be broadcast together with shapes (3,) (2,)")


# The item types of array arithmetic, as Numba gives them (NumPy's loops, numbers as int64 or float64)
@njit
def plus_one(a):
    return a + 1


@njit
def times_half(a):
    return a * 0.5


@njit
def halves(a):
    return a / a


@njit
def negate(a):
    return -a


assert plus_one(np.zeros(2, np.float32)).dtype == np.float32
assert times_half(np.zeros(2, np.float32)).dtype == np.float64
assert plus_one(np.zeros(2, np.int8)).dtype == np.int64
assert (plus_one(np.zeros(2, np.int8)) + np.zeros(2, np.int8)).dtype == np.int64
assert halves(np.ones(2, np.int16)).dtype == np.float32 and halves(np.ones(2, np.int32)).dtype == np.float64
assert negate(np.ones(2, np.int8)).dtype == np.int8 and negate(np.ones(2, np.uint16)).dtype == np.uint16


@njit
def int8_sum(a, b):
    return a + b


assert int8_sum(np.ones(2, np.int8), np.ones(2, np.int8)).dtype == np.int8
assert int8_sum(np.ones(2, np.int8), np.ones(2, np.uint8)).dtype == np.int16
assert same(int8_sum(np.array([100], np.int8), np.array([100], np.int8)), np.array([-56], np.int8))


# uint64 items with signed ones meet in float64, as NumPy's loops; with a number n >= 0 they stay
# uint64, as NumPy types n
@njit
def unsigned_mix(u, i, n):
    return (u + i, u // i, u * 2, u - 1, u % 7, 3 + u, u * n, n - u, u ** -1, u // -2, u + -1,
            u + (-2 ** 62))


@njit
def unsigned_minus_one(u):
    u += -1
    return u


big_u = np.array([0, 1, 2 ** 63, 2 ** 64 - 1, 12345], np.uint64)
mix = np.array([1, -1, 3, 7, -20], np.int64)
check_values(unsigned_mix, [(big_u, mix, 3), (big_u[::-1], mix, 0)], rel=1e-15)
assert [r.dtype for r in unsigned_mix(big_u, mix, 1)] == [np.float64] * 2 + [np.uint64] * 6 + [np.float64] * 4
raises(TypingError, unsigned_minus_one, big_u, match="'+=' gives float64 items")
raises(TypingError, logic, big_u, mix, match="cannot bitwise-and array(uint64, 1d, C) and array(int64, 1d, C)")


# bool items: + is or, * is and, // % ** count in int8, / in float32; - is refused, as NumPy does
@njit
def bool_arith(a, b):
    return a + b, a * b, a // b, a % b, a ** b, a / b, a + 1, a * True, +a, np.abs(a), ~a


@njit
def bool_minus(a, b):
    return a - b


t, f = np.array([True, True, False, False]), np.array([True, False, True, False])
with np.errstate(divide="ignore", invalid="ignore"):
    check_values(bool_arith, [(t, f), (f[::-1], t)])
assert [r.dtype for r in bool_arith(t, f)] == \
    [np.bool_, np.bool_, np.int8, np.int8, np.int8, np.float32, np.int64, np.bool_, np.bool_, np.bool_, np.bool_]
raises(TypingError, bool_minus, t, f, match="numpy boolean subtract, the `-` operator, is not supported")
raises(TypingError, bool_minus, t, True, match="use the bitwise_xor")
raises(TypingError, negate, t, match="The numpy boolean negative, the `-` operator, is not supported")
assert same(bool_minus(np.array([3, 1]), t[:2]), np.array([2, 0]))


# Integers to negative powers: a number gives a float as in Python, array items raise as NumPy's
@njit
def inverse(a):
    return a ** -1


@njit
def power(a, b):
    return a ** b


assert inverse(4) == 0.25
check(power, [(0, -1), (2, 3), (-2, 0), (0, 0)])  # 0 ** -1 raises Python's ZeroDivisionError
# Floats and complex numbers: 0 to a negative power is inf or NaN on array items, as NumPy's
with np.errstate(divide="ignore", invalid="ignore"):
    check_values(power, [(np.array([0.0, 1.0, 2.0, -0.0]), -1.0), (np.array([0, 2], np.int32), -0.5),
                         (0.0, np.array([-1.0, 2.0])), (np.array([0j, 1 + 1j, 2j, 0j]), np.array([-1, 2j, 0, 7])),
                         (np.array([0j, 3 + 0j]), -1.5 + 0j), (np.array([1e300 + 0j]), 2)], rel=1e-15)
    check_values(divide, [(np.array([1 + 1j, 0j, -1 + 0j, 1 - 2j]), np.zeros(4, complex))])
for dtype in (np.int8, np.int64):
    ones = np.ones(3, dtype)
    raises(ValueError, inverse, ones, match="Integers to negative integer powers are not allowed.")
    raises(ValueError, power, ones, -ones, match="Integers to negative integer powers are not allowed.")
    check(power, [(ones * 3, ones * 2), (np.arange(4, dtype=dtype), np.arange(4, dtype=dtype))])


# ---- ufuncs ----
@njit
def ufuncs(a):
    return np.sqrt(a), np.exp(a), np.log(a), np.abs(a), np.sin(a), np.cos(a), abs(a)


@njit
def complex_ufuncs(z):
    return np.tan(z), np.sinh(z), np.cosh(z), np.tanh(z), np.sqrt(z), np.log(z)


with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
    for dtype in (np.float32, np.float64, np.int64, np.int32):
        for name, m in layouts(dtype):
            # float32 math may round differently in the last place; NaN where NumPy has NaN
            check(ufuncs, [(m / 37 if dtype in (np.float32, np.float64) else m,)], rel=1e-5)
    # Items that fit a float32 exactly compute in float32, as Numba's (NumPy's float16 for 8 bits)
    for dtype in (np.bool_, np.int8, np.uint8, np.int16, np.uint16):
        m = values(12, dtype).reshape(3, 4)
        check_values(ufuncs, [(m,), (m.T,)], rel=1e-3)
        assert [r.dtype for r in ufuncs(m)[:3]] == [np.float32] * 3
        assert ufuncs(m)[3].dtype == dtype
    check(ufuncs, [(np.array([0.0, -0.0, -1.0, np.inf, -np.inf, np.nan]),)], rel=1e-15)
    # complex items, as NumPy computes them (C99's csqrt, cexp, ...), special values included
    z = np.array([1 + 1j, -1 + 0j, 0j, -2 - 3j, 1e300 + 1e300j, complex("nan+1j"), complex("inf-infj"),
                  3.5 - 0j, -0.0 + 0j, 1e-300 - 1e-300j])
    for name, m in layouts(np.complex128):
        check(ufuncs, [(m / 37,)], rel=1e-15)
    check(ufuncs, [(z,), (z[::-2],)], rel=1e-15)  # |z|: NumPy and hypot may differ in the last place
    check(complex_ufuncs, [(z,), (z.reshape(2, 5).T,), (-1 + 0j,), (2.5,)], rel=1e-15)


# ---- reductions and methods ----
@njit
def reductions(a):
    return a.sum(), np.sum(a), a.min(), np.min(a), a.max(), np.amax(a), a.mean(), np.mean(a)


@njit
def totals(a):
    return a.sum(), np.sum(a), a.mean()


for dtype in REAL:
    for name, m in layouts(dtype, extremes=False):  # sums of extremes cancel: ill-conditioned
        if m.size:
            # float32 sums may be added in another order than NumPy's pairwise sum
            check(reductions, [(m,)], rel=1e-4, check_type=False)
raises(ValueError, reductions, np.zeros(0), match="zero-size array")
# sum and mean of an empty array: 0 and NaN, as NumPy
with np.errstate(invalid="ignore"):
    got = totals(np.zeros(0))
assert got[0] == 0 and got[1] == 0 and np.isnan(got[2])
check(totals, [(values(8, np.complex128),)], rel=1e-12)
check(totals, [(values(8, np.bool_),)])


@njit
def copies(a):
    b = a.copy()
    b[0] = 99
    return b, a


@njit
def filled(a, v):
    a.fill(v)


for dtype in NUMERIC:
    for name, m in layouts(dtype):
        if m.size:
            got = copies(m)
            assert same(got, copies.py_func(m.copy())) and got[0].flags.c_contiguous, (dtype, name)
            check_inplace(filled, m, 3)


# ---- np.dot ----
@njit
def dot(a, b):
    return np.dot(a, b)


@njit
def matmul(a, b):
    return a @ b


for dtype in (np.float64, np.float32, np.int64, np.int32, np.complex128, np.bool_):
    v, w = values(6, dtype), values(6, dtype, 2)
    m, n = values(12, dtype, 3).reshape(2, 6), values(18, dtype, 4).reshape(6, 3)
    rel = 1e-5 if dtype is np.float32 else 1e-12
    for f in (dot, matmul):
        check(f, [(v, w), (m, v), (m, n), (m.T.copy().T, n), (v[:0], w[:0]), (v, n), (m[:, :0], n[:0])],
              rel=rel)
        check(f, [(v[::-1], w), (np.asfortranarray(m), v), (m, np.asfortranarray(n)), (v[::-1], n.T.T)],
              rel=rel)
for f in (dot, matmul):
    # shapes that do not multiply: NumPy's ValueError, word for word
    check(f, [(np.zeros(3), np.zeros(4)), (np.zeros((2, 3)), np.zeros((2, 3))), (np.zeros(2), np.zeros((3, 2))),
              (np.zeros((2, 5)), np.zeros(4))])
    raises(TypingError, f, np.zeros((2, 2, 2)), np.zeros(2), match="of array(float64, 3d, C) and array(float64, "
           "1d, C) is not supported")
    raises(TypingError, f, np.array(2.0), np.zeros(2), match="of array(float64, 0d, C) and array(float64, "
           "1d, C) is not supported")
raises(TypingError, matmul, np.zeros(2), 2.0, match="cannot matrix-multiply array(float64, 1d, C) and float64")


# ---- numpy's keyword arguments ----
@njit
def by_keyword(n, a):
    return (np.empty(shape=n, dtype=np.float64).shape, np.zeros(shape=(n, 2), dtype="float32"),
            np.full(fill_value=2.5, shape=n), np.ones(n, dtype=np.int8), np.empty_like(prototype=a).shape,
            np.full_like(a=a, fill_value=3), np.zeros_like(a, dtype=np.int16), np.arange(stop=n, start=1),
            np.arange(n, step=2), np.arange(1, n, dtype=np.float32), np.linspace(start=0, stop=1, num=n))


@njit
def twice(n):
    return np.empty(n, shape=2)


@njit
def no_shape(n):
    return np.full(fill_value=n)


@njit
def no_value(n):
    return np.full(n, dtype=np.int8)


check(by_keyword, [(0, np.ones(3)), (5, np.ones((2, 2)))])
raises(TypingError, twice, 3, match="np.empty() got 'shape' by name and by position")


@njit
def like_with_shape(a):
    return np.zeros_like(a, shape=(2,))


@njit
def zeros_with_value(n):
    return np.zeros(n, fill_value=2)


@njit
def arange_dtype(n):
    return np.arange(0, n, 1, np.float32)


raises(TypingError, like_with_shape, np.ones(3), match="np.zeros_like() got an unexpected keyword argument 'shape'")
raises(TypingError, zeros_with_value, 3, match="np.zeros() got an unexpected keyword argument 'fill_value'")
check(arange_dtype, [(0,), (4,)])


@njit
def bool_range(start, stop, step):
    return np.arange(start, stop, step, dtype=np.bool_)


check(bool_range, [(0, 2, 1), (1, -1, -1), (0, 3, 1), (0, 0, 1), (0.0, 2.5, 1.0)])


# Complex numbers cannot be written into real items: NumPy drops the imaginary part, Numba refuses
@njit
def full_complex(n):
    return np.full(n, 1j, dtype=np.float64)


@njit
def full_like_complex(a):
    return np.full_like(a, 1j)


@njit
def fill_complex(a):
    a.fill(1j)


@njit
def store_complex(a, c):
    a[1:] = c[1:]


raises(TypingError, full_complex, 3, match="np.full() cannot fill float64 items with complex128")
raises(TypingError, full_like_complex, np.ones(3, np.int32), match="cannot fill int32 items with complex128")
raises(TypingError, fill_complex, np.ones(3), match="array(float64, 1d, C).fill() cannot take complex128")
raises(TypingError, store_complex, np.ones(3), np.ones(3) * 1j,
       match="cannot store array(complex128, 1d, C) into array(float64, 1d, C)")
raises(TypingError, no_shape, 3, match="np.full() takes 2 to 3 arguments (1 given)")
raises(TypingError, no_value, 3, match="np.full() is missing its 'fill_value' argument")

print("ok")
