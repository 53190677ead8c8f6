"""Builtins in compiled code: abs, min, max, round, int, float, bool, pow, divmod, len of tuples."""
from kiln import njit

from _compare import FLOATS, INTS, SMALL_INTS, check, pairs


@njit
def absolute(x):
    return abs(x)


check(absolute, [(x,) for x in INTS + FLOATS])


@njit
def smallest(a, b):
    return min(a, b)


@njit
def largest(a, b, c):
    return max(a, b, c)


check(smallest, pairs(INTS))
check(smallest, pairs([0.0, -0.5, 2.5, -1e300]))
check(largest, [(a, b, c) for a in (-3, 0, 4) for b in (1, -7) for c in (2, 9, -10)])
check(largest, [(a, b, c) for a in (-3.5, 0.0) for b in (1.0, -7.0) for c in (2.5, 9.0)])


@njit
def rounded(x):
    return round(x)


@njit
def rounded_to(x, n):
    return round(x, n)


check(rounded, [(x,) for x in (0.5, 1.5, 2.5, -0.5, -1.5, 2.675, 1e15 + 0.5, -3.2, 7.0)])
check(rounded, [(x,) for x in SMALL_INTS])
check(rounded_to, pairs([2.675, -1.005, 123.456, 0.5], [0, 1, 2]), rel=1e-15)


@njit
def to_int(x):
    return int(x)


@njit
def to_float(x):
    return float(x)


@njit
def to_bool(x):
    return bool(x)


check(to_int, [(x,) for x in (0.0, -0.0, 2.9, -2.9, 1e15, -123456.5, True, 7)])
check(to_float, [(x,) for x in SMALL_INTS + [True, 2.5]])
check(to_bool, [(x,) for x in SMALL_INTS + [0.0, -0.0, 0.1, float("nan"), True, False]])


@njit
def power(a, b):
    return pow(a, b)


check(power, pairs([2, -3, 5], [0, 1, 3, 7]))
check(power, pairs([2.0, -1.5, 0.5], [0.0, 2.0, -1.0]))
check(power, pairs([2.0, 0.5], [0.5, -2.5]))


@njit
def quotient_remainder(a, b):
    return divmod(a, b)


check(quotient_remainder, pairs([7, -7, 0, 13, -13], [1, 2, -3, 5, 0]))
check(quotient_remainder, pairs([7.5, -7.5, 0.0], [2.0, -3.0, 0.5, 0.0]))


@njit
def sizes(a, b):
    t = (a, b, a + b)
    u = (a,)
    return len(t) + len(u) * 10 + len(()) * 100


check(sizes, [(1, 2), (1.5, 2)])

print("ok")
