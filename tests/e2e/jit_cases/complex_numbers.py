"""complex128: arithmetic, abs, .real, .imag, .conjugate(), and mixing with ints and floats."""
from kiln import njit

from _compare import OPERATORS, check, pairs

Z = [0j, 1 + 0j, -1j, 1 + 2j, -3.5 + 0.25j, 1e300 + 1e300j, complex(float("inf"), 1), complex(float("nan"), 0)]

add, sub, mul, div = map(njit, OPERATORS)

for f in (add, sub, mul, div):
    check(f, pairs(Z[:6]), rel=1e-15)
    check(f, pairs(Z[:4], [2, -0.5, 3.0]), rel=1e-15)


@njit
def parts(z):
    return z.real, z.imag, z.conjugate(), abs(z), -z


check(parts, [(z,) for z in Z], rel=1e-15)


@njit
def power(a, b):
    return a ** b


check(power, pairs([1 + 1j, -2 + 0.5j, 3j], [2 + 0j, 0.5 + 0j, -1 + 0j]), rel=1e-12)
check(power, pairs([0j], [1 + 0j, 2 + 0j]))


@njit
def equal(a, b):
    return a == b, a != b


check(equal, pairs(Z[:5]))


@njit
def make(x, y):
    return complex(x, y) * 1j


check(make, pairs([0.0, 1.5, -2.0]))

print("ok")
