"""The Numba-compatible API of kiln.jit: decorator forms, options, dispatchers and their introspection."""
import io
import warnings

import kiln
from kiln import (Dispatcher, KilnWarning, Signature, TypingError, boolean, complex128, float32,
                  float64, int32, int64, jit, njit, typeof, uint64)

from _compare import raises

# -- decorator forms: all compile lazily, one specialization per argument types


def add(a, b):
    """Adds."""
    return a + b


for d in (jit(add), njit(add), jit()(add), jit(nopython=True)(add), njit()(add)):
    assert isinstance(d, Dispatcher) and type(d).__name__ == "CPUDispatcher"
    assert d.signatures == [] and d.py_func is add and d.__wrapped__ is add
    assert d(1, 2) == 3 and d(1.5, 2) == 3.5 and d(True, False) == 1
    assert d.signatures == [(int64, int64), (float64, int64), (boolean, boolean)], d.signatures

assert (add.__name__, add.__doc__) == ("add", "Adds.")
d = jit(add)
assert (d.__name__, d.__qualname__, d.__doc__, d.__module__) == ("add", "add", "Adds.", "__main__")
assert repr(d) == f"CPUDispatcher({add!r})"

# -- explicit signatures: compiled at decoration, and only they are used


@jit("float64(float64, int64)")
def scale(x, n):
    return x * n


assert scale.signatures == [(float64, int64)]
assert scale.nopython_signatures == [float64(float64, int64)]
assert scale(1.5, 2) == 3.0
r = scale(2, 3)  # int converts safely to float64
assert r == 6.0 and type(r) is float
e = raises(TypeError, scale, 1.5, 2.5, match="No matching definition for argument type(s) float64, float64")
assert "(float64, int64) -> float64" in str(e)
raises(RuntimeError, scale.compile, "float64(float64, float64)", match="compilation disabled")


@jit(["int64(int64)", "float64(float64)"])
def twice(x):
    return 2 * x


assert twice.signatures == [(int64,), (float64,)]
assert twice(3) == 6 and type(twice(3)) is int and twice(1.25) == 2.5
assert twice(True) == 2  # bool converts to the first signature that takes it
raises(TypeError, twice, 1j, match="No matching definition for argument type(s) complex128")


@jit(int32(int32, int32))
def mul32(a, b):
    return a * b


assert mul32(6, 7) == 42 and mul32.nopython_signatures == [int32(int32, int32)]
assert mul32.nopython_signatures[0].return_type is int32


def half(x):
    return x / 2


h = jit("float64(int64)", nopython=True)(half)
assert h(3) == 1.5
h = jit("float64(int64,)")(half)  # a trailing comma, as Python writes a one-item tuple
assert h(3) == 1.5 and h.nopython_signatures == [float64(int64)]
h = jit("(int64,)")(half)
assert h(3) == 1.5 and h.signatures == [(int64,)]
h = njit((float32,))(half)  # a tuple of argument types: the return type is inferred
assert h.signatures == [(float32,)] and h.nopython_signatures[0].return_type in (float32, float64)

# -- options: fastmath and boundscheck reach the compiler; the others warn once, never fail

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for _ in range(2):
        f = njit(cache=True, nogil=True, parallel=True, error_model="numpy", inline="always",
                 fastmath=True, boundscheck=False)(add)
        assert f(2, 3) == 5
        g = jit(forceobj=True)(add)
        assert g(2, 3) == 5
kiln_warnings = sorted(str(w.message) for w in caught if w.category is KilnWarning)
assert len(kiln_warnings) == 5, kiln_warnings  # forceobj=True compiles in object mode: no warning
assert any("cache=True" in m for m in kiln_warnings)
assert issubclass(KilnWarning, UserWarning)
raises(TypeError, lambda: jit(bogus=1), match="unexpected keyword argument 'bogus'")
raises(TypeError, jit, 42, match="not a function")

# -- keyword arguments, bound to the parameters by name


@njit
def affine(x, a, b):
    return a * x + b


assert affine(3, 2, 1.0) == 7.0 and affine(3, 2, b=0.5) == 6.5 and affine(b=1, a=3, x=2) == 7
raises(TypeError, lambda: affine(1, 2), match="missing required argument: 'b'")
raises(TypeError, lambda: affine(1, 2, 3, c=2), match="unexpected keyword argument 'c'")
raises(TypeError, lambda: affine(1, 2, 3, x=2), match="multiple values for argument 'x'")

# -- introspection


@njit
def poly(x):
    y = x * x
    return y + 1


poly(2)
poly(2.0)
key = (int64,)
assert list(poly.overloads) == [(int64,), (float64,)]
o = poly.overloads[key]
assert o.signature == int64(int64) and isinstance(o.entry_point, int) and o.entry_point
assert isinstance(o.signature, Signature) and repr(o.signature) == "(int64,) -> int64"
ir = poly.inspect_llvm(key)
assert isinstance(ir, str) and "define" in ir
assert set(poly.inspect_llvm()) == {(int64,), (float64,)}
asm = poly.inspect_asm(key)
assert isinstance(asm, str) and asm.strip()
assert set(poly.inspect_asm()) == {(int64,), (float64,)}
raises(KeyError, poly.inspect_llvm, (complex128,))
out = io.StringIO()
poly.inspect_types(file=out)
text = out.getvalue()
assert text.startswith("poly (int64,)\n" + "-" * 80 + "\n"), text[:200]
assert "poly (float64,)" in text and "=" * 80 in text and "y = x * x" in text
stats = poly.stats[key]
assert set(stats) == {"parse", "infer", "lower", "optimize", "machine_code", "total"}
assert all(v >= 0 for v in stats.values()) and stats["total"] > 0
poly.compile("float32(float32)")
assert poly.signatures[-1] == (float32,)

# -- compile errors surface at the call; the dispatcher stays usable


@njit
def picky(x):
    if x > 0:
        return x
    return x + "a"


for _ in range(2):  # the failure is not remembered as a success
    raises(TypingError, picky, 1, match="cannot add int64 and str")
assert picky.signatures == []

# -- types and typeof

assert typeof(1) is int64 and typeof(2**63) is uint64 and typeof(1.0) is float64
assert typeof(True) is boolean and typeof(1j) is complex128
assert repr(typeof((1, 2.0))) == "Tuple(int64, float64)" and repr(typeof((1, 2))) == "UniTuple(int64 x 2)"
assert repr(float64[:, ::1]) == "array(float64, 2d, C)" and repr(kiln.int8[::1, :]) == "array(int8, 2d, F)"
assert repr(float64(int64, int64)) == "(int64, int64) -> float64"
raises(ValueError, typeof, "text", match="Cannot determine Kiln type of <class 'str'>")

# -- methods


class Counter:
    step = njit(lambda self, x: x)


assert Counter.step.__name__ == "<lambda>"

print("ok")
