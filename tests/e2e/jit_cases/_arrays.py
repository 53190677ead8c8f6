"""What the array scripts share: arrays of every dtype and layout, and checks of functions that write into them."""
import numpy as np

from _compare import outcome, same

# Integer products wrap alike in NumPy's scalars and compiled code; NumPy's warning is noise here.
np.seterr(over="ignore")

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
          np.uint64, np.float32, np.float64, np.complex128]
NUMERIC = [d for d in DTYPES if d is not np.bool_]
REAL = [d for d in NUMERIC if d is not np.complex128]


def values(n, dtype, seed=0, extremes=True):
    """n items of dtype: negatives where signed, zero, and (with extremes) half the dtype's range."""
    rng = np.random.default_rng(seed)
    if dtype is np.bool_:
        return rng.integers(0, 2, n).astype(np.bool_)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        lo, hi = max(info.min, -1000), min(info.max, 1000)
        a = rng.integers(lo, hi, n, endpoint=True).astype(dtype)
        if n > 2 and extremes:
            a[0], a[-1] = info.min // 2, info.max // 2
        return a
    a = (rng.standard_normal(n) * 100).astype(dtype)
    if dtype is np.complex128:
        a = a + 1j * (rng.standard_normal(n) * 100)
    if n > 2:
        a[1] = 0
    return a


def layouts(dtype, shape=(4, 5), extremes=True):
    """(name, array) of each layout Kiln specializes: C, Fortran, strided views, negative strides."""
    size = int(np.prod(shape))
    c = values(size, dtype, 0, extremes).reshape(shape)
    yield "C", c
    yield "F", np.asfortranarray(c)
    yield "T", c.T
    yield "step", values(size * 2, dtype, 1, extremes).reshape(shape[0], shape[1] * 2)[:, ::2]
    yield "reversed", c[::-1, ::-1]
    yield "empty", c[:0]


def check_inplace(f, *arrays_and_numbers):
    """f mutates its array arguments: kiln and Python, each on fresh copies, leave the same
    arrays and return the same value (or raise the same exception)."""
    def fresh():
        return [x.copy() if isinstance(x, np.ndarray) else x for x in arrays_and_numbers]

    mine, theirs = fresh(), fresh()
    got, want = outcome(f, mine), outcome(f.py_func, theirs)
    assert got[0] == want[0], f"{f.__name__}: kiln {got[1:]!r}, python {want[1:]!r}"
    if got[0] == "raises":
        assert got[1:] == want[1:], f"{f.__name__}: kiln {got[1:]!r}, python {want[1:]!r}"
    else:
        assert same(got[1], want[1]), f"{f.__name__}: kiln {got[1]!r}, python {want[1]!r}"
    for m, t in zip(mine, theirs):
        assert same(m, t), f"{f.__name__} left {m!r}, python {t!r}"


def _as_dtype_of(got, want):
    if isinstance(got, tuple) and isinstance(want, tuple):
        return tuple(_as_dtype_of(g, w) for g, w in zip(got, want))
    if isinstance(got, np.ndarray) and isinstance(want, np.ndarray):
        return got.astype(want.dtype)
    return got


def check_values(f, inputs, rel=0.0):
    """As check, for array expressions with numbers: NumPy types a Python number weakly
    (int8 array + 1 is int8), Numba and Kiln as int64 or float64 (int64). Kiln's items,
    cast to NumPy's dtype, must equal NumPy's: the same value before any wrap-around."""
    for args in inputs:
        got, want = outcome(f, args), outcome(f.py_func, args)
        assert got[0] == want[0] == "value", f"{f.__name__}{args!r}: kiln {got[1:]!r}, python {want[1:]!r}"
        assert same(_as_dtype_of(got[1], want[1]), want[1], rel), \
            f"{f.__name__}{args!r}: kiln {got[1]!r}, python {want[1]!r}"
