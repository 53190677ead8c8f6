"""Arrays as arguments: items, stores, attributes, iteration, views and bounds checks, every dtype and layout."""
import os

import numpy as np

from kiln import njit

from _arrays import DTYPES, NUMERIC, check_inplace, layouts, values
from _compare import check, raises, same


@njit
def item(a, i):
    return a[i]


@njit
def item2(a, i, j):
    return a[i, j]


@njit
def chained(a, i, j):
    return a[i][j]


@njit
def item3(a, i, j, k):
    return a[i, j, k]


for dtype in DTYPES:
    a = values(7, dtype)
    check(item, [(a, i) for i in range(-7, 9)])  # out of range on both sides: IndexError
    for name, m in layouts(dtype):
        idx = [(i, j) for i in range(-m.shape[0] - 1, m.shape[0] + 1) for j in (-6, -1, 0, 2, 4, 5)]
        check(item2, [(m, i, j) for i, j in idx])
        check(chained, [(m, i, j) for i, j in idx[:8]])
    cube = values(24, dtype).reshape(2, 3, 4)
    check(item3, [(cube, i, j, k) for i in (0, 1, -1) for j in (0, 2, -3) for k in (0, 3, -4, 4)])
    check(item3, [(np.asfortranarray(cube), 1, 2, 3), (cube[:, ::-1, 1:], 1, 0, 2)])

# The error names the axis and its size, as NumPy's
raises(IndexError, item2, np.zeros((3, 4)), 1, 4, match="index 4 is out of bounds for axis 1 with size 4")


@njit
def total(m):
    s = 0
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            s += m[i, j]
    return s


@njit
def attributes(m):
    return m.shape, m.size, m.ndim, len(m), m.T.shape


# int64 + uint64 is int64 in compiled code, as in Numba, and a float in NumPy: uint64 left out
for dtype in [d for d in NUMERIC if d is not np.uint64]:
    for name, m in layouts(dtype):
        # s = 0 stays an int in Python when nothing is added; compiled, s has one type
        assert same(total(m), total.py_func(m), rel=1e-5, check_type=m.size > 0), (dtype, name)
        assert attributes(m) == attributes.py_func(m), (dtype, name)


@njit
def store(a, i, v):
    a[i] = v


@njit
def store2(a, i, j, v):
    a[i, j] = v


@njit
def add_into(a, i, j, v):
    a[i, j] += v
    a[i][j] *= 2


@njit
def fill_rows(m):
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            m[i, j] = i * 10 + j


for dtype in NUMERIC:
    for i in (0, 3, -1, -7, 7):
        check_inplace(store, values(7, dtype), i, 5)
    for name, m in layouts(dtype):
        check_inplace(fill_rows, m)
        if m.size:
            check_inplace(store2, m, 1, -2, 3)
            check_inplace(add_into, m, -1, 0, 3)
check_inplace(store, values(5, np.bool_), 2, True)
check_inplace(store, values(5, np.float64), 2, 7)  # an int into floats converts
check_inplace(store2, np.zeros((2, 3)), 2, 0, 1.0)  # IndexError, nothing written


@njit
def iterate(a):
    s = 0.0
    for x in a:
        s += x
    return s


@njit
def rows(m):
    s = 0.0
    for row in m:
        s += row[0] - row[-1]
    return s


@njit
def pairs(a, b):
    s = 0.0
    for i, x in enumerate(a):
        s += i * x
    for x, y in zip(a, b):
        s -= x * y
    return s


for dtype in (np.int8, np.int64, np.uint32, np.float32, np.float64):
    a, b = values(9, dtype), values(6, dtype, 3)
    check(iterate, [(a,), (a[::-2],), (a[:0],)], rel=1e-6)
    if dtype in (np.int8, np.uint32):  # their products wrap in NumPy's scalars, not compiled
        continue
    check(pairs, [(a, b), (b, a), (a[:0], b)], rel=1e-6)
    for name, m in layouts(dtype):
        check(rows, [(m,)], rel=1e-6)


# Views: slices and partial indexing share the array's memory
@njit
def middle(a):
    return a[1:-1]


@njit
def every_other(a):
    return a[::2]


@njit
def row(m, i):
    return m[i, :]


@njit
def column(m, j):
    return m[:, j]


@njit
def corner(m):
    return m[-2:, :2]


for dtype in DTYPES:
    a = values(9, dtype)
    for f in (middle, every_other):
        for v in (a, a[::-1], a[:1], a[:0]):
            got = f(v)
            assert same(got, f.py_func(v)) and (got.size == 0 or np.shares_memory(got, v)), (f, dtype)
    for name, m in layouts(dtype):
        for f, args in ((row, (m, -1)), (row, (m, 0)), (column, (m, 2)), (corner, (m,))):
            if name == "empty" and f is not corner:
                continue
            got = f(*args)
            assert same(got, f.py_func(*args)), (f.__name__, dtype, name)
            assert got.size == 0 or np.shares_memory(got, m), (f.__name__, dtype, name)
raises(IndexError, row, np.zeros((2, 3)), 2)


@njit
def assign_slices(a, b):
    a[1:3] = 0
    a[::3] = b[: len(a[::3])]
    a[-2:] += 1


@njit
def assign_columns(m, c):
    m[:, 0] = c
    m[1, :] = 7
    m[:, -1] = m[:, 1]


for dtype in NUMERIC:
    check_inplace(assign_slices, values(10, dtype), values(10, dtype, 5))
    for name, m in layouts(dtype):
        if m.size:
            check_inplace(assign_columns, m, values(m.shape[0], dtype, 2))
# A source of another length cannot be broadcast: an error, not a partial copy
check_inplace(assign_columns, np.zeros((3, 4)), np.ones(2))


# a op= v on a whole array writes into it, as NumPy does: the caller's array and its views see it
@njit
def update(a, b, x):
    a += b
    a -= x
    a *= 2
    a += a[::-1]  # overlapping source: read whole before the write
    return a


@njit
def halve_seen_through_view(a):
    v = a[1:]
    a /= 2
    return v


@njit
def bump_in_loop(a, n):
    for i in range(n):
        a += i
    return a


for dtype in NUMERIC:
    for name, m in layouts(dtype):
        check_inplace(update, m, values(m.size, dtype, 3).reshape(m.shape), 3)
        mine = m.copy()
        assert update(mine, mine.copy(), 3) is mine, (dtype, name)  # the same object, not a copy
    check_inplace(bump_in_loop, values(6, dtype), 4)
for dtype in (np.float32, np.float64, np.complex128):
    a = values(5, dtype)
    check_inplace(halve_seen_through_view, a)
    assert np.shares_memory(halve_seen_through_view(a), a)
check_inplace(update, np.zeros((2, 3)), np.arange(3.0), -1)  # b broadcast along the rows
raises(ValueError, update, np.zeros((1, 3)), np.ones((2, 3)), 0, match="broadcast")

# In place, a result of a wider kind is refused at compile time, as NumPy's same-kind rule and Numba
raises(Exception, halve_seen_through_view, np.arange(4), match="'/=' gives float64 items")
raises(Exception, update, np.arange(4), np.ones(4), 1, match="cannot be written in place")
# Signed items into unsigned ones are refused too, as NumPy's same-kind rule does; numbers are fine
raises(Exception, update, np.ones(4, np.uint8), np.ones(4, np.int8), 1, match="gives int16 items")
check_inplace(update, np.ones(4, np.uint16) * 5, np.ones(4, np.uint8), 1)


@njit
def down_one(a):
    a += -1
    return a


raises(Exception, down_one, np.ones(4, np.uint8), match="'+=' gives int64 items")
check_inplace(down_one, np.ones(4, np.int8))
check_inplace(update, np.ones(4, np.int16) * 5, np.ones(4, np.uint8), 1)
raises(Exception, update, np.zeros(3), np.ones((2, 3)), 1, match="cannot store")


# Read-only arrays are read; a write raises
@njit
def first(a):
    return a[0] + a[-1]


frozen = np.arange(5.0)
frozen.flags.writeable = False
assert first(frozen) == 4.0
raises(Exception, store, frozen, 0, 1.0, match="read-only")
raises(Exception, bump_in_loop, frozen, 2, match="read-only")
assert frozen[0] == 0.0


# Bounds checks off: boundscheck=False, or KILN_BOUNDSCHECK=0 when the function is made
def peek(a, i):
    return a[i]


whole = np.arange(10)
view = whole[:5]
raises(IndexError, njit(peek), view, 5)
assert njit(boundscheck=False)(peek)(view, 5) == 5  # reads past the view, as Numba does
assert njit(boundscheck=False)(peek)(view, -1) == 4  # negative indices still wrap
os.environ["KILN_BOUNDSCHECK"] = "0"
unchecked = njit(peek)
checked_anyway = njit(boundscheck=True)(peek)  # the environment wins, as NUMBA_BOUNDSCHECK does
del os.environ["KILN_BOUNDSCHECK"]
assert unchecked(view, 5) == 5 and checked_anyway(view, 6) == 6
os.environ["KILN_BOUNDSCHECK"] = "1"
forced = njit(boundscheck=False)(peek)
del os.environ["KILN_BOUNDSCHECK"]
raises(IndexError, forced, view, 5)


# The index is built left to right, whole, before any axis is checked; and an
# augmented store evaluates it once. log[0] counts calls; log[1:] says in what order.
@njit
def note(log, v):
    log[log[0] + 1] = v
    log[0] += 1
    return v


def slice_then_int(m, log):
    return m[note(log, 1) - 1:, note(log, 2)]


def int_then_slice(m, log):
    return m[note(log, 1), note(log, 0):note(log, 3)]


def bump_row(m, log):
    m[note(log, 1)] += 1.0
    return m


def bump_item(m, log):
    m[note(log, 1), note(log, 2)] += 1.0
    return m


for f in (slice_then_int, int_then_slice, bump_row, bump_item):
    logs = [np.zeros(5, np.int64), np.zeros(5, np.int64)]
    got, want = njit(f)(np.zeros((3, 4)), logs[0]), f(np.zeros((3, 4)), logs[1])
    assert same(got, want) and same(logs[0], logs[1]), (f.__name__, got, logs)


def errors_in_order(m, x, y):
    return m[int(x):, int(y)]


check(njit(errors_in_order), [(np.zeros((3, 4)), x, y) for x in (0.0, 5.0, float("nan"))
                              for y in (1.0, 9.0, float("inf"))])

print("ok")
