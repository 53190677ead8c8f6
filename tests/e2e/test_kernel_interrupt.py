"""Interrupts by signal and by message, SIGINT while idle, and the threads that answer while a cell runs."""
import signal
import time

import pytest

BUSY = "while True:\n    pass"
SLEEP = "import time\ntime.sleep(60)"
SUM_LOOP = "total = 0\nfor i in range(200000):\n    total += i\ntotal"


def start_running(kernel, code):
    """Sends code and returns its msg_id once the kernel has started it."""
    msg_id = kernel.send_execute(code)
    kernel.wait_until_running(msg_id)
    time.sleep(0.5)  # let it get into the loop or the sleep
    return msg_id


@pytest.mark.parametrize("spec", ["kiln", "kiln-message"])
@pytest.mark.parametrize("code", [BUSY, SLEEP], ids=["busy-loop", "sleep"])
def test_interrupt_raises_keyboard_interrupt(fresh_kernel, spec, code):
    kernel = fresh_kernel(spec)
    kernel.execute("kept = 7")
    msg_id = start_running(kernel, code)
    kernel.km.interrupt_kernel()
    run = kernel.finish(msg_id, timeout=40)  # well before the sleep would end by itself
    assert run.status == "error"
    assert run.content["ename"] == "KeyboardInterrupt"
    assert run.error["ename"] == "KeyboardInterrupt"
    assert kernel.execute("1 + 1").result == "2"
    assert kernel.execute("kept").result == "7"


def test_sigint_while_idle_is_harmless(fresh_kernel):
    kernel = fresh_kernel()
    kernel.km.signal_kernel(signal.SIGINT)
    time.sleep(1)
    assert kernel.process.poll() is None
    for code, result in [("x = 40\nx + 2", "42"), (SUM_LOOP, str(sum(range(200000))))]:
        run = kernel.execute(code)
        assert run.status == "ok", run  # a KeyboardInterrupt left pending would surface here
        assert run.result == result


def test_heartbeat_and_control_answer_while_cell_runs(fresh_kernel):
    kernel = fresh_kernel()
    wire = kernel.wire()
    try:
        msg_id = start_running(kernel, BUSY)
        assert wire.heartbeat(timeout=10)
        reply = kernel.request("kernel_info_request", channel="control", timeout=10)
        assert reply["content"]["status"] == "ok"
        kernel.km.interrupt_kernel()
        assert kernel.finish(msg_id).content["ename"] == "KeyboardInterrupt"
    finally:
        wire.close()
