"""Globals frozen at compile time, calls between jitted functions, recursion, and tuples."""
from kiln import TypingError, njit

from _compare import SMALL_INTS, check, pairs

SCALE = 3
OFFSET = 0.5
ENABLED = True
PAIR = (2, 3.5)


@njit
def use_globals(x):
    if ENABLED:
        return x * SCALE + OFFSET + PAIR[0] * PAIR[1]
    return 0.0


check(use_globals, [(x,) for x in SMALL_INTS])
SCALE = 100  # the int64 specialization keeps the value it was compiled with, as in Numba
assert use_globals(1) == 1 * 3 + 0.5 + 7.0


@njit
def square(x):
    return x * x


@njit
def sum_squares(a, b):
    return square(a) + square(b)


check(sum_squares, pairs(SMALL_INTS))
check(sum_squares, pairs([0.5, -1.5]))
assert square.signatures[0] == sum_squares.signatures[0][:1]  # compiled through the call


@njit
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@njit
def fib_statements(n):
    if n < 2:
        return n
    return fib_statements(n - 1) + fib_statements(n - 2)


check(fib_statements, [(n,) for n in range(20)])
check(fib, [(n,) for n in range(20)])


@njit
def is_even(n):
    return True if n == 0 else is_odd(n - 1)


@njit
def is_odd(n):
    return False if n == 0 else is_even(n - 1)


try:
    assert is_even(10) is True and is_odd(7) is True and is_even(7) is False
except TypingError as e:  # mutual recursion may be refused, but plainly
    assert "mutual recursion is not supported yet" in str(e), str(e)


@njit
def swap(a, b):
    return b, a


@njit
def tuple_math(t):
    a, b = t
    return (a + b, a * b), t[0], t[-1], len(t)


@njit
def build(n):
    t = (n, n + 1.5, n > 0)
    return t


check(swap, pairs([1, -2]) + pairs([0.5, 3.0]) + [(1, 2.5), (True, 3)])
check(tuple_math, [((1, 2),), ((3.5, -1.0),), ((2, 0.5),)])
check(build, [(x,) for x in SMALL_INTS])

print("ok")
