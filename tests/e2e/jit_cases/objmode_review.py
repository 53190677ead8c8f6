"""Object mode against plain Python where a review looked: imports, keywords, handlers' names and
sys.exc_info(), references on the ways out of finally, except and with, unpacking messages, and
what needs a frame."""
import gc
import os
import sys
import warnings

from kiln import KilnWarning, TypingError, jit

from _compare import check, raises


def obj(f):
    return jit(forceobj=True)(f)


# -- from m import name [as other]


@obj
def imports():
    from os import path
    from os.path import join as joined
    from sys import argv as a, path as p
    import os.path
    import xml.etree.ElementTree as ET
    from collections import abc
    return path.__name__, joined("a", "b"), a is sys.argv, p is sys.path, os.__name__, ET.__name__, abc.__name__


@obj
def import_missing_name():
    from os import no_such_name_here  # noqa: F401


@obj
def import_missing_module():
    from no_such_module_here import x  # noqa: F401


check(imports, [()])
check(import_missing_name, [()])  # "cannot import name ... from 'os' (.../os.py)"
check(import_missing_module, [()])
e = raises(ImportError, import_missing_name)
assert e.name == "os" and e.path == os.__file__, (e.name, e.path)


@obj
def import_global():
    global joined_global
    from os.path import join as joined_global
    return joined_global("x", "y")


check(import_global, [()])
assert joined_global("p", "q") == os.path.join("p", "q")  # noqa: F821 - bound by the call


# -- a keyword given twice


def keywords(*args, **kwargs):
    return args, kwargs


class Methods:
    def m(self, **kwargs):
        return kwargs


@obj
def twice_named_then_spread():
    return keywords(a=1, **{"a": 2})


@obj
def twice_spread_then_named():
    return keywords(**{"a": 1}, a=2)


@obj
def twice_spread(m1, m2):
    return keywords(1, *[2], **m1, **m2)


@obj
def twice_method():
    return Methods().m(b=1, **{"b": 2})


@obj
def once_each(m):
    return keywords(x=0, **m, y=3)


check(twice_named_then_spread, [()])
check(twice_spread_then_named, [()])
check(twice_spread, [({"a": 1}, {"a": 2}), ({"a": 1}, {"b": 2}), ({1: 2}, {})])
check(twice_method, [()])
check(once_each, [({"z": 1},), ({"y": 1},), ({"x": 1},), ({},)])

# -- except E as name, name declared global: bound, then deleted, as CPython does

caught_global = "before"


@obj
def except_as_global(fail):
    global caught_global
    seen = None
    try:
        if fail:
            raise ValueError("v")
    except ValueError as caught_global:
        seen = repr(caught_global)
    return seen, "caught_global" in globals()


check(except_as_global, [(False,)])
assert caught_global == "before"
check(except_as_global, [(True,)])
assert "caught_global" not in globals()
caught_global = "again"


@obj
def except_as_global_raises():
    global caught_global
    try:
        raise ValueError("v")
    except ValueError as caught_global:
        raise KeyError(repr(caught_global))


check(except_as_global_raises, [()])
assert "caught_global" not in globals()

# -- sys.exc_info(): the exception handled, then the one handled before again


def current():
    return repr(sys.exc_info()[1])


@obj
def returns_in_handler():
    try:
        raise KeyError(1)
    except KeyError:
        return current()


@obj
def exc_info_nesting():
    out = [current()]
    try:
        raise ValueError(0)
    except ValueError:
        out.append(current())
        out.append(returns_in_handler())
        out.append(current())
        for i in range(3):
            try:
                raise KeyError(i)
            except KeyError:
                out.append(current())
                if i == 1:
                    break
                continue
        out.append(current())
        try:
            try:
                raise IndexError(2)
            finally:
                out.append(current())
        except IndexError:
            out.append(current())
        out.append(current())
    out.append(current())
    return out


@obj
def exc_info_in_finally_return():
    try:
        raise ValueError(1)
    finally:
        return current()


class SeesExcInfo:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.seen = current()
        return True


@obj
def exc_info_with(m):
    out = []
    try:
        raise ValueError(9)
    except ValueError:
        with m:
            raise KeyError(5)
        out.append(m.seen)
        out.append(current())
        try:
            pass
        finally:
            out.append(current())
    out.append(current())
    return out


check(exc_info_with, [(SeesExcInfo(),)])
check(exc_info_nesting, [()])
check(exc_info_in_finally_return, [()])
assert sys.exc_info() == (None, None, None)

# -- references on the ways out of finally, except and with (break, continue, return, raise)


class Manager:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class Swallows(Manager):
    def __exit__(self, *exc):
        return True


class ExitRaises(Manager):
    def __exit__(self, *exc):
        raise KeyError("exit")


@obj
def finally_break(o, n):
    for i in range(n):
        try:
            x = [o]
            raise ValueError(o)
        finally:
            y = [o, x]
            break
    return y


@obj
def finally_continue(o, n):
    for i in range(n):
        try:
            raise ValueError(o)
        finally:
            continue
    return n


@obj
def finally_return(o, fail):
    try:
        if fail:
            raise ValueError(o)
        return [o]
    finally:
        return (o,)


@obj
def handler_break(o, n):
    for i in range(n):
        try:
            raise ValueError(o)
        except ValueError as e:
            z = [o, e]
            break
    return len(z)


@obj
def handler_continue(o, n):
    for i in range(n):
        try:
            raise ValueError(o)
        except ValueError:
            continue
    return n


@obj
def handler_return(o):
    try:
        raise ValueError(o)
    except ValueError:
        try:
            raise KeyError(o)
        except KeyError:
            return [o]


@obj
def handler_break_in_finally(o):
    for i in range(3):
        try:
            raise ValueError(o)
        except ValueError:
            try:
                break
            finally:
                continue
    return i


@obj
def handler_finally_raises(o):
    try:
        raise ValueError(o)
    except ValueError:
        try:
            return [o]
        finally:
            raise KeyError(o)


@obj
def with_paths(o, how):
    for i in range(2):
        with Manager() as m:
            if how == "break":
                break
            if how == "continue":
                continue
            if how == "return":
                return [o, m]
            if how == "raise":
                raise ValueError(o)
    with Swallows():
        raise ValueError(o)
    return how


@obj
def with_exit_raises(o, how):
    try:
        with ExitRaises():
            if how == "return":
                return [o]
            if how == "raise":
                raise ValueError(o)
    except KeyError:
        return how


@obj
def with_not_a_manager(o):
    try:
        with o:
            pass
    except (TypeError, AttributeError) as e:
        return type(e).__name__


class EnterRaises(Manager):
    def __enter__(self):
        raise KeyError("enter")


class NoAttributes:
    __slots__ = ()


@obj
def with_target_fails(o, how):
    try:
        if how == "unpack":
            with Manager() as (a, b):
                return [o]
        if how == "enter":
            with EnterRaises():
                return [o]
        with Manager() as NoAttributes().x:
            return [o]
    except (TypeError, KeyError, AttributeError) as e:
        return type(e).__name__


def no_references_kept(f, *args):
    """f(o, *args) 500 times keeps no reference to o, and leaves no objects behind."""
    o = object()
    try:
        f(o, *args)
    except Exception:  # noqa: BLE001 - the references are what is checked
        pass
    gc.collect()
    before, objects = sys.getrefcount(o), len(gc.get_objects())
    managers = [sys.getrefcount(c) for c in (Manager, Swallows, ExitRaises, EnterRaises)]
    for _ in range(500):
        try:
            f(o, *args)
        except Exception:  # noqa: BLE001 - the references are what is checked
            pass
    gc.collect()
    after = sys.getrefcount(o)
    assert after == before, (f.__name__, args, before, after)
    assert len(gc.get_objects()) - objects < 50, (f.__name__, args)
    now = [sys.getrefcount(c) for c in (Manager, Swallows, ExitRaises, EnterRaises)]
    assert now == managers, (f.__name__, args, managers, now)


for f, args in ((finally_break, (2,)), (finally_continue, (3,)), (finally_return, (False,)),
                (finally_return, (True,)), (handler_break, (2,)), (handler_continue, (3,)),
                (handler_return, ()), (handler_break_in_finally, ()),
                (handler_finally_raises, ()), (with_not_a_manager, ())):
    no_references_kept(f, *args)
for how in ("unpack", "enter", "attribute"):
    no_references_kept(with_target_fails, how)
    check(with_target_fails, [(1, how)])
for how in ("fall", "break", "continue", "return", "raise"):
    no_references_kept(with_paths, how)
    no_references_kept(with_exit_raises, how)
    check(with_exit_raises, [(1, how)])
check(with_paths, [(1, how) for how in ("fall", "break", "continue", "raise")])
check(handler_break_in_finally, [(1,)])
check(handler_finally_raises, [(1,)])
check(with_not_a_manager, [(1,)])



@obj
def leaves_handlers(how):
    for i in range(2):
        try:
            raise KeyError(i)
        except KeyError:
            if how == 0:
                return 1
            if how == 1:
                break
            if how == 2:
                continue
        finally:
            if how == 3:
                return 2
            if how == 4:
                break
    with Swallows():
        raise ValueError
    return 3


try:  # the exception handled by the caller is current again after each call, its count kept
    raise RuntimeError("outer")
except RuntimeError as outer:
    for how in range(6):
        before = sys.getrefcount(outer)
        for _ in range(200):
            leaves_handlers(how)
        assert sys.getrefcount(outer) == before and sys.exc_info()[1] is outer, how

# -- unpacking what cannot be: CPython's messages


@obj
def spread_dict(x):
    return {"k": 1, **x}


@obj
def spread_list(x):
    return [0, *x]


@obj
def spread_tuple(x):
    return (*x,)


@obj
def spread_set(x):
    return {*x}


@obj
def spread_call(x):
    return keywords(*x)


@obj
def spread_kwargs(x):
    return keywords(**x)


for f in (spread_dict, spread_list, spread_tuple, spread_set, spread_call, spread_kwargs):
    check(f, [(1,), (None,), ([1, 2],), ({"a": 1},), ("ab",)])


# -- what reads the function's frame: refused when compiling, at the construct

def uses_locals():
    x = 1
    return locals()


def uses_vars():
    x = 1
    return vars()


def uses_dir():
    x = 1
    return dir()


def uses_eval(x):
    return eval("x + 1")


def uses_exec(x):
    exec("y = x")


def uses_super():
    return super().__init__()


def uses_getframe():
    return sys._getframe().f_code.co_name


def uses_getframe_imported():
    from sys import _getframe
    return _getframe()


for fn, what in ((uses_locals, "locals()"), (uses_vars, "vars()"), (uses_dir, "dir()"),
                 (uses_eval, "eval() without a globals dict"),
                 (uses_exec, "exec() without a globals dict"),
                 (uses_super, "super() without arguments"), (uses_getframe, "sys._getframe()")):
    args = (1,) * fn.__code__.co_argcount
    e = raises(TypingError, obj(fn), *args, match=f"unsupported construct: {what}")
    where = f"{os.path.basename(fn.__code__.co_filename)}:"
    assert where in str(e) and "^" in str(e), str(e)
    with warnings.catch_warnings(record=True) as w:  # nopython=False: the warning, then the error
        warnings.simplefilter("always")
        raises(TypingError, jit(nopython=False)(fn), *args, match=f"unsupported construct: {what}")
    assert any(x.category is KilnWarning for x in w), [str(x.message) for x in w]


@obj
def with_arguments(x):
    n = 1
    return sorted(vars(x)), "a" in dir(x), eval("n + 1", {"n": n}), globals() is GLOBALS


class Plain:
    def __init__(self):
        self.a = 1


GLOBALS = globals()
check(with_arguments, [(Plain(),)])
assert with_arguments(Plain()) == (["a"], True, 2, True)


def locals():  # noqa: A001 - a global of that name is the user's function: it is called
    return "mine"


@obj
def shadowed():
    return locals()


assert shadowed() == "mine"
del locals

print("ok")
