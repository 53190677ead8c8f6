"""Object mode's exceptions: try/except/else/finally, with, raise, and tracebacks with the source lines."""
import sys
import traceback

from kiln import jit

from _compare import check, raises


def obj(f):
    return jit(forceobj=True)(f)


@obj
def divide(x):
    try:
        r = 10 / x
    except ZeroDivisionError as e:
        r = str(e)
    except (TypeError, ValueError):
        r = "bad type"
    else:
        r = r + 1
    finally:
        x = None
    return r, x


check(divide, [(2,), (0,), ("s",), (2.5,)])


@obj
def bare_except(x):
    try:
        return [1][x]
    except:  # noqa: E722 - a bare except is the construct tested
        return sys.exc_info()[0].__name__


check(bare_except, [(0,), (5,), ("a",)])


@obj
def handled(x):
    """sys.exc_info() inside and after a handler; the as name is unbound after it."""
    inside = None
    try:
        raise KeyError(x)
    except KeyError as e:
        inside = (sys.exc_info()[1] is e, e.args)
    try:
        return e
    except UnboundLocalError:
        return inside, sys.exc_info()[0].__name__
    finally:
        pass


check(handled, [(1,), ("k",)])
assert sys.exc_info() == (None, None, None)


@obj
def flow(n):
    """break, continue and return through finally clauses, which run on every way out."""
    log = []
    for i in range(n):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            log.append(i)
        finally:
            log.append(("finally", i))
    else:
        log.append("else")
    try:
        return log
    finally:
        log.append("last")


check(flow, [(0,), (2,), (5,)])


@obj
def finally_wins(x):
    try:
        if x:
            raise KeyError(x)
        return "body"
    finally:
        if x != 2:
            return "finally"


check(finally_wins, [(0,), (1,), (2,)])


@obj
def chained(x):
    try:
        try:
            return 1 / x
        except ZeroDivisionError:
            raise ValueError("inner")
    except ValueError as e:
        return str(e), type(e.__context__).__name__, e.__cause__


check(chained, [(0,), (2,)])


@obj
def explicit(x, cause):
    try:
        if cause == "none":
            raise ValueError(x) from None
        raise ValueError(x) from cause
    except ValueError as e:
        return repr(e.__cause__), e.__suppress_context__


check(explicit, [(1, "none"), (1, KeyError("c")), (2, KeyError), (3, 5)])


@obj
def reraise(x):
    try:
        x[0]
    except (IndexError, KeyError):
        raise


check(reraise, [([],), ({},), ([5],), (5,)])


@obj
def nothing_to_reraise():
    raise


raises(RuntimeError, nothing_to_reraise, match="No active exception to reraise")


@obj
def raises_class(kind):
    raise kind


check(raises_class, [(KeyError,), (StopIteration,), (5,), (ValueError("v"),)])


@obj
def asserts(x):
    assert x > 0, f"x is {x}"
    assert x < 10
    return x


check(asserts, [(1,), (0,), (11,)])


@obj
def bad_except(x):
    try:
        return 1 / x
    except 5:
        return "never"


check(bad_except, [(1,), (0,)])


# -- with: __enter__, __exit__ on every way out, exceptions passed to __exit__ and swallowed


class Manager:
    def __init__(self, log, swallow=False):
        self.log = log
        self.swallow = swallow

    def __enter__(self):
        self.log.append("enter")
        return self

    def __exit__(self, kind, value, tb):
        self.log.append(("exit", kind.__name__ if kind else None, tb is not None))
        return self.swallow


@obj
def managed(how, swallow):
    log = []
    for i in range(3):
        try:
            with Manager(log, swallow) as m, Manager(log) as inner:
                log.append(m is not inner)
                if how == "raise":
                    raise ValueError("boom")
                if how == "break":
                    break
                if how == "return":
                    return log
                if how == "continue":
                    continue
                log.append("body")
        except ValueError as e:
            log.append(str(e))
    return log


check(managed, [(h, s) for h in ("none", "raise", "break", "return", "continue") for s in (False, True)])


class NotAManager:
    pass


class OnlyEnter:
    def __enter__(self):
        return 1


@obj
def misused(m):
    with m:
        return 1


check(misused, [(NotAManager(),), (OnlyEnter(),)])


# -- tracebacks: object-mode frames carry the function's name and the failing line


def lines(e):
    return [(f.name, f.line) for f in traceback.extract_tb(e.__traceback__)]


@obj
def fails(x):
    y = x + 1
    z = y / 0
    return z


@obj
def calls_fails(x):
    return fails(x)


e = raises(ZeroDivisionError, calls_fails, 1)
assert lines(e)[-2:] == [("calls_fails", "return fails(x)"), ("fails", "z = y / 0")], lines(e)
first = traceback.extract_tb(e.__traceback__)[-1]
assert first.lineno == fails.py_func.__code__.co_firstlineno + 3 and first.filename == fails.py_func.__code__.co_filename


@obj
def multiline(d):
    return d[
        "missing"
    ]


e = raises(KeyError, multiline, {})
assert lines(e)[-1][0] == "multiline"


@obj
def caught_traceback(x):
    try:
        fails(x)
    except ZeroDivisionError as e:
        return [(f.name, f.line) for f in traceback.extract_tb(e.__traceback__)]


check(caught_traceback, [(1,)])


@obj
def reraised_traceback(x):
    try:
        fails(x)
    except ZeroDivisionError:
        raise


e = raises(ZeroDivisionError, reraised_traceback, 1)
assert [n for n, _ in lines(e)][-2:] == ["reraised_traceback", "fails"], lines(e)

print("ok")
