"""Object mode's fast paths against plain Python: items of lists, dicts and NumPy arrays, numpy.float64
arithmetic, list iteration, native range indexes, method lookups, globals that are not dicts."""
import copy as copying
import math
import sys
import types
import warnings

import numpy as np

import kiln
from kiln import jit


def obj(f):
    return jit(forceobj=True)(f)


def outcome(f, args):
    """What f(*args) does: its result (with its type and repr), or its exception, and its warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = f(*args)
            got = ("value", type(r), repr(r), r.tobytes() if isinstance(r, np.ndarray) else None)
        except Exception as e:  # noqa: BLE001 - the comparison is the point
            got = ("raised", type(e), str(e))
    return got, [(w.category, str(w.message)) for w in caught]


def clone(a):
    """A copy of a that is as a is: read-only and unaligned arrays stay so."""
    if isinstance(a, np.ndarray) and not a.flags.writeable:
        return a  # writes fail: nothing changes
    if isinstance(a, np.ndarray) and not a.flags.aligned:
        return np.frombuffer(bytearray(b"\0" + a.tobytes()), dtype=a.dtype, offset=1)
    return copying.copy(a)


def same(compiled, cases, copy=()):
    """compiled against its py_func on each tuple of arguments; arrays at the indexes in copy are copied for each."""
    for args in cases:
        mine = tuple(clone(a) if k in copy else a for k, a in enumerate(args))
        theirs = tuple(clone(a) if k in copy else a for k, a in enumerate(args))
        got, want = outcome(compiled, mine), outcome(compiled.py_func, theirs)
        assert got == want, (compiled.py_func.__name__, args, got, want)
        for a, b in zip(mine, theirs):
            if isinstance(a, np.ndarray):
                assert a.tobytes() == b.tobytes() and a.dtype == b.dtype, (args, a, b)
            elif isinstance(a, list):
                assert repr(a) == repr(b), (args, a, b)


class SubList(list):
    def __getitem__(self, i):
        return ("sub", list.__getitem__(self, i))

    def __setitem__(self, i, v):
        list.__setitem__(self, i, ("set", v))


class SubArray(np.ndarray):
    pass


INDEXES = [0, 1, 2, 4, 5, 6, -1, -2, -5, -6, -7, 2**31, -2**31, 2**62, -2**62, 2**64, -2**70,
           True, False, 1.0, None, "1", np.int64(2), slice(1, 3)]


def arrays():
    base = np.arange(5, dtype=np.float64) * 1.5 - 2.0
    out = [base, base.astype(np.int64), base.astype(np.int32), base.astype(np.float32),
           base.astype(">f8"), base.astype(np.complex128), base.astype(np.uint64),
           base.astype("q"), base.astype(object), np.arange(10.0)[::2], np.arange(10.0)[::-2],
           np.arange(10, dtype=np.int64).reshape(2, 5), base.view(SubArray),
           np.array([math.nan, math.inf, -math.inf, -0.0, 5e-324]), np.zeros(0),
           np.broadcast_to(np.float64(3.0), (5,)), np.array(["a", "b", "c", "d", "e"])]
    readonly = base.copy()
    readonly.flags.writeable = False
    unaligned = np.frombuffer(bytearray(b"\0" + base.tobytes()), dtype=np.float64, offset=1)
    return out + [readonly, unaligned]


# -- items read: lists, ndarrays of every sort, and their errors

@obj
def get(c, i):
    return c[i]


@obj
def get_in_loop(c, n):
    out = []
    for i in range(-n, n):
        try:
            out.append(c[i])
        except IndexError as e:
            out.append(str(e))
    return out


lists = [[1, "a", None, 2.5, [3]], [], SubList([7, 8, 9, 10, 11]), (1, 2, 3, 4, 5), "abcde",
         {0: "zero", -1: "minus", 2**64: "big"}, range(5)]
same(get, [(c, i) for c in lists + arrays() for i in INDEXES])
same(get_in_loop, [(c, 7) for c in lists + arrays()])


# -- items written: the values each dtype takes, and what NumPy refuses or converts

@obj
def put(c, i, v):
    c[i] = v
    return c


@obj
def put_in_loop(c, v):
    for i in range(-len(c) - 1, len(c) + 1):
        try:
            c[i] = v
        except (IndexError, ValueError, TypeError, OverflowError) as e:
            return str(e), i
    return None


VALUES = [0, 7, -3, 2**53 + 1, 2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**80, 2.5, -0.0, math.nan,
          math.inf, True, np.float64(1.25), np.int64(-9), np.float32(0.5), np.int32(4), "x", None,
          1j, [1.0]]
same(put, [(c, i, v) for c in arrays() for i in (0, 3, -1, -5, 5, -6, 2**64) for v in VALUES],
     copy=(0,))
same(put, [(list(range(5)), i, v) for i in INDEXES for v in (1, "v")], copy=(0,))
same(put, [(SubList(range(5)), i, "v") for i in (0, -1, 5)], copy=(0,))
same(put_in_loop, [(c, v) for c in arrays() for v in (1, 2.5, 2**70, np.float64(-1.0))], copy=(0,))


# -- numpy.float64 arithmetic: NumPy's results, types and warnings

@obj
def arith(a, b):
    return a + b, a - b, a * b


@obj
def divide(a, b):
    return a / b


@obj
def accumulate(a, b):
    t = 0.0
    for k in range(len(a)):
        t += a[k] * b[k]
        t -= a[k] / 3.0
    return t


F = [0.0, -0.0, 1.0, -2.5, 1e-300, 1e-320, 5e-324, 1e300, 1.7976931348623157e308, math.inf,
     -math.inf, math.nan, 2.2250738585072014e-308]
FLOAT64 = [np.float64(x) for x in F]
OTHERS = [1, 2**70, True, np.float32(1.5), np.int64(3), 1j, "s", [1.0], None]
mixed = [(a, b) for a in FLOAT64 for b in FLOAT64 + F[:6] + OTHERS]
mixed += [(b, a) for a, b in mixed]
same(arith, mixed)
same(divide, mixed)
with np.errstate(all="raise"):
    same(arith, mixed)
    same(divide, mixed)
with np.errstate(all="ignore"):
    same(divide, mixed)
same(accumulate, [(np.linspace(-3, 3, 50), np.linspace(1, 2, 50)),
                  (np.array([1e308, 1e308]), np.array([10.0, 10.0])),
                  (np.array([1.0, 2.0]), [3.0, 4.0])])


# -- the seed's loop, on arrays of other dtypes and shapes too

@obj
def sum_sequence(a, b):
    result = np.zeros_like(a)
    for i in range(len(a)):
        result[i] = a[i] - b[i]
    return result


rng = np.random.default_rng(5)
x, y = rng.random(100), rng.random(100)
same(sum_sequence, [(x, y), (x.astype(np.int64), y.astype(np.int64)), (x.astype(np.float32), y),
                    (np.arange(12.0).reshape(3, 4), np.ones((3, 4))), (x, y[:50]), (list(x), y),
                    (np.array([math.nan, math.inf]), np.array([math.inf, math.inf])),
                    (np.array([2**62, -2**62]), np.array([-2**62, 2**62]))])


# -- globals that are not exact dicts: LOAD_GLOBAL's generic path

class Globals(dict):
    """Globals that compute some names: CPython asks __getitem__ when globals are not an exact dict."""

    def __getitem__(self, key):
        if key.startswith("virtual_"):
            return key[8:] * 2
        return dict.__getitem__(self, key)


def reads_globals():
    return width * 2, len("abc"), virtual_ab  # noqa: F821 - they live in the custom globals


def reads_missing():
    return nowhere  # noqa: F821


for source in (reads_globals, reads_missing):
    g = Globals(width=21, __builtins__=__builtins__)
    plain = types.FunctionType(source.__code__, g, source.__name__)
    f = obj(types.FunctionType(source.__code__, g, source.__name__))
    got, want = outcome(f, ()), outcome(plain, ())
    assert got == want, (source.__name__, got, want)
    g["width"] = 4
    assert outcome(f, ()) == outcome(plain, ()), source.__name__


# -- dict items: hits, misses (KeyError), unhashable keys, subclasses with __missing__

class Defaulting(dict):
    def __missing__(self, key):
        return ("missing", key)


@obj
def count_words(words, counts):
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts


dicts = [{"a": 1, 2: "two", (1, 2): None, 2**70: "big"}, {}, Defaulting(a=1)]
same(get, [(d, k) for d in dicts for k in ("a", 2, 2.0, (1, 2), 2**70, "zz", [1], {}, None)])
same(put, [(d, k, "v") for d in dicts for k in ("a", 2, "new", [1], (1, [2]))], copy=(0,))
same(count_words, [("a b a c b a".split(), {}), ([1, 1.0, True, "1"], {}), ([[1]], {}),
                   ("xyx", Defaulting())], copy=(1,))


# -- for over a list: inline while the list has items, as the list changes under the loop

@obj
def walk(xs, grow, shrink):
    seen = []
    for x in xs:
        seen.append(x)
        if grow and len(xs) < 10:
            xs.append(len(xs))
        if shrink and xs:
            del xs[0]
    for x in xs:
        pass
    return seen, xs


@obj
def nested(xs):
    out = []
    it = iter(xs)
    for x in it:
        for y in it:
            out.append((x, y))
            break
    return out


class Reversing(list):
    def __iter__(self):
        return reversed(list.copy(self))


same(walk, [(xs, g, sh) for xs in ([], [1], [1, 2, 3], list(range(8)), Reversing([1, 2, 3]), (1, 2), "ab")
            for g in (False, True) for sh in (False, True)], copy=(0,))
same(nested, [([1, 2, 3, 4, 5],), ([],), ([1],), (list("abcdef"),)])


# -- method calls: a call site's cached lookup follows the type and its changes

class Slotted:
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v

    def get(self, k, d=None):
        return ("slotted", self.v, k, d)


class Plain:
    def get(self, k, d=None):
        return ("plain", k, d)


class Derived(dict):
    pass


@obj
def getter(x, k):
    return x.get(k, 0)


@obj
def getters(xs, k):
    return [x.get(k, 0) for x in xs]


with_dict = Plain()
with_dict.get = lambda k, d: ("instance", k, d)
kinds = [{"a": 1}, Derived(a=2), Slotted(3), Plain(), with_dict, {}, "abc"]
same(getter, [(x, k) for x in kinds for k in ("a", "z")])
same(getters, [(kinds, "a"), (kinds[::-1], "a")])
s3 = Slotted(3)
assert getter(s3, "a") == ("slotted", 3, "a", 0)
Slotted.get = lambda self, k, d=None: ("patched", k, d)
assert getter(s3, "a") == ("patched", "a", 0)
Derived.get = lambda self, k, d=None: ("derived", k, d)
assert getter(Derived(), "a") == ("derived", "a", 0)
del Slotted.get
try:
    getter(s3, "a")
except AttributeError as e:
    assert str(e) == "'Slotted' object has no attribute 'get'", e
else:
    raise AssertionError("Slotted.get was deleted")


# -- range variables read only as indexes stay native: the same items, errors and bindings

@obj
def gather(c, n, step):
    out = []
    for i in range(-n, n, step):
        out.append(c[i])
    return out


@obj
def scatter(c, n, v):
    for i in range(n):
        c[i] = v
    for i in range(-1, -n - 1, -1):
        c[i] = c[i]
    return c


@obj
def after(c, n):
    for i in range(n):
        pass
    return c[i]


@obj
def before(c, n):
    x = c[i]
    for i in range(n):
        pass
    return x


@obj
def nested_ranges(c):
    out = []
    for i in range(3):
        for i in range(len(c) - 1, -1, -2):
            out.append(c[i])
        out.append(c[i])
    return out, [c[j] for j in range(len(c))]


@obj
def counted(c, n):
    out = []
    for i in counter(n):
        out.append(c[i])
        c[i] = c[i]
    return out


def strings(n):
    return ["a", "b"][:n]


counter = range
seqs = [[1, 2, 3, 4, 5], list("abcdef"), np.arange(6.0), np.arange(6), "abcdef", (1, 2, 3, 4),
        {i: i * i for i in range(-6, 6)}, {}, SubList(range(6)), np.arange(12.0).reshape(6, 2)]
same(gather, [(c, n, st) for c in seqs for n in (0, 1, 4, 6, 7) for st in (1, 2, 5, -1)])
same(scatter, [(c, n, v) for c in seqs for n in (0, 3, 6, 7) for v in (0, 1.5, "x")], copy=(0,))
same(after, [(c, n) for c in seqs[:3] for n in (0, 1, 3, 9)])
same(before, [(c, 2) for c in seqs[:3]])
same(nested_ranges, [(c,) for c in seqs if not isinstance(c, dict)])
same(counted, [(c, 3) for c in ([1, 2, 3], np.arange(4.0))], copy=(0,))
counter = strings
same(counted, [({"a": 1, "b": 2}, 2), ([1, 2], 1), ({"a": 1}, 2)], copy=(0,))
counter = range
same(counted, [([5, 6, 7], 3), ([5], 3)], copy=(0,))
ir = kiln._specializations(gather)[0]["ir_raw"]
assert "kn_rt_obj_getitem_at" in ir and "PyLong_FromSsize_t" not in ir  # i is never boxed


# -- a range loop's int rewritten in place only when nothing else holds it

@obj
def kept(start, stop, step):
    out, alias = [], None
    for i in range(start, stop, step):
        if i % 3 == 0:
            out.append(i)  # held by the list: the next item is a new int
        elif i % 3 == 1:
            alias = i  # held by another variable
        else:
            i = str(i)  # not an int any more
        out.append(alias)
    return out, [i for i in range(start, stop, step)], {i: i for i in range(start, stop, step)}


@obj
def deleted(n):
    out = []
    for i in range(250, n):
        out.append(i * 1)
        del i
    return out


same(kept, [(a, b, st) for a, b in ((-20, 20), (250, 270), (-10, -1), (2**30 - 5, 2**30 + 5),
                                    (-2**30 - 5, -2**30 + 5), (2**62, 2**62 + 4), (300, 200))
            for st in (1, 2, -1)])
same(deleted, [(260,), (250,), (0,)])


# -- dict.get without a lookup on exact dicts: the method's results and errors

@obj
def gets(d, k):
    out = [d.get(k), d.get(k, None), d.get(k, [k])]
    try:
        out.append(d.get(k, 1, 2))
    except TypeError as e:
        out.append(str(e))
    try:
        out.append(d.get(k, default=3))
    except TypeError as e:
        out.append(str(e))
    return out


same(gets, [(d, k) for d in ({"a": 1, 1: None}, {}, Defaulting(a=2), Derived(a=3))
            for k in ("a", 1, 1.0, "zz", [1], None)])


# -- str(int) and f"{int}" written out natively: CPython's text for every size, subclasses their own

class Loud(int):
    def __str__(self):
        return "loud"

    def __format__(self, spec):
        return "formatted"


@obj
def texts(x):
    return str(x), f"{x}", f"{x!s}", f"{x!r}", f"{x:>6}", f"<{x}>"


NUMS = [0, 1, -1, 9, 10, -10, 255, 256, 99999, -100000, 2**30 - 1, 2**30, -2**30, 2**31,
        2**60 - 1, -(2**60 - 1), 2**60, 2**63, -2**63, 2**64 + 1, 10**30, True, False, Loud(7),
        7.5, "s", None]
same(texts, [(x,) for x in NUMS])


# -- references: the fast paths leak nothing and free what they replace

def counts(*objects):
    return [sys.getrefcount(o) for o in objects]


a = np.arange(5.0)
ints = np.arange(5, dtype=np.int64)
item, other = object(), object()
box = [item, item, item]
before = counts(a, ints, item, other, box)
for _ in range(1000):
    get(a, 2), get(ints, -1), get(box, -1), put(a, 1, 2.5), put(ints, 0, 7), put(box, -1, other)
    put(box, -1, item), arith(np.float64(1.5), 2.0), get_in_loop(box, 4)
    walk(box, False, False), count_words(box, {}), get({item: other}, item), getter({}, item)
    gather(box, 2, 1), scatter(box, 3, item), counted(box, 2), kept(250, 262, 1)
    gets({item: other}, item), gets({}, other)
assert counts(a, ints, item, other, box) == before, (before, counts(a, ints, item, other, box))

print("ok")
