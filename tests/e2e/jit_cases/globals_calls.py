"""Globals frozen at compile time, calls between jitted functions, recursion, and tuples."""
from kiln import TypingError, float64, int32, int64, jit, njit

from _compare import FLOATS, INTS, SMALL_INTS, check, pairs, raises

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


check(fib_statements, [(n,) for n in range(-3, 20)])
check(fib, [(n,) for n in range(-3, 20)])
assert fib.nopython_signatures == [int64(int64)]


@njit
def is_even(n):
    return True if n == 0 else is_odd(n - 1 if n > 0 else n + 1)


@njit
def is_odd(n):
    return False if n == 0 else is_even(n - 1 if n > 0 else n + 1)


check(is_even, [(n,) for n in range(-9, 12)] + [(500,), (-501,)])
check(is_odd, [(n,) for n in range(-9, 12)])
assert is_even.signatures == is_odd.signatures == [(int64,)]


@njit
def ping(n):
    if n <= 0:
        return n
    return pong(n - 1) + 0.5  # the base case's int64 widens to float64 around the cycle


@njit
def pong(n):
    return ping(n - 1) * 2


check(ping, [(n,) for n in range(-3, 12)] + [(0.5,), (2.5,)], check_type=False)
check(pong, [(n,) for n in range(-3, 12)], check_type=False)
assert ping.nopython_signatures[0] == float64(int64)


@njit
def chase(n):
    return flee(n)


@njit
def flee(n):
    return chase(n)


raises(TypingError, chase, 1, match="cannot infer the return type of flee")
assert chase.signatures == flee.signatures == []


@njit
def affine(x, scale=2, shift=0.5):
    return x * scale + shift


@njit
def use_affine(x):
    return affine(x), affine(x, 3), affine(x, shift=-1), affine(shift=x, x=1), affine(x, 1, x)


check(use_affine, [(x,) for x in INTS + FLOATS])
assert affine.signatures[0] == (int64, int64, float64)


@jit(["float64(float64)", "int32(int32)"])
def halve(x):
    return x / 2


@njit
def use_halve(n):
    return halve(n) + halve(True) + halve(n > 0)


check(use_halve, [(x,) for x in INTS + FLOATS])
assert halve.signatures == [(float64,), (int32,)]


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
