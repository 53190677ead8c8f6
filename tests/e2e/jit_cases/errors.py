"""Errors: TypingError points at file:line:col with the source line and a caret; runtime errors are Python's."""
import inspect
import linecache
import os

from kiln import TypingError, jit, njit

from _compare import check, raises


@njit
def bad_add(x):
    return x + "a"


def location(f, text):
    """file:line: of the line of f's source that reads text, numbered as tracebacks number it, in
    a file or in a notebook cell (which the session registers in linecache as <cell-N>)."""
    lines, first = inspect.getsourcelines(f.py_func)
    index = next(i for i, line in enumerate(lines) if line.strip() == text)
    return f"{os.path.basename(f.py_func.__code__.co_filename)}:{first + index}:"


def assert_points_at(f, args, text, column, match):
    """f(*args) raises TypingError at the line that reads text, column (1-based), with a caret."""
    message = str(raises(TypingError, f, *args, match=match))
    where = location(f, text) + f"{column}:"
    assert where in message, f"{where} not in {message}"
    assert text in message and "^" in message, message


assert_points_at(bad_add, (1,), 'return x + "a"', 12, "cannot add int64 and str")
raises(TypingError, bad_add, 1.5, match="cannot add float64 and str")  # still usable, still failing


@jit(
    boundscheck=True,
    fastmath=False,
)
def nested_error(x):
    if x > 0:
        while x > 1:
            x = x - "c"
    return x


assert_points_at(nested_error, (1,), 'x = x - "c"', 17, "cannot subtract int64 and str")


@njit
def first_line(x): return x * "z"  # noqa: E704 - the body on the def line


assert_points_at(first_line, (2,), 'def first_line(x): return x * "z"  # noqa: E704 - the body on the def line',
                 27, "cannot multiply int64 and str")


class Holder:
    @staticmethod
    @njit
    def method(x, y):
        return x + y


e = raises(TypingError, Holder.method, 1, None, match="argument 1: None cannot be passed")
assert Holder.method(1, 2) == 3

# A function of a cell as the session registers one: its lines in linecache are str.splitlines',
# which also splits at the form feed of the comment, where Python's tokenizer does not.
CELL = 'from kiln import njit\n\n@njit\ndef in_cell(x):\n    y = x  # a \x0c b\n    return y + "a"\n'
linecache.cache["<cell-999>"] = (len(CELL), None, CELL.splitlines(True), "<cell-999>")
namespace = {}
exec(compile(CELL, "<cell-999>", "exec"), namespace)
message = str(raises(TypingError, namespace["in_cell"], 1, match="cannot add int64 and str"))
assert '<cell-999>:6:12:' in message and '\n 6 |     return y + "a"\n' in message, message


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
