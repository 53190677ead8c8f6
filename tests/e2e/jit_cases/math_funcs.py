"""Every math function and constant Kiln compiles, against Python's math module on spreads of inputs."""
import math

from kiln import njit

from _compare import FLOATS, INF, NAN, check, pairs

INPUTS = [(x,) for x in FLOATS + [0.25, 0.9, -0.9, 3.0, 10.0, 710.0, -745.0, 1e-10, 4.5, -4.5]]
INT_INPUTS = [(x,) for x in (0, 1, -1, 2, 3, 10, -10, 100)]


@njit
def sqrt(x):
    return math.sqrt(x)


@njit
def exp(x):
    return math.exp(x)


@njit
def log(x):
    return math.log(x)


@njit
def log2(x):
    return math.log2(x)


@njit
def log10(x):
    return math.log10(x)


@njit
def log1p(x):
    return math.log1p(x)


@njit
def expm1(x):
    return math.expm1(x)


@njit
def sin(x):
    return math.sin(x)


@njit
def cos(x):
    return math.cos(x)


@njit
def tan(x):
    return math.tan(x)


@njit
def asin(x):
    return math.asin(x)


@njit
def acos(x):
    return math.acos(x)


@njit
def atan(x):
    return math.atan(x)


@njit
def sinh(x):
    return math.sinh(x)


@njit
def cosh(x):
    return math.cosh(x)


@njit
def tanh(x):
    return math.tanh(x)


@njit
def floor(x):
    return math.floor(x)


@njit
def ceil(x):
    return math.ceil(x)


@njit
def trunc(x):
    return math.trunc(x)


@njit
def fabs(x):
    return math.fabs(x)


@njit
def isnan(x):
    return math.isnan(x)


@njit
def isinf(x):
    return math.isinf(x)


@njit
def isfinite(x):
    return math.isfinite(x)


@njit
def erf(x):
    return math.erf(x)


@njit
def erfc(x):
    return math.erfc(x)


@njit
def gamma(x):
    return math.gamma(x)


@njit
def lgamma(x):
    return math.lgamma(x)


for f in (sqrt, exp, log, log2, log10, log1p, expm1, sin, cos, tan, asin, acos, atan, sinh, cosh,
          tanh, fabs, isnan, isinf, isfinite, erf, erfc, gamma, lgamma):
    check(f, INPUTS, rel=1e-13)
    check(f, INT_INPUTS, rel=1e-13)

# The edges of the domains, which Kiln tests on the argument: just inside and just outside each,
# signed zeros, infinities, and NaN, which goes through without an error as in Python.
UP, DOWN = math.nextafter(1.0, 2.0), math.nextafter(-1.0, 0.0)
EDGES = [(x,) for x in (0.0, -0.0, 5e-324, -5e-324, 1.0, -1.0, UP, -UP, DOWN, -DOWN, INF, -INF, NAN)]
for f in (sqrt, log, log2, log10, log1p, sin, cos, tan, asin, acos):
    check(f, EDGES, rel=1e-13)


@njit
def root_sum(a, b, step):
    s = 0.0
    for i in range(a, b, step):
        s += math.sqrt(i)
    return s


# range(n) is never negative, so the compiled loop has no test left; other ranges keep theirs
check(root_sum, [(0, 1000, 1), (0, 10, 3), (5, -1, -1), (5, -2, -1), (-3, 4, 1), (9, -9, -2)], rel=1e-13)

# floor, ceil and trunc of an infinity or NaN raise as Python's, of the rest give ints (in
# int64's range: beyond it Python's ints grow and Kiln's, as Numba's, cannot)
for f in (floor, ceil, trunc):
    check(f, [x for x in INPUTS if not 1e18 < abs(x[0]) < math.inf])
    check(f, INT_INPUTS)


@njit
def atan2(y, x):
    return math.atan2(y, x)


@njit
def copysign(x, y):
    return math.copysign(x, y)


@njit
def hypot(x, y):
    return math.hypot(x, y)


@njit
def mpow(x, y):
    return math.pow(x, y)


@njit
def log_base(x, base):
    return math.log(x, base)


SOME = [0.0, -0.0, 1.0, -2.5, 0.5, 3.0, math.inf, -math.inf, math.nan]
for f in (atan2, copysign, hypot, mpow):
    check(f, pairs(SOME), rel=1e-13)
    check(f, pairs([0, 2, -3]), rel=1e-13)

# math.log(x, base): log(x) / log(base) as Python divides them: base 1 divides by zero
check(log_base, pairs(SOME + [2.0, 8.0, 10.0, 1e300, 1e-300]))
check(log_base, pairs([0, 1, 2, 8, -3, 10, 1000, 2**60]))
check(log_base, pairs([2, 8.0, -1], [0.5, 1, 1.0, 0.0, -2]))


@njit
def constants():
    return math.pi, math.e, math.inf, -math.inf


@njit
def nan_constant():
    return math.nan


check(constants, [()])
assert math.isnan(nan_constant())

print("ok")
