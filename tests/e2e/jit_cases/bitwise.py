"""Unary operators, bitwise operators and shifts on integers and booleans."""
from kiln import njit

from _compare import INTS, SMALL_INTS, check, pairs, raises


@njit
def neg(a):
    return -a


@njit
def pos(a):
    return +a


@njit
def invert(a):
    return ~a


@njit
def logical_not(a):
    return not a


for f in (neg, pos, logical_not):
    check(f, [(x,) for x in INTS + [True, False]])
check(invert, [(x,) for x in INTS])  # ~True is -2 in Python, False in Numba: left out
check(neg, [(0.0,), (-0.0,), (2.5,), (float("inf"),)])
check(logical_not, [(0.0,), (-0.0,), (2.5,), (float("nan"),)])


@njit
def band(a, b):
    return a & b


@njit
def bor(a, b):
    return a | b


@njit
def bxor(a, b):
    return a ^ b


for f in (band, bor, bxor):
    check(f, pairs(INTS))
    check(f, pairs([True, False]))


@njit
def lshift(a, b):
    return a << b


@njit
def rshift(a, b):
    return a >> b


check(lshift, pairs(SMALL_INTS + [12345, -12345], [0, 1, 2, 7, 31, 40]))
check(rshift, pairs(INTS, [0, 1, 2, 7, 31, 63, 64, 100]))
raises(ValueError, lshift, 1, -1, match="negative shift count")
raises(ValueError, rshift, 1, -3, match="negative shift count")

print("ok")
