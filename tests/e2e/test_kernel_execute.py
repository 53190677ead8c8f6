"""execute_request semantics: counts, results, In/Out, errors, silent, store_history, user_expressions, stop_on_error."""
import pytest

from kernel_helpers import strip_ansi


def test_execute_input_carries_code_and_count(kernel):
    run = kernel.execute("answer = 5")
    assert run.status == "ok"
    assert run.types()[:2] == ["status", "execute_input"]
    (execute_input,) = run.of_type("execute_input")
    assert execute_input == {"code": "answer = 5", "execution_count": run.execution_count}


def test_counts_increase_by_one(kernel):
    first = kernel.execute("1").execution_count
    assert kernel.execute("2").execution_count == first + 1


def test_trailing_expression_is_execute_result(kernel):
    run = kernel.execute("6 * 7")
    (result,) = run.of_type("execute_result")
    assert result["data"]["text/plain"] == "42"
    assert result["execution_count"] == run.execution_count


@pytest.mark.parametrize("code", ["None", "x = 1", "def f():\n    pass", "print('p')"])
def test_no_execute_result_without_a_value(kernel, code):
    assert kernel.execute(code).of_type("execute_result") == []


def test_underscores_and_in_out(kernel):
    first = kernel.execute("111").execution_count
    kernel.execute("222")
    run = kernel.execute(f"print(_, __, Out[{first}], In[{first}].strip())")
    assert run.stdout == "222 111 111 111\n"


def test_error_reply_and_traceback_show_the_line(kernel):
    run = kernel.execute("x = 1\nraise ValueError('boom here')")
    assert run.status == "error"
    assert (run.content["ename"], run.content["evalue"]) == ("ValueError", "boom here")
    error = run.error
    assert (error["ename"], error["evalue"]) == ("ValueError", "boom here")
    assert isinstance(error["traceback"], list)
    assert "raise ValueError('boom here')" in strip_ansi("\n".join(error["traceback"]))


def test_traceback_shows_line_of_earlier_cell(kernel):
    kernel.execute("def explode():\n    raise RuntimeError('kaboom')")
    run = kernel.execute("explode()")
    assert run.content["ename"] == "RuntimeError"
    assert "raise RuntimeError('kaboom')" in strip_ansi("\n".join(run.error["traceback"]))


def test_getsource_of_function_from_earlier_cell(kernel):
    kernel.execute("def plus_one(x):\n    return x + 1")
    run = kernel.execute("import inspect\nprint(inspect.getsource(plus_one))")
    assert run.stdout.startswith("def plus_one(x):\n    return x + 1\n")


def test_silent_outputs_nothing_and_does_not_count(kernel):
    before = kernel.execute("1").execution_count
    run = kernel.execute("print('hidden')\n99", silent=True)
    assert run.status == "ok"
    assert run.types() == ["status", "status"]
    assert kernel.execute("2").execution_count == before + 1


def test_store_history_false_does_not_count(kernel):
    before = kernel.execute("1").execution_count
    run = kernel.execute("print('shown')", store_history=False)
    assert run.stdout == "shown\n"
    assert kernel.execute("2").execution_count == before + 1


def test_user_expressions(kernel):
    run = kernel.execute("pass", user_expressions={"a": "1+1", "b": "1/0"})
    exprs = run.content["user_expressions"]
    assert exprs["a"]["status"] == "ok"
    assert exprs["a"]["data"]["text/plain"] == "2"
    assert exprs["b"]["status"] == "error"
    assert exprs["b"]["ename"] == "ZeroDivisionError"


def send_failing_then_two(kernel, tag, stop_on_error):
    """Sends a cell that fails after a pause and, without waiting, two more; returns the three replies."""
    failing = kernel.send_execute(
        "import time\ntime.sleep(1)\nraise ValueError('first')", stop_on_error=stop_on_error
    )
    queued = [kernel.send_execute(f"{tag}_{i} = {i}") for i in (1, 2)]
    return [kernel.next("shell", msg_id)["content"]["status"] for msg_id in [failing, *queued]]


def test_stop_on_error_aborts_queued_requests(kernel):
    assert send_failing_then_two(kernel, "aborted", stop_on_error=True) == ["error", "aborted", "aborted"]
    assert kernel.execute("'aborted_1' in dir() or 'aborted_2' in dir()").result == "False"


def test_without_stop_on_error_queued_requests_run(kernel):
    assert send_failing_then_two(kernel, "ran", stop_on_error=False) == ["error", "ok", "ok"]
    assert kernel.execute("ran_1 + ran_2").result == "3"
