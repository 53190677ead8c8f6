"""Object mode (forceobj=True) against plain Python: containers, strings, calls, comprehensions, loops."""
import collections
import itertools
import math

from kiln import jit

from _compare import check, raises


def obj(f):
    return jit(forceobj=True)(f)


# -- one specialization takes every argument type, as pyobject


@obj
def add(a, b):
    return a + b


check(add, [(1, 2), (1.5, 2), ("a", "b"), ([1], [2]), ((1,), (2,)), (2**80, 1), (None, 1)])
assert add.signatures == [add.signatures[0]] and str(add.signatures[0]) == "(pyobject, pyobject)"
assert add.nopython_signatures and "pyobject" in str(add.nopython_signatures[0])


# -- arithmetic: the inline paths for small ints and floats agree with the C API's

VALUES = [0, 1, -1, 7, -7, 2**30 - 1, 2**30, -2**30, 2**31 + 5, 2**60 - 1, -(2**60), 2**62, 2**64,
          -2**70, 3.5, -0.0, math.nan, math.inf, True, False, 2.0, 1j]


@obj
def arith(a, b):
    out = []
    for op in range(9):
        try:
            if op == 0:
                out.append(a + b)
            elif op == 1:
                out.append(a - b)
            elif op == 2:
                out.append(a * b)
            elif op == 3:
                out.append(a // b)
            elif op == 4:
                out.append(a % b)
            elif op == 5:
                out.append(a / b)
            elif op == 6:
                out.append(a & b)
            elif op == 7:
                out.append((a | b, a ^ b, a ** 2, -a, +a, ~a if type(a) is int else 0))
            else:
                out.append((a < b, a <= b, a == b, a != b, a > b, a >= b, a is b, not a))
        except (ArithmeticError, TypeError) as e:
            out.append(type(e).__name__)
    try:
        if a < b:
            out.append("lt")
        while a == b:
            out.append("eq")
            break
    except TypeError:
        out.append("unordered")
    return out


def _close(x, y):
    if isinstance(x, float) and isinstance(y, float):
        return (math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x) == math.copysign(1, y))
    if isinstance(x, complex) and isinstance(y, complex):
        return _close(x.real, y.real) and _close(x.imag, y.imag)
    if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
        return type(x) is type(y) and len(x) == len(y) and all(_close(p, q) for p, q in zip(x, y))
    return type(x) is type(y) and x == y


for a, b in itertools.product(VALUES, VALUES):
    got, want = arith(a, b), arith.py_func(a, b)
    assert _close(got, want), (a, b, got, want)


# -- strings and f-strings


@obj
def strings(s, n, width):
    parts = [s] * n
    joined = "-".join(parts)
    return (f"{joined!r}:{n:>{width}}|{s.upper()}|{len(joined)}|{n!s}{n!a}|{3.14159:.2f}|{'é'}",
            f"{s}", f"", joined.split("-"), s[1:], s[::-1], s * 2, "x" in s, b"by" + b"tes")


check(strings, [("ab", 3, 5), ("", 0, 1), ("é", 1, 3)])


# -- lists, tuples, dicts, sets; displays with * and **


@obj
def containers(xs, d):
    a = [1, 2, *xs, 3]
    t = (*xs, 0)
    s = {1, *xs}
    m = {"a": 1, **d, "b": 2}
    a[0] = "first"
    a[-1] += 10
    m["a"] += 1
    del a[1]
    m.update(c=3)
    nested = [[1, 2], [3, 4]]
    nested[1][0] = 9
    return a, t, sorted(s, key=repr), m, nested, a[1:3], t[-1], len(m), ..., None


check(containers, [([],  {}), ([5, 6], {"z": 26}), ((7,), {"a": 0})])


@obj
def counts(words):
    seen = {}
    for w in words:
        seen[w] = seen.get(w, 0) + 1
    order = sorted(seen.items())
    for k, v in seen.items():
        if v > 1:
            order.append((k, "again"))
    return order, set(seen), list(reversed(words)), collections.Counter(words).most_common(1)


check(counts, [(["a", "b", "a"],), ([],), (["x"],)])


# -- comprehensions: own variables, nested loops, conditions


@obj
def comprehensions(n, xs):
    x = "outer"
    sq = [x * x for x in range(n) if x % 2 == 0]
    pairs = [(i, j) for i in range(n) for j in range(i) if i != j]
    nested = [[j for j in range(i)] for i in range(n)]
    d = {k: v for k, v in zip(xs, range(n))}
    s = {c.upper() for c in xs}
    return x, sq, pairs, nested, d, sorted(s)


check(comprehensions, [(0, ""), (4, "abcd"), (6, "ab")])


# -- calls: keywords, defaults, *args, **kwargs, methods, builtins


def callee(a, b=2, *rest, c=3, **more):
    return a, b, rest, c, sorted(more.items())


@obj
def calls(x, extra):
    return (callee(x), callee(x, 5), callee(x, c=7), callee(*extra), callee(x, *extra, z=1),
            callee(x, **{"c": 1, "k": 2}), max(x, 10, key=abs), sorted([3, x, 1], reverse=True),
            "{}-{}".format(x, x), divmod(x, 7), isinstance(x, int), getattr(x, "real"),
            x.__class__.__name__, [].copy(), {"k": x}.get("k"), print is print)


check(calls, [(1, (1, 2, 3)), (-8, ("a",)), (100, ())])
check(calls, [(1, 5), (1, None)])  # f(*5): Python's TypeError, in its words


@obj
def bad_kwargs(m):
    return callee(1, c=2, **m)


check(bad_kwargs, [({"k": 1},), (5,), ({"c": 3},), ({1: 2},)])


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm2(self):
        return self.x * self.x + self.y * self.y


@obj
def attributes(q):
    p = Point(q.x, q.y)
    p.x += 1
    p.z = p.x * 2
    n = p.norm2()
    del p.z
    return n, p.x, hasattr(p, "z")


check(attributes, [(Point(1, 2),), (Point(-3, 0.5),)])
raises(AttributeError, attributes, 5)


# -- loops: range (natively counted), iterables, break/continue/else


@obj
def loops(n, xs):
    out = []
    for i in range(n):
        if i == 5:
            continue
        if i > 8:
            break
        out.append(i)
    else:
        out.append("no break")
    for i in range(n, 0, -3):
        out.append(i)
    for i in range(2 ** 70, 2 ** 70 + 2):
        out.append(i)
    for ch in xs:
        out.append(ch)
    for k, v in enumerate(xs, 1):
        out.append((k, v))
    i = 0
    while i < n:
        i += 2
        if i == 6:
            break
    else:
        out.append("while else")
    return out, i


check(loops, [(0, ""), (3, "ab"), (12, "xyz"), (-4, [1])])
raises(TypeError, loops, 1.5, "", match="'float' object cannot be interpreted as an integer")


class Rebound:
    def __call__(self, n):
        return ["r%d" % i for i in (0, 1)]


@obj
def range_rebound(n):
    return [i for i in range(n)]


range = Rebound()  # noqa: A001 - the global shadows the builtin: object mode must see it
assert range_rebound(3) == ["r0", "r1"]
del range
assert range_rebound(3) == [0, 1, 2]


# -- names: unbound locals, globals read when the code runs, closures, global, del, import

COUNT = 1


@obj
def reads(c):
    if c:
        y = COUNT
    return y


assert reads(True) == 1
COUNT = 2
assert reads(True) == 2
raises(UnboundLocalError, reads, False,
       match="cannot access local variable 'y' where it is not associated with a value")


@obj
def writes(v):
    global COUNT
    COUNT = v
    x = v
    del x
    return COUNT


assert writes(7) == 7 and COUNT == 7


@obj
def deletes(v):
    del v
    return v


raises(UnboundLocalError, deletes, 1, match="local variable 'v'")


def make(k):
    @obj
    def scaled(x):
        return x * k
    return scaled


assert make(3)(4) == 12 and make("a")(2) == "aa"


@obj
def imports(x):
    import math as m
    import os.path
    from collections import OrderedDict as OD
    return m.sqrt(x), os.path.basename("/a/b"), OD(a=1)


check(imports, [(16.0,), (2,)])

@obj
def undefined():
    return undefined_name  # noqa: F821 - the NameError is the point


raises(NameError, undefined, match="name 'undefined_name' is not defined")


# -- recursion through the dispatcher, and the recursion limit


@obj
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


check(fib, [(0,), (1,), (15,)])


@obj
def forever(n):
    return forever(n + 1)


raises(RecursionError, forever, 0)

print("ok")
