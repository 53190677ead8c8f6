"""Object mode's references: arguments keep their counts, and 10^4 calls leak no objects or memory."""
import gc
import sys
import tracemalloc

from kiln import jit


def obj(f):
    return jit(forceobj=True)(f)


class Manager:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@obj
def busy(o, n, fail):
    """Every kind of reference object mode holds: locals, temporaries, iterators, handlers."""
    xs = [o] * n
    t = (o, o)
    d = {1: o, "k": [o, (o,)]}
    s = {id(o)}
    for i in range(n):
        y = o
        if i % 2:
            continue
    for k, v in d.items():
        z = v
    pairs = [(a, b) for a in xs for b in t]
    text = f"{n}{len(pairs)}"
    try:
        with Manager():
            if fail:
                raise ValueError(o)
    except ValueError as e:
        caught = e.args[0] is o
    try:
        return len(xs) + len(pairs)
    finally:
        del xs


@obj
def raises_out(o, n):
    items = [o] * n
    return items[n + 1]


def counts(o):
    return sys.getrefcount(o)


args = [object(), "a string", 12345678901, 2.5, [1, 2]]
before = [counts(a) for a in args]
for a in args:
    for fail in (False, True):
        for _ in range(100):
            busy(a, 4, fail)
            try:
                raises_out(a, 3)
            except IndexError:
                pass
del a  # the loop's own reference
after = [counts(a) for a in args]
assert before == after, (before, after)


def leaks(f, *call_args):
    """Objects gc tracks and bytes tracemalloc counts after 10^4 calls, compared with before."""
    for _ in range(100):
        f(*call_args)
    gc.collect()
    objects = len(gc.get_objects())
    tracemalloc.start()
    start = tracemalloc.take_snapshot()
    for _ in range(10**4):
        f(*call_args)
    gc.collect()
    grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(start, "filename"))
    tracemalloc.stop()
    return len(gc.get_objects()) - objects, grown


def caught(f, *call_args):
    try:
        f(*call_args)
    except IndexError:
        pass


for f, call_args in ((busy, (object(), 5, False)), (busy, (object(), 5, True)),
                     (caught, (raises_out, object(), 2))):
    objects, size = leaks(f, *call_args)
    assert objects <= 10 and size < 64 * 1024, (f.__name__, objects, size)

print("ok")
