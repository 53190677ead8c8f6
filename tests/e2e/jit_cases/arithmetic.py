"""Arithmetic as Python computes it: + - * / // % ** with Python's sign rules, int and float mixed."""
import math

from kiln import njit

from _compare import FLOATS, INF, INTS, NAN, NUMBERS, OPERATORS, SMALL_INTS, check, pairs, raises

add, sub, mul, div = map(njit, OPERATORS)


@njit
def floordiv(a, b):
    return a // b


@njit
def mod(a, b):
    return a % b


for f in (add, sub, mul, div, floordiv, mod):
    check(f, pairs(INTS))
    check(f, pairs(FLOATS))
    check(f, pairs(NUMBERS))

# int / int is a float, and exact where Python's is
check(div, [(1, 3), (-7, 2), (2**53, 3), (10, 5), (0, -3)])


@njit
def power(a, b):
    return a ** b


check(power, pairs(SMALL_INTS, [0, 1, 2, 3, 5, 10]))
check(power, pairs([0.0, -0.0, 1.0, -1.5, 2.0, 0.5, 10.0, INF, -INF, NAN], [0.0, 1.0, -1.0, 2.0, -3.0, INF, NAN]))
check(power, pairs([0.0, 1.0, 2.0, 0.5, 10.0, INF, NAN], [0.5, -2.5]))
# A negative float to a fractional power: Python's result is complex, Kiln's (as Numba's) is NaN
assert math.isnan(power(-1.5, 0.5)) and math.isnan(power(-3, 0.5))
check(power, pairs([2, 0, 7], [0.5, -1.0, 2.0]))
check(power, pairs([-3], [-1.0, 2.0]))
check(power, pairs([2.0, -3.0, 0.0], [0, 1, -1, 3]))
# An integer to a negative power has no integer result: Kiln raises instead of returning a float
raises(ValueError, power, 2, -1, match="negative power")


@njit
def inverse_square(x):
    return x ** -2  # a negative constant exponent gives a float, as Python's


check(inverse_square, [(1,), (2,), (-4,), (0.5,), (3.0,)])
check(inverse_square, [(0.0,)])


@njit
def mixed(a, b, c):
    return (a + b) * c - a / (b + 0.5) + c // 3 - a % 4


@njit
def divides(a, b):
    """a % b compared with zero: tests the C remainder, without Python's sign fix."""
    return a % b == 0, a % b != 0, 0 == a % b, a % b == 0.0


check(divides, pairs(INTS + [-2**63, 2**63 - 1]))
check(divides, pairs(FLOATS))
check(divides, pairs(NUMBERS))


check(mixed, [(a, b, c) for a in (-3, 0, 5) for b in (-2.0, 1.0, 7.5) for c in (-4, 9)])


@njit
def augmented(a, b):
    x = a
    x += b
    x *= 3
    x -= a
    x //= 2
    x %= 17
    return x


check(augmented, pairs(SMALL_INTS))
check(augmented, pairs([0.5, -1.5, 3.0]))

print("ok")
