"""Object mode as a mode: nopython=False falls back to it with a warning, njit never does; what it
cannot compile is a clear error; its specializations, IR and interrupts."""
import io
import os
import re
import signal
import subprocess
import time
import warnings

import kiln
from kiln import KilnWarning, TypingError, jit, njit

from _compare import check, raises


def squares(n):
    return [i * i for i in range(n)]


def double(x):
    return x * 2


def caught(f, *args):
    """f(*args) and the KilnWarnings it gave."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        result = f(*args)
    return result, [str(x.message) for x in w if x.category is KilnWarning]


# -- nopython=False: object mode where nopython typing fails, with the reason

f = jit(nopython=False)(squares)
result, said = caught(f, 4)
assert result == [0, 1, 4, 9], result
assert len(said) == 1 and "falls back to object mode" in said[0], said
assert "list comprehension is not supported in nopython mode" in said[0], said
assert caught(f, 3) == ([0, 1, 4], [])  # compiled once: no second warning
check(f, [(0,), (5,)])
assert kiln._specializations(f)[0]["mode"] == "object"

g = jit(nopython=False)(double)
assert caught(g, 3) == (6, [])  # nopython mode types it
result, said = caught(g, [1])
assert result == [1, 1] and "non-precise type pyobject" in said[0], said
assert caught(g, 4) == (8, []) and caught(g, "ab") == ("abab", [])
assert [e["mode"] for e in kiln._specializations(g)] == ["nopython", "object"]
assert [str(s) for s in g.signatures] == ["(int64,)", "(pyobject,)"], g.signatures

with warnings.catch_warnings():
    warnings.simplefilter("error", KilnWarning)  # a warning turned error stops the fallback
    raises(KilnWarning, jit(nopython=False)(squares), 2)

# -- njit, and jit without options, never fall back

for decorate in (njit, jit, jit(nopython=True)):
    e = raises(TypingError, decorate(squares), 3, match="list comprehension is not supported")
    assert f":{squares.__code__.co_firstlineno + 1}:12:" in str(e) and "^~~~" in str(e), str(e)
raises(TypingError, njit(double), [1], match="non-precise type pyobject")

# -- forceobj=True: object mode even for what nopython mode compiles; any argument types

h = jit(forceobj=True)(double)
check(h, [(1,), (2.5,), ("s",), ([None],)])
assert [e["mode"] for e in kiln._specializations(h)] == ["object"]
signed = jit("int64(int64)", forceobj=True)(double)  # compiled now, and takes any type after
assert len(kiln._specializations(signed)) == 1 and signed("x") == "xx"


@njit
def calls_object_mode(x):
    return h(x)


raises(TypingError, calls_object_mode, 1, match="compiled in object mode")

# -- what object mode cannot compile: an error at the construct, with its location


def generator(n):
    yield n


def closure(n):
    return lambda: n


def nested(n):
    def inner():
        return n
    return inner


def generator_expression(xs):
    return sum(x for x in xs)


def classy(n):
    class C:
        pass
    return C


for fn, what in ((generator, "yield"), (closure, "lambda"), (nested, "nested function definition"),
                 (generator_expression, "generator expression"), (classy, "class definition")):
    e = raises(TypingError, jit(forceobj=True)(fn), 1, match=f"unsupported construct: {what}")
    where = f"{os.path.basename(fn.__code__.co_filename)}:{fn.__code__.co_firstlineno + 1}:"
    assert where in str(e) and "^" in str(e), str(e)

# -- what a specialization tells: pyobject types, stages, IR with source lines and C API calls


@jit(forceobj=True)
def summed(xs):
    total = 0
    for x in xs:
        total += x
    return total


assert summed([1, 2, 3]) == 6
entry = kiln._specializations(summed)[0]
assert entry["mode"] == "object" and entry["args"] == "pyobject", entry["args"]
assert all(t >= 0 for t in entry["stages"].values())
lines_of = {int(m[1]): int(m[2]) for m in re.finditer(r"^!(\d+) = !DILocation\(line: (\d+)",
                                                      entry["ir_raw"], re.M)}
api_lines = {lines_of[int(m[1])] for m in re.finditer(r"call .*@_?Py\w+\(.*!dbg !(\d+)",
                                                     entry["ir_raw"])}
first = summed.py_func.__code__.co_firstlineno
assert {first + 3, first + 4} <= api_lines, (first, sorted(api_lines))
assert "PyIter_Next" in entry["ir_raw"] and "PyNumber_InPlaceAdd" in entry["ir_raw"]
text = io.StringIO()
summed.inspect_types(file=text)
assert "total  :: pyobject" in text.getvalue() or "total = 0  :: pyobject" in text.getvalue(), text.getvalue()

# -- interrupts: object-mode loops stop at a SIGINT


@jit(forceobj=True)
def spin(n):
    i = n
    while i >= 0:
        i += 1
    return i


@jit(forceobj=True)
def count(n):
    s = 0
    for i in range(n):
        s += i
    return s


for fn, arg in ((spin, 0), (count, 10**15)):
    fn(-1) if fn is spin else fn(10)  # compiled before the clock starts
    subprocess.Popen(["sh", "-c", f"sleep 0.5; kill -INT {os.getpid()}"])
    start = time.time()
    raises(KeyboardInterrupt, fn, arg)
    assert time.time() - start < 30

print("ok")
