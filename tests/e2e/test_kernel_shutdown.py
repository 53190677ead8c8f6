"""shutdown_request on control: the reply, and a clean exit with status 0."""
import pytest

EXIT_WAIT = 10  # seconds


def test_kernel_manager_shutdown_exits_cleanly(fresh_kernel):
    kernel = fresh_kernel()
    process = kernel.process
    kernel.km.shutdown_kernel(now=False)
    assert process.wait(EXIT_WAIT) == 0


@pytest.mark.parametrize("restart", [False, True])
def test_shutdown_request_replies_then_exits(fresh_kernel, restart):
    kernel = fresh_kernel()
    reply = kernel.request("shutdown_request", {"restart": restart}, channel="control")
    assert reply["msg_type"] == "shutdown_reply"
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["restart"] is restart
    assert kernel.process.wait(EXIT_WAIT) == 0
