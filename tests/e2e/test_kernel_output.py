"""What cells send on iopub: streams, rich display_data for every _repr_*_ method, large and unicode output."""
import base64

import pytest

PNG = b"\x89PNG\r\n\x1a\n kiln"


def test_stdout_and_stderr_are_separate_streams_in_order(kernel):
    code = (
        "import sys\n"
        "print('out 1')\n"
        "print('err 1', file=sys.stderr)\n"
        "print('out 2')\n"
        "sys.stderr.write('err 2\\n')"
    )
    run = kernel.execute(code)
    assert run.stdout == "out 1\nout 2\n"
    assert run.stderr == "err 1\nerr 2\n"


def rich_object_code(method, value):
    """A cell that displays an object whose `method` returns `value` (Python source)."""
    return (
        "class Rich:\n"
        "    def __repr__(self):\n"
        "        return 'Rich()'\n"
        f"    def {method}(self):\n"
        f"        return {value}\n"
        "display(Rich())"
    )


REPRS = {  # mime type: (method, value source, check of the data sent)
    "text/html": ("_repr_html_", "'<b>kiln</b>'", lambda d: d == "<b>kiln</b>"),
    "text/markdown": ("_repr_markdown_", "'**kiln**'", lambda d: d == "**kiln**"),
    "image/svg+xml": ("_repr_svg_", "'<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>'", lambda d: "<svg" in d),
    "image/png": ("_repr_png_", repr(PNG), lambda d: base64.b64decode(d) == PNG),
    "application/json": ("_repr_json_", "{'kiln': [1, 2]}", lambda d: d == {"kiln": [1, 2]}),
    "text/latex": ("_repr_latex_", "r'$\\alpha$'", lambda d: d == r"$\alpha$"),
}


@pytest.mark.parametrize("mime", REPRS)
def test_display_sends_rich_repr(kernel, mime):
    method, value, check = REPRS[mime]
    run = kernel.execute(rich_object_code(method, value))
    assert run.status == "ok", run
    (data,) = run.displays
    assert data["text/plain"] == "Rich()"
    assert check(data[mime]), data


def test_display_of_mimebundle(kernel):
    code = (
        "class Bundle:\n"
        "    def _repr_mimebundle_(self, include=None, exclude=None):\n"
        "        return {'text/plain': 'bundle', 'application/x-kiln': {'n': 1}}\n"
        "display(Bundle())"
    )
    (data,) = kernel.execute(code).displays
    assert data["text/plain"] == "bundle"
    assert data["application/x-kiln"] == {"n": 1}


def test_result_of_rich_object_is_rich(kernel):
    run = kernel.execute(rich_object_code("_repr_html_", "'<i>r</i>'").replace("display(Rich())", "Rich()"))
    (result,) = run.of_type("execute_result")
    assert result["data"] == {"text/plain": "Rich()", "text/html": "<i>r</i>"}


def test_megabyte_of_stdout_arrives_whole(kernel):
    assert kernel.execute("print('x' * 1000000)").stdout == "x" * 1000000 + "\n"


def test_many_small_prints_are_batched(kernel):
    run = kernel.execute("for i in range(10000):\n    print(i)")
    assert run.stdout == "".join(f"{i}\n" for i in range(10000))
    assert len(run.of_type("stream")) < 1000


def test_unicode_round_trip(kernel):
    run = kernel.execute("s = 'héllo ✓ 𝄞'\nprint(s)\ns")
    assert run.stdout == "héllo ✓ 𝄞\n"
    assert run.result == "'héllo ✓ 𝄞'"
