"""The JIT in notebook cells, through jupyter_client: definitions across cells, errors, and interrupts."""
import re
import time

import pytest

from kernel_helpers import strip_ansi

SPIN = "@njit\ndef spin():\n    x = 0\n    while True:\n        x += 1\n    return x\n"


def ok(run):
    assert run.status == "ok", run
    return run


def test_function_defined_in_one_cell_runs_in_a_later_one(kernel):
    ok(kernel.execute("from kiln import njit\n\n@njit\ndef poly(x, y):\n    return 3 * x * x - y / 2 + 1\n"))
    ok(kernel.execute("ints, floats = poly(7, 4), poly(1.5, -2.25)"))
    assert kernel.execute("ints == poly.py_func(7, 4), floats == poly.py_func(1.5, -2.25)").result == "(True, True)"
    assert kernel.execute("poly(7, 4)").result == repr(3 * 7 * 7 - 4 / 2 + 1)
    assert kernel.execute("len(poly.signatures)").result == "2"


def test_array_code_that_once_crashed_the_compiler_is_refused_and_variables_kept(kernel):
    ok(kernel.execute("import numpy as np\nfrom kiln import njit\nkept = np.arange(3.0)"))
    cells = {
        "@njit\ndef full_complex(n):\n    return np.full(n, 1j, dtype=np.float64)\n\nfull_complex(3)\n":
            "np.full() cannot fill float64 items with complex128",
        "@njit\ndef fill_complex(a):\n    a.fill(1j)\n\nfill_complex(kept)\n":
            "cannot take complex128",
        "@njit\ndef dot0(a, b):\n    return a @ b\n\ndot0(np.array(2.0), kept)\n":
            "a @ b of array(float64, 0d, C) and array(float64, 1d, C) is not supported",
    }
    for code, message in cells.items():
        run = kernel.execute(code)
        assert run.status == "error" and run.content["ename"] == "TypingError", run
        assert message in strip_ansi(run.content["evalue"]), run
    run = kernel.execute("@njit\ndef span(x):\n    return np.arange(0.0, x, 1.0)\n\nspan(float('nan'))\n")
    assert run.status == "error" and run.content["ename"] == "ValueError", run
    assert "arange: cannot compute length" in run.content["evalue"], run
    assert kernel.execute("kept.tolist()").result == "[0.0, 1.0, 2.0]"


def test_typing_error_points_at_the_cell_and_keeps_variables(kernel):
    ok(kernel.execute("kept = 'still here'"))
    run = kernel.execute("from kiln import njit\n\n@njit\ndef bad(x):\n    return x + 'a'\n\nbad(1)\n")
    assert run.status == "error", run
    assert run.content["ename"] == run.error["ename"] == "TypingError"
    text = strip_ansi(run.content["evalue"] + "\n" + "\n".join(run.error["traceback"]))
    # file:line:col of `x + 'a'`: line 5 of the cell, 1-based column 12
    where = re.search(r"<cell-(\d+)>:5:12", text)
    assert where, text
    assert "cannot add int64 and str" in text
    lines = text.splitlines()
    source = next(i for i, line in enumerate(lines) if line.endswith("return x + 'a'"))
    assert lines[source + 1].lstrip(" |").startswith("^"), text  # the caret, under the operand
    assert lines[source + 1].index("^") == lines[source].index("x + 'a'"), text
    assert kernel.execute("kept").result == "'still here'"


def test_exception_raised_in_compiled_code(kernel):
    ok(kernel.execute("from kiln import njit\n\n@njit\ndef ratio(a, b):\n    return a // b\n"))
    run = kernel.execute("ratio(7, 0)")
    assert run.status == "error", run
    assert (run.content["ename"], run.content["evalue"]) == ("ZeroDivisionError", "integer division or modulo by zero")
    assert run.error["ename"] == "ZeroDivisionError"
    assert kernel.execute("ratio(7, 2)").result == "3"


def start_running(kernel, code):
    """Sends code and returns its msg_id once the kernel has started it."""
    msg_id = kernel.send_execute(code)
    kernel.wait_until_running(msg_id)
    time.sleep(0.5)  # into the loop
    return msg_id


@pytest.mark.parametrize("spec", ["kiln", "kiln-message"])
def test_interrupt_stops_a_compiled_infinite_loop(fresh_kernel, spec):
    kernel = fresh_kernel(spec)
    # compiled here, so that the interrupt finds machine code running
    ok(kernel.execute("from kiln import njit\nkept = 7\n" + SPIN + "spin.compile(())\n"))
    msg_id = start_running(kernel, "spin()")
    kernel.km.interrupt_kernel()
    run = kernel.finish(msg_id, timeout=60)
    assert run.status == "error", run
    assert run.content["ename"] == run.error["ename"] == "KeyboardInterrupt"
    assert kernel.execute("1+1").result == "2"
    assert kernel.execute("kept").result == "7"
    # the flag was cleared: the next compiled call runs to its end
    total = "@njit\ndef total(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n\ntotal(10**6)"
    assert kernel.execute(total).result == str(sum(range(10**6)))
