"""a[int(x)] with a float x: int()'s checks fold into the bounds check, and nothing a user sees changes."""
import numpy as np

from kiln import njit
from _compare import INF, NAN, check, outcome, same


def at(a, x):
    return a[int(x)]


def at_named(a, x):  # int(x) first, then the index: the path without the fold
    i = int(x)
    return a[i]


def at2(m, x, y):
    return m[int(x), int(y)]


def put(a, x, v):
    a[int(x)] = v
    return a


def bump(a, x):
    a[int(x)] += 1
    return a


def bin_counts(values, lo, width, counts):
    for v in values:
        k = (v - lo) / width
        if 0.0 <= k < len(counts) + 1:  # one bin too many: the last is out of bounds
            counts[int(k)] += 1
    return counts


a = np.arange(10.0)
INSIDE = [0.0, -0.0, 0.3, 0.999, 1.0, 4.5, 9.0, 9.999, -0.5, -0.999, -1.0, -1.5, -9.7, -10.0, -10.5]
OUTSIDE = [10.0, 10.5, 11.0, -11.0, 1e6, -1e6, 2.0 ** 62, -(2.0 ** 62), INF, -INF, NAN]
# At and past int64's ends: Kiln's int() keeps the low 64 bits of a large float, as its integers wrap.
EDGES = [1e300, 2.0 ** 63, -(2.0 ** 63), 2.0 ** 64, -(2.0 ** 64), 2.0 ** 64 + 2.0 ** 12]

# In range, beyond it, NaN and infinities: the value or the error (type and message) of plain Python
check(njit(at), [(a, x) for x in INSIDE + OUTSIDE])
check(njit(at), [(a.astype(np.int32), x) for x in INSIDE + OUTSIDE])
check(njit(at), [(a, np.float32(x)) for x in INSIDE + OUTSIDE])
check(njit(bump), [(np.zeros(10), x) for x in INSIDE + OUTSIDE])
check(njit(put), [(np.zeros(10, np.uint64), x, 7) for x in INSIDE + OUTSIDE])
check(njit(at), [(np.arange(20.0)[::-2], x) for x in INSIDE + OUTSIDE])  # a reversed, strided view
check(njit(at), [(np.arange(12.0).reshape(3, 4).T, x) for x in (-4.5, -0.5, 0.0, 3.9, 4.0, INF)])  # F order
check(njit(at2), [(np.arange(12.0).reshape(3, 4), x, y) for x in (-3.5, -0.5, 0.0, 2.9, 3.0, NAN)
                  for y in (-4.0, 1.5, 3.999, 4.0, INF)])
check(njit(at), [(np.zeros(0), x) for x in (0.0, -0.0, 0.5, -1.0, NAN)])
check(njit(at), [(np.arange(12.0).reshape(3, 4), x) for x in (-3.5, -0.5, 0.0, 2.9, 3.0, NAN)])  # rows

# Everywhere, large floats included, a[int(x)] does what int(x) then a[i] does in compiled code
folded, unfolded = njit(at), njit(at_named)
for x in INSIDE + OUTSIDE + EDGES + [-x for x in EDGES]:
    got, want = outcome(folded, (a, x)), outcome(unfolded, (a, x))
    assert got[0] == want[0] and (same(got[1], want[1]) if got[0] == "value" else got[1:] == want[1:]), (
        x, got, want)

# With bounds checks off nothing is folded: int() still raises for NaN and infinity
unchecked = njit(boundscheck=False)(at)
assert unchecked(a, -1.5) == 9.0
for bad, exc in ((NAN, ValueError), (INF, OverflowError)):
    try:
        unchecked(a, bad)
    except exc:
        pass
    else:
        raise AssertionError(f"{bad} did not raise {exc.__name__}")

# A histogram's loop, the kind that wanted the fold, on values at and beyond both edges
rng = np.random.default_rng(7)
samples = np.concatenate([rng.standard_normal(10000) * 2, [-3.0, 3.0, np.nextafter(3.0, 0), -3.0001, NAN, INF]])
check(njit(bin_counts), [(samples[np.abs(samples) < 3], -3.0, 0.06, np.zeros(100, np.int64)),
                         (samples[:0], -1.0, 0.5, np.zeros(4, np.int64)),
                         (samples, -3.0, 0.06, np.zeros(100, np.int64)),  # IndexError from an edge value
                         (samples, 3.0, -0.06, np.zeros(10, np.int64))])
print("ok")
