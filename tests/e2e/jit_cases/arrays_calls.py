"""Arrays across calls: the seed's example, explicit signatures, jitted callees, tuples, references and memory."""
import resource
import sys

import numpy as np

import kiln
from kiln import float64, int64, jit, njit

from _arrays import DTYPES, values
from _compare import raises, same

# ---- the seed's example, exactly as written ----
a = np.arange(1, 10 ** 5)
b = np.arange(-10 ** 5, -1)


@jit(nopython=True)
def sum_sequence(a, b):
    result = np.zeros_like(a)
    for i in range(len(a)):
        result[i] = a[i] - b[i]
    return result


assert same(sum_sequence(a, b), sum_sequence.py_func(a, b))
fast = jit(int64[:](int64[:], int64[:]), nopython=True)(sum_sequence)
assert same(fast(a, b), sum_sequence.py_func(a, b))
assert fast.signatures == [(kiln.typeof(a[::2]),) * 2]  # int64[:] is any layout, as Numba's

# ---- explicit signatures: strings and type objects, layouts ----
both = jit(["float64[:](float64[:], float64[:])", float64[:, ::1](float64[:, ::1], float64[:, ::1])])(
    sum_sequence.py_func)
x, y = values(6, np.float64), values(6, np.float64, 1)
assert same(both(x, y), x - y)
assert same(both(x.reshape(2, 3), y.reshape(2, 3)), (x - y).reshape(2, 3))
assert same(both(x[::2], y[::2]), x[::2] - y[::2])  # a strided view converts to the 'A' layout
# other types: a TypeError that lists what was compiled, as Numba's
e = raises(TypeError, fast, x, y, match="No matching definition for argument type(s) array(float64, 1d, C)")
assert "(array(int64, 1d, A), array(int64, 1d, A)) -> array(int64, 1d, A)" in str(e), str(e)
raises(TypeError, both, x.reshape(2, 3).T, y.reshape(2, 3).T, match="No matching definition")
raises(TypeError, fast, a, 3, match="No matching definition")


# ---- arrays to and from other jitted functions, without boxing ----
@njit
def scaled(v, k):
    out = np.empty_like(v)
    for i in range(v.shape[0]):
        out[i] = v[i] * k
    return out


@njit
def norm(v):
    s = 0.0
    for x in v:
        s += x * x
    return np.sqrt(s)


@njit
def normalized(v):
    return scaled(v, 1.0 / norm(v))


@njit
def chain(v):
    w = normalized(v)
    return norm(w), w[::-1], scaled(w[1:], 2.0)


for v in (values(5, np.float64), values(9, np.float64)[::-2], np.ones(3)):
    got, want = chain(v), chain.py_func(v)
    assert same(got, want, rel=1e-12), (got, want)


# ---- tuples of arrays and numbers, in and out ----
@njit
def split(pair, k):
    lo, hi = pair
    return hi[:k], lo * k, (lo.shape[0], hi.sum())


p = (np.arange(4.0), np.arange(10))
assert same(split(p, 3), split.py_func(p, 3))


@njit
def swap(t):
    return t[1], t[0]


assert same(swap(p), (p[1], p[0])) and swap(p)[0] is p[1]  # the very objects, not copies

# ---- every call after the first types its arrays from their struct, as kiln.typeof does ----
@njit
def first(a):
    return a[0]


variants = []
for dtype in DTYPES + [np.longlong, np.intc, np.uintc, np.single, np.double]:
    c = values(6, dtype)
    frozen = c.copy()
    frozen.flags.writeable = False
    variants += [c, c[::2], c[::-1], frozen, np.asfortranarray(c.reshape(2, 3))[0]]
for x in variants:
    for _ in range(2):
        assert same(first(x), first.py_func(x)), (x.dtype, x.flags)
assert sorted(map(repr, first.signatures)) == sorted({repr((kiln.typeof(x),)) for x in variants})
# Items in the other byte order would be read wrongly: refused, though float64 is compiled
swapped = np.arange(3.0).astype(">f8")
raises(Exception, first, swapped, match="byte order")
assert first(swapped.astype(float)) == 0.0
# A masked array's mask would be ignored: refused, as Numba refuses it
raises(Exception, first, np.ma.masked_array([1.0, 2.0], mask=[1, 0]), match="no masked arrays")

# ---- no references lost or kept: arguments, results, views, errors ----
arg = np.arange(10.0)
before = sys.getrefcount(arg)
for _ in range(1000):
    normalized(arg)
    chain(arg)
    swap((arg, arg))
    split((arg, arg), 2)
assert sys.getrefcount(arg) == before, (sys.getrefcount(arg), before)


@njit
def overrun(v, i):
    w = v[1:]
    t = np.zeros(3)
    return w[i] + t[0]


for _ in range(1000):
    try:
        overrun(arg, 100)
    except IndexError:
        pass
assert sys.getrefcount(arg) == before, "a raise must release the views and arrays it made"
view = chain(arg)[1]
assert view.base is not None and sys.getrefcount(arg) == before
del view


# ---- memory stays flat over 10^5 calls that make and drop arrays ----
@njit
def churn(n):
    a = np.ones(n)
    b = a * 2.0 + np.arange(n)
    c = b[::2].copy()
    return c.sum() + np.zeros((n, 2)).sum()


def rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


for _ in range(2000):  # warm up: allocator pools reach their steady size
    churn(100)
start = rss_kb()
for _ in range(100_000):
    churn(100)
grown = rss_kb() - start
assert grown < 2048, f"resident memory grew by {grown} kB over 10^5 calls"


# ---- np.zeros in compiled code is calloc'd, as NumPy's is: pages never written cost no memory ----
@njit
def sparse(n):
    z = np.zeros(n)
    z[n // 2] = 1.0
    return z


start = rss_kb()
z = sparse(50_000_000)  # 400 MB, were every page written
grown = rss_kb() - start
assert grown < 100_000, f"np.zeros(5e7) with one item set took {grown} kB"
assert z[0] == 0.0 and z[-1] == 0.0 and z.sum() == 1.0 and np.count_nonzero(z) == 1
del z

print("ok")
