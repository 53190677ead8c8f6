"""The session's rules, seen through the kernel: display hook and bundles, history names, errors, streams, replies."""
import base64
import time

import pytest

from kernel_helpers import strip_ansi

RICH = "class Rich:\n    def __repr__(self):\n        return 'Rich()'\n    def _repr_html_(self):\n        return '<b>r</b>'\n"


@pytest.fixture(scope="module")
def rich(kernel):
    """The kernel, with class Rich (text/plain 'Rich()', text/html '<b>r</b>') defined."""
    assert kernel.execute(RICH).status == "ok"
    return kernel


def result_data(run):
    (result,) = run.of_type("execute_result")
    return result["data"], result["metadata"]


# Mime bundles


def test_class_being_shown_is_not_asked_for_reprs(rich):
    data, _ = result_data(rich.execute("Rich"))
    assert data == {"text/plain": "<class '__main__.Rich'>"}


def test_repr_methods_come_from_the_type_not_the_instance(rich):
    run = rich.execute("r = Rich()\nr._repr_markdown_ = lambda: '*no*'\nr")
    data, _ = result_data(run)
    assert data == {"text/plain": "Rich()", "text/html": "<b>r</b>"}


def test_failing_or_empty_reprs_are_skipped(kernel):
    code = (
        "class Odd:\n"
        "    def __repr__(self): return 'Odd()'\n"
        "    def _repr_html_(self): raise ValueError('broken html')\n"
        "    def _repr_markdown_(self): return None\n"
        "    def _repr_latex_(self): return 42\n"
        "    def _repr_json_(self): return {'not json': object()}\n"
        "Odd()"
    )
    data, _ = result_data(kernel.execute(code))
    assert data == {"text/plain": "Odd()"}


def test_repr_with_metadata_and_binary_data(kernel):
    code = (
        "class Picture:\n"
        "    def _repr_png_(self): return (b'\\x89PNG kiln', {'width': 3})\n"
        "    def _repr_jpeg_(self): return b'\\xff\\xd8 jpeg'\n"
        "Picture()"
    )
    data, metadata = result_data(kernel.execute(code))
    assert base64.b64decode(data["image/png"]) == b"\x89PNG kiln"
    assert base64.b64decode(data["image/jpeg"]) == b"\xff\xd8 jpeg"
    assert metadata == {"image/png": {"width": 3}}


def test_mimebundle_pair_overrides_and_adds(rich):
    code = (
        "class Both(Rich):\n"
        "    def _repr_mimebundle_(self, include=None, exclude=None):\n"
        "        return {'text/html': '<i>bundle</i>', 'text/x-kiln': 'k'}, {'text/html': {'isolated': True}}\n"
        "Both()"
    )
    data, metadata = result_data(rich.execute(code))
    assert data == {"text/plain": "Rich()", "text/html": "<i>bundle</i>", "text/x-kiln": "k"}
    assert metadata == {"text/html": {"isolated": True}}


def test_display_raw_bundle_and_plain_values(kernel):
    run = kernel.execute("display({'text/plain': 'raw', 'text/html': '<p>raw</p>'}, raw=True)\ndisplay(1, 'two')")
    assert run.displays == [{"text/plain": "raw", "text/html": "<p>raw</p>"}, {"text/plain": "1"}, {"text/plain": "'two'"}]


def test_repr_that_raises_fails_the_cell(kernel):
    run = kernel.execute("class Bad:\n    def __repr__(self): raise RuntimeError('no repr')\nBad()")
    assert run.status == "error" and run.content["evalue"] == "no repr"


def test_output_before_result_stays_in_order(kernel):
    run = kernel.execute("import sys\nprint('out')\nprint('err', file=sys.stderr)\n'value'")
    kinds = [(m["msg_type"], m["content"].get("name")) for m in run.iopub if m["msg_type"] in ("stream", "execute_result")]
    assert kinds == [("stream", "stdout"), ("stream", "stderr"), ("execute_result", None)]


# The display hook and history names


def test_trailing_semicolon_hides_the_result(kernel):
    assert kernel.execute("1 + 1;  # quiet").of_type("execute_result") == []
    assert result_data(kernel.execute("x_semi = 1; x_semi"))[0]["text/plain"] == "1"


def test_only_the_last_expression_is_shown(kernel):
    run = kernel.execute("1\n2\n3")
    assert [r["data"]["text/plain"] for r in run.of_type("execute_result")] == ["3"]


def test_input_and_output_names(kernel):
    n = kernel.execute("'first'").execution_count
    kernel.execute("'second'")
    run = kernel.execute(f"print(_i, _ii, _i{n}, _{n}, Out[{n}], _, __, sep='|')")
    assert run.stdout == "'second'|'first'|'first'|first|first|second|first\n"


def test_silent_and_unstored_cells_leave_history_alone(kernel):
    n = kernel.execute("'kept result'").execution_count
    kernel.execute("'silent value'", silent=True)
    kernel.execute("'unstored value'", store_history=False)  # shown, so it becomes _, as in IPython
    run = kernel.execute("len(In) - 1, Out.get(len(In) - 2), _, __")
    assert run.execution_count == n + 1
    assert run.result == f"({n + 1}, 'kept result', 'unstored value', 'kept result')"


def test_future_imports_hold_for_later_cells(kernel):
    kernel.execute("from __future__ import annotations")
    kernel.execute("def annotated(x: NotDefinedAnywhere): pass")
    assert kernel.execute("annotated.__annotations__['x']").result == "'NotDefinedAnywhere'"


# Errors


def test_variables_survive_an_error(kernel):
    run = kernel.execute("survivor = 'still here'\nraise KeyError('gone')")
    assert run.content["ename"] == "KeyError"
    assert kernel.execute("survivor").result == "'still here'"


def test_system_exit_is_an_error_and_the_kernel_stays(kernel):
    run = kernel.execute("exit_var = 1\nraise SystemExit('bye')")
    assert (run.status, run.content["ename"]) == ("error", "SystemExit")
    assert run.stderr == "bye\n"
    assert kernel.execute("exit_var + 1").result == "2"


def test_syntax_error_names_the_cell_line(kernel):
    run = kernel.execute("ok = 1\n1 +* 2")
    assert run.content["ename"] == "SyntaxError"
    text = strip_ansi("\n".join(run.content["traceback"]))
    assert "line 2" in text and "1 +* 2" in text


def test_traceback_entries_have_no_trailing_newline(kernel):
    run = kernel.execute("def inner():\n    raise ValueError('deep')\ninner()")
    traceback = run.content["traceback"]
    assert traceback[0] == "Traceback (most recent call last):"
    assert traceback[-1] == "ValueError: deep"
    assert not any(entry.endswith("\n") for entry in traceback)


def test_stdin_refusal_names_its_class(kernel):
    run = kernel.execute("import getpass\ngetpass.getpass()")
    assert run.content["ename"] == "StdinNotImplementedError"
    assert run.content["evalue"] == "getpass() is not available: this front end does not allow stdin"
    assert kernel.execute("import kiln\nissubclass(kiln.StdinNotImplementedError, RuntimeError)").result == "True"


# Streams


def test_stdout_behaves_like_a_text_stream(kernel):
    code = (
        "import io, sys\n"
        "try:\n"
        "    sys.stdout.fileno()\n"
        "except io.UnsupportedOperation:\n"
        "    no_fileno = True\n"
        "(isinstance(sys.stdout, io.TextIOBase), sys.stdout.isatty(), sys.stdout.encoding, sys.stderr.name,\n"
        " sys.stdout.writable(), no_fileno, sys.stdout.write('héllo\\n'))"
    )
    run = kernel.execute(code)
    assert run.stdout == "héllo\n"
    assert run.result == "(True, False, 'utf-8', '<stderr>', True, True, 6)"


def test_writelines_and_flush(kernel):
    run = kernel.execute("import sys\nsys.stdout.writelines(['a', 'b\\n'])\nsys.stdout.flush()\nprint('c', flush=True)")
    assert run.stdout == "ab\nc\n"


def test_lone_surrogates_are_escaped_not_fatal(kernel):
    run = kernel.execute("print('bad \\udcff end')")
    assert run.status == "ok"
    assert run.stdout == "bad \\udcff end\n"


def test_output_of_a_thread_after_its_cell_comes_with_the_next(kernel):
    kernel.execute("import threading, time\nthreading.Thread(target=lambda: (time.sleep(0.2), print('late'))).start()")
    time.sleep(1)
    assert kernel.execute("print('now')").stdout == "late\nnow\n"


# user_expressions


def test_user_expressions_are_rich_and_errors_are_reported(rich):
    run = rich.execute("ux = 20", user_expressions={"rich": "Rich()", "sum": "ux + 1", "bad": "undefined_ux"})
    exprs = run.content["user_expressions"]
    assert exprs["rich"] == {"status": "ok", "data": {"text/plain": "Rich()", "text/html": "<b>r</b>"}, "metadata": {}}
    assert exprs["sum"]["data"] == {"text/plain": "21"}
    assert (exprs["bad"]["status"], exprs["bad"]["ename"]) == ("error", "NameError")


def test_user_expressions_skipped_after_an_error(kernel):
    run = kernel.execute("1 / 0", user_expressions={"a": "1"})
    assert run.content["user_expressions"] == {}


# complete, inspect, is_complete, history


def complete(kernel, code, cursor_pos=None):
    cursor = len(code) if cursor_pos is None else cursor_pos
    return kernel.request("complete_request", {"code": code, "cursor_pos": cursor})["content"]


def test_complete_in_the_middle_of_a_cell(kernel):
    kernel.execute("completion_target_abc = 1")
    code = "x = completion_tar\nprint(x)"
    content = complete(kernel, code, len("x = completion_tar"))
    assert "completion_target_abc" in content["matches"]
    assert (content["cursor_start"], content["cursor_end"]) == (4, len("x = completion_tar"))


def test_complete_counts_code_points(kernel):
    kernel.execute("données_longues = 1")
    code = "é = 'ü'; données_lo"
    content = complete(kernel, code)
    assert content["matches"] == ["données_longues"]
    assert (content["cursor_start"], content["cursor_end"]) == (len("é = 'ü'; "), len(code))


def test_complete_never_fails(kernel):
    content = complete(kernel, "(((\n'", 999)
    assert content["status"] == "ok" and isinstance(content["matches"], list)


def inspect(kernel, code, cursor_pos=None, detail_level=0):
    cursor = len(code) if cursor_pos is None else cursor_pos
    request = {"code": code, "cursor_pos": cursor, "detail_level": detail_level}
    return kernel.request("inspect_request", request)["content"]


def test_inspect_dotted_name_under_the_cursor(kernel):
    kernel.execute("import os")
    content = inspect(kernel, "os.path.join(a, b)", cursor_pos=len("os.pa"))
    assert content["found"] is True
    assert "Type:" in content["data"]["text/plain"] and "posixpath" in content["data"]["text/plain"]


def test_inspect_the_function_being_called(kernel):
    kernel.execute("def called(alpha, beta=2):\n    'Adds.'\n    return alpha + beta")
    text = inspect(kernel, "called(1, ")["data"]["text/plain"]
    assert "called(alpha, beta=2)" in text and "Adds." in text


def test_inspect_calls_no_property(kernel):
    kernel.execute(
        "class Guarded:\n"
        "    touched = False\n"
        "    @property\n"
        "    def prop(self):\n"
        "        'The guarded property.'\n"
        "        Guarded.touched = True\n"
        "guarded = Guarded()"
    )
    content = inspect(kernel, "guarded.prop")
    assert content["found"] is True and "The guarded property." in content["data"]["text/plain"]
    assert kernel.execute("Guarded.touched").result == "False"


@pytest.mark.parametrize(
    "code, reply",
    [
        ("if x:\n  y", {"status": "incomplete", "indent": "  "}),
        ("class A:\n    def f(self):\n        pass", {"status": "incomplete", "indent": "        "}),
        ("if x:\n  y\n\n", {"status": "complete"}),
        ("for i in range(3):\n    pass\nx = 1", {"status": "complete"}),
        ("x = '''\n  text", {"status": "incomplete", "indent": "  "}),
        ("@decorator", {"status": "incomplete", "indent": ""}),
        ("", {"status": "complete"}),
    ],
)
def test_is_complete_rules(kernel, code, reply):
    assert kernel.request("is_complete_request", {"code": code})["content"] == reply


def history(kernel, **request):
    return kernel.request("history_request", {"output": False, "raw": True, **request})["content"]["history"]


def test_history_search_unique_keeps_latest(kernel):
    counts = [kernel.execute("hist_unique_marker = 1").execution_count for _ in range(2)]
    found = history(kernel, hist_access_type="search", pattern="hist_unique_marker*", unique=True, n=5)
    assert [line for _, line, _ in found] == [counts[-1]]


def test_history_output_is_none_without_a_result(kernel):
    n = kernel.execute("no_result_here = 1").execution_count
    entry = history(kernel, hist_access_type="range", session=0, start=n, stop=n + 1, output=True)
    assert entry == [[1, n, ["no_result_here = 1", None]]]


def test_traceback_line_after_a_form_feed(kernel):
    """Cells split into lines as Python's tokenizer does: a form feed starts no new line."""
    r = kernel.execute("x = 1  # \x0c page break\ndef f():\n    return 1 / 0\nf()")
    assert r.status == "error"
    assert "return 1 / 0" in "\n".join(r.error["traceback"])
