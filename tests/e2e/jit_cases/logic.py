"""Comparisons (chained too), and / or with Python's value rules, not, and conditional expressions."""
from kiln import njit

from _compare import FLOATS, INTS, NUMBERS, SMALL_INTS, check, pairs


@njit
def lt(a, b):
    return a < b


@njit
def le(a, b):
    return a <= b


@njit
def eq(a, b):
    return a == b


@njit
def ne(a, b):
    return a != b


@njit
def gt(a, b):
    return a > b


@njit
def ge(a, b):
    return a >= b


for f in (lt, le, eq, ne, gt, ge):
    check(f, pairs(INTS))
    check(f, pairs(FLOATS))
    check(f, pairs(NUMBERS))
    check(f, pairs([True, False]))


@njit
def between(a, b, c):
    return a < b <= c


@njit
def chain(a, b, c):
    return a == b != c > 0


triples = [(a, b, c) for a in SMALL_INTS[:6] for b in SMALL_INTS[:6] for c in (-1, 0, 2)]
check(between, triples)
check(chain, triples)
check(between, [(0.0, float("nan"), 1.0), (-1.5, 0, 2.5), (1, 1.0, 1)])


@njit
def either(a, b):
    return a or b


@njit
def both(a, b):
    return a and b


@njit
def mixed(a, b, c):
    return (a and b) or c


check(either, pairs(SMALL_INTS))
check(both, pairs(SMALL_INTS))
check(either, pairs([0.0, -0.0, 1.5, float("nan")]))
check(both, pairs([0.0, 2.5, -1.0]))
check(either, pairs([True, False]))
check(mixed, [(a, b, c) for a in (0, 3) for b in (0, -2) for c in (0, 7)])


@njit
def choose(a, b):
    return a if a > b else b


@njit
def sign(x):
    return 1 if x > 0 else -1 if x < 0 else 0


check(choose, pairs(INTS))
check(choose, pairs(FLOATS))
check(sign, [(x,) for x in INTS])
check(sign, [(x,) for x in FLOATS])

print("ok")
