"""input() and getpass through the stdin channel, and their refusal when the client allows no stdin."""


def answer_input(kernel, code, answer):
    """Runs code that asks for one line; returns (the input_request's content, the Run)."""
    msg_id = kernel.send_execute(code, allow_stdin=True)
    request = kernel.next("stdin", msg_id)
    assert request["msg_type"] == "input_request"
    kernel.kc.input(answer)
    return request["content"], kernel.finish(msg_id)


def test_input_asks_the_client(kernel):
    request, run = answer_input(kernel, "name = input('Name: ')\nprint('hello', name)", "kiln")
    assert request == {"prompt": "Name: ", "password": False}
    assert run.status == "ok"
    assert "hello kiln\n" in run.stdout


def test_getpass_asks_for_a_password(kernel):
    code = "import getpass\nsecret = getpass.getpass('Secret: ')\nlen(secret)"
    request, run = answer_input(kernel, code, "abcd")
    assert request == {"prompt": "Secret: ", "password": True}
    assert run.result == "4"


def test_input_without_allow_stdin_is_an_error(kernel):
    run = kernel.execute("input('never answered: ')", allow_stdin=False)
    assert run.status == "error"
    assert kernel.execute("1 + 1").result == "2"
