"""What the jit_cases scripts share: a compiled function checked against its py_func, and spreads of inputs."""
import itertools
import math

INF, NAN = math.inf, math.nan

# Spreads of inputs: signs, zero, small and large magnitudes. Large enough to
# find sign and rounding mistakes, small enough that int64 arithmetic on them
# does not wrap (where Kiln, as Numba, would differ from Python on purpose).
INTS = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 255, -256, 123456789, -987654321]
SMALL_INTS = [0, 1, -1, 2, -2, 3, -3, 5, -7, 10]
FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.5, -3.75, 1e-300, -1e300, 123456.789, INF, -INF, NAN]
NUMBERS = INTS[:8] + FLOATS


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def div(a, b):
    return a / b


# + - * /, plain: a script compiles them with njit to check them on its own numbers.
OPERATORS = (add, sub, mul, div)


def pairs(xs, ys=None):
    """Every (x, y) with x from xs and y from ys (xs again when ys is None)."""
    return list(itertools.product(xs, xs if ys is None else ys))


def singles(xs):
    return [(x,) for x in xs]


def _close(a, b, rel):
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if a == b:
            return a != 0 or math.copysign(1, a) == math.copysign(1, b)  # -0.0 is not 0.0
        return rel > 0 and math.isclose(a, b, rel_tol=rel)
    if isinstance(a, complex) and isinstance(b, complex):
        return _close(a.real, b.real, rel) and _close(a.imag, b.imag, rel)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_close(x, y, rel) for x, y in zip(a, b))
    return a == b


def _same_arrays(a, b, rel, check_type):
    import numpy as np

    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)) or a.shape != b.shape:
        return False
    if check_type and a.dtype != b.dtype:
        return False
    if rel > 0:
        return bool(np.allclose(a, b, rtol=rel, atol=0, equal_nan=True))
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc" and b.dtype.kind in "fc"))


def _python_scalar(x):
    """A NumPy scalar as the Python number it boxes to, as compiled code returns it (Numba too)."""
    return x.item() if type(x).__module__ == "numpy" and hasattr(x, "item") else x


def same(a, b, rel=0.0, check_type=True):
    """a and b agree: NaN equals NaN, -0.0 differs from 0.0, types match, floats within rel;
    arrays have the same shape, dtype (when check_type) and items."""
    if type(a).__name__ == "ndarray" or type(b).__name__ == "ndarray":
        return _same_arrays(a, b, rel, check_type)
    a, b = _python_scalar(a), _python_scalar(b)
    if check_type and type(a) is not type(b):
        return False
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return all(same(x, y, rel, check_type) for x, y in zip(a, b))
    return _close(a, b, rel)


def outcome(f, args):
    """('value', result) or ('raises', exception type, message)."""
    try:
        return ("value", f(*args))
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return ("raises", type(e), str(e))


def _agree(got, want, rel, check_type):
    if got[0] != want[0]:
        return False
    if got[0] == "raises":
        return got[1:] == want[1:]
    return same(got[1], want[1], rel, check_type)


def check(f, inputs, rel=0.0, check_type=True):
    """f (a kiln dispatcher) gives what f.py_func gives for each tuple of arguments in inputs:
    the same value (NaN-aware, same Python type unless check_type is False, within rel for
    floats when rel > 0), or the same exception type with the same message."""
    bad = []
    for args in inputs:
        got, want = outcome(f, args), outcome(f.py_func, args)
        if not _agree(got, want, rel, check_type):
            bad.append(f"  {f.__name__}{args!r}: kiln {got[1:]!r}, python {want[1:]!r}")
    if bad:
        raise AssertionError(f"{len(bad)} of {len(inputs)} calls differ:\n" + "\n".join(bad[:20]))


def raises(exc, f, *args, match=None):
    """f(*args) raises exc whose message contains match; returns the exception."""
    try:
        f(*args)
    except exc as e:
        assert match is None or match in str(e), f"{match!r} not in {str(e)!r}"
        return e
    raise AssertionError(f"{f.__name__}{args!r} did not raise {exc.__name__}")

