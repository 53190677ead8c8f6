"""Errors: TypingError points at file:line:col with the source line and a caret; runtime errors are Python's."""
import os

from kiln import TypingError, njit

from _compare import check, raises


@njit
def bad_add(x):
    return x + "a"


e = raises(TypingError, bad_add, 1, match="cannot add int64 and str")
message = str(e)
with open(__file__) as source:
    line = next(n for n, text in enumerate(source, 1) if text.strip() == 'return x + "a"')
where = f"{os.path.basename(__file__)}:{line}:12:"  # 1-based column of `x + "a"`
assert where in message, message
assert 'return x + "a"' in message and "^" in message, message
raises(TypingError, bad_add, 1.5, match="cannot add float64 and str")  # still usable, still failing


@njit
def unknown_name(x):
    return x + undefined_name  # noqa: F821 - the error under test


raises(TypingError, unknown_name, 1, match="undefined_name")


@njit
def checked(x):
    assert x > 0
    return x


@njit
def checked_with_message(x):
    assert x > 0, "x must be positive"
    return x


@njit
def raiser(x):
    if x < 0:
        raise ValueError("negative input")
    if x == 0:
        raise ZeroDivisionError
    return x


check(checked, [(1,), (-1,), (0.5,), (-0.5,)])
check(checked_with_message, [(1,), (-1,)])
check(raiser, [(1,), (-1,), (0,), (2.5,), (-2.5,)])
raises(AssertionError, checked_with_message, -1, match="x must be positive")
raises(ValueError, raiser, -1, match="negative input")


@njit
def divide(a, b):
    return a / b, a // b, a % b


check(divide, [(1, 0), (0, 0), (1.0, 0.0), (-1.5, 0), (7, 2)])
raises(ZeroDivisionError, divide, 1, 0, match="division by zero")

# A function built with exec has no source file: the error says so plainly.
namespace = {}
exec("def made(x):\n    return x + 1\n", namespace)
made = njit(namespace["made"])
raises(TypingError, made, 1, match="its source is not available")
assert made.py_func(1) == 2

print("ok")
