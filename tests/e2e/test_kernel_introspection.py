"""complete, inspect, is_complete, history and comm requests."""
import uuid

import pytest

from kernel_helpers import strip_ansi


def complete(kernel, code):
    content = kernel.request("complete_request", {"code": code, "cursor_pos": len(code)})["content"]
    assert content["status"] == "ok"
    return content


def test_complete_attribute_of_module(kernel):
    code = "import os\nos.pa"
    content = complete(kernel, code)
    found = [m for m in content["matches"] if m in ("os.path", "path")]
    assert found, content
    assert content["cursor_end"] == len(code)
    assert 0 <= content["cursor_start"] <= content["cursor_end"]
    assert found[0].startswith(code[content["cursor_start"] : content["cursor_end"]])


def test_complete_names_of_namespace(kernel):
    kernel.execute("kiln_unique_name = 1")
    content = complete(kernel, "x = kiln_uniq")
    assert "kiln_unique_name" in content["matches"]
    assert content["cursor_start"] == len("x = ")


def inspect(kernel, code, detail_level=0):
    request = {"code": code, "cursor_pos": len(code), "detail_level": detail_level}
    content = kernel.request("inspect_request", request)["content"]
    assert content["status"] == "ok"
    return content


def test_inspect_builtin_shows_docstring(kernel):
    content = inspect(kernel, "len")
    assert content["found"] is True
    assert "Return the number of items in a container" in strip_ansi(content["data"]["text/plain"])


def test_inspect_detail_shows_source_of_cell_function(kernel):
    kernel.execute('def documented(a):\n    """Doubles a."""\n    return a * 2')
    content = inspect(kernel, "documented", detail_level=1)
    assert content["found"] is True
    assert "return a * 2" in strip_ansi(content["data"]["text/plain"])


def test_inspect_unknown_name_not_found(kernel):
    assert inspect(kernel, "no_such_name_in_kiln")["found"] is False


@pytest.mark.parametrize(
    "code, status",
    [("x = 1", "complete"), ("def f():", "incomplete"), ("x = (", "incomplete"), ("1 +* 2", "invalid"),
     ("%timeit f(1)", "complete"), ("for i in x:\n    %time f(i)", "incomplete")],
)
def test_is_complete(kernel, code, status):
    content = kernel.request("is_complete_request", {"code": code})["content"]
    assert content["status"] == status
    if code == "def f():":
        assert content["indent"] == "    "


def history(kernel, **request):
    content = kernel.request("history_request", {"output": False, "raw": True, **request})["content"]
    assert content["status"] == "ok"
    return content["history"]


def run_cells(kernel, prefix):
    """Runs three cells; returns their (execution_count, code) pairs."""
    codes = [f"{prefix}_{i} = {i}" for i in range(3)]
    return [(kernel.execute(code).execution_count, code) for code in codes]


def test_history_tail(kernel):
    cells = run_cells(kernel, "tail")
    assert [(line, code) for _, line, code in history(kernel, hist_access_type="tail", n=3)] == cells


def test_history_range(kernel):
    cells = run_cells(kernel, "ranged")
    request = {"hist_access_type": "range", "session": 0, "start": cells[0][0], "stop": cells[-1][0] + 1}
    assert [(line, code) for _, line, code in history(kernel, **request)] == cells


def test_history_search(kernel):
    cells = run_cells(kernel, "searched_marker")
    found = history(kernel, hist_access_type="search", pattern="searched_marker_*", n=10)
    assert [code for _, _, code in found][-3:] == [code for _, code in cells]


def test_history_with_output(kernel):
    kernel.execute("hist_value = 41")
    count = kernel.execute("hist_value + 1").execution_count
    (entry,) = history(kernel, hist_access_type="tail", n=1, output=True)
    assert entry[1:] == [count, ["hist_value + 1", "42"]]


def test_comm_info_has_no_comms(kernel):
    content = kernel.request("comm_info_request")["content"]
    assert content == {"status": "ok", "comms": {}}


def test_comm_messages_for_unknown_target_are_survived(kernel):
    comm_id = uuid.uuid4().hex
    kernel.send("comm_open", {"comm_id": comm_id, "target_name": "kiln.no_such_target", "data": {}})
    kernel.send("comm_msg", {"comm_id": comm_id, "data": {"x": 1}})
    kernel.send("comm_close", {"comm_id": comm_id, "data": {}})
    assert kernel.request("kernel_info_request")["content"]["status"] == "ok"
    assert kernel.execute("1 + 1").result == "2"
