"""The kernelspec install, kernel_info on shell and control, status starting, busy/idle around every request."""
import json
import platform

import pytest

from jupyter_wire import WireClient, execute_content, launch, new_connection_file, shut_down


def load_spec(folder):
    return json.loads((folder / "kernel.json").read_text())


def test_install_writes_kernelspec_with_own_path_and_logos(kernelspec, kernel_binary):
    spec = load_spec(kernelspec)
    assert spec["argv"][0] == str(kernel_binary)
    assert "{connection_file}" in spec["argv"]
    assert spec["language"] == "python"
    assert spec["display_name"]
    assert spec["interrupt_mode"] == "signal"
    for size in (32, 64):
        logo = kernelspec / f"logo-{size}x{size}.png"
        assert logo.read_bytes().startswith(b"\x89PNG"), logo


def test_install_interrupt_mode_message(jupyter_path):
    assert load_spec(jupyter_path / "kernels" / "kiln-message")["interrupt_mode"] == "message"


@pytest.mark.parametrize("channel", ["shell", "control"])
def test_kernel_info_reply(kernel, channel):
    reply = kernel.request("kernel_info_request", channel=channel)
    assert reply["msg_type"] == "kernel_info_reply"
    info = reply["content"]
    assert info["status"] == "ok"
    assert info["protocol_version"] == "5.3"
    assert info["implementation"] == "kiln"
    assert info["implementation_version"]
    assert isinstance(info["banner"], str) and info["banner"]
    assert all(link["text"] and link["url"] for link in info["help_links"])
    lang = info["language_info"]
    assert lang["name"] == "python"
    assert lang["version"] == platform.python_version()  # the tests run on the embedded python
    assert lang["version"].startswith("3.11.")
    assert lang["mimetype"] == "text/x-python"
    assert lang["file_extension"] == ".py"
    assert lang["pygments_lexer"]
    assert lang["codemirror_mode"]
    assert lang["nbconvert_exporter"] == "python"


def test_status_starting_published_once(kernelspec, tmp_path):
    """A client subscribed before the launch sees status 'starting' once, before anything else."""
    info = new_connection_file(tmp_path / "connection.json")
    client = WireClient(info, reconnect_ms=1)
    proc = launch(kernelspec / "kernel.json", tmp_path / "connection.json")
    try:
        msg = client.send("kernel_info_request", {})
        client.reply_to(msg, timeout=60)
        statuses = []
        while not statuses or statuses[-1] != ("idle", msg["header"]["msg_id"]):
            out = client.recv("iopub", 30)
            assert out is not None, f"iopub statuses so far: {statuses}"
            if out["msg_type"] == "status":
                statuses.append((out["content"]["execution_state"], out["parent_header"].get("msg_id")))
        assert [s for s, _ in statuses].count("starting") == 1, statuses
        assert statuses[0][0] == "starting", statuses
    finally:
        shut_down(client, proc)
        client.close()


REQUESTS = {
    "execute": ("shell", "execute_request", execute_content("1 + 1")),
    "kernel_info": ("shell", "kernel_info_request", {}),
    "complete": ("shell", "complete_request", {"code": "pri", "cursor_pos": 3}),
    "inspect": ("shell", "inspect_request", {"code": "len", "cursor_pos": 3, "detail_level": 0}),
    "is_complete": ("shell", "is_complete_request", {"code": "x = 1"}),
    "history": ("shell", "history_request", {"hist_access_type": "tail", "n": 1, "output": False, "raw": True}),
    "comm_info": ("shell", "comm_info_request", {}),
    "control_kernel_info": ("control", "kernel_info_request", {}),
}


@pytest.fixture(scope="module")
def wire(kernel):
    client = kernel.wire()
    client.wait_for_iopub()
    yield client
    client.close()


@pytest.mark.parametrize("channel, msg_type, content", REQUESTS.values(), ids=REQUESTS.keys())
def test_busy_idle_around_request(wire, channel, msg_type, content):
    msg = wire.send(msg_type, content, channel)
    iopub = wire.iopub_until_idle(msg)
    reply = wire.reply_to(msg, channel)
    statuses = [m for m in iopub if m["msg_type"] == "status"]
    assert iopub[0] is statuses[0], "busy must come before anything else for the request"
    assert [s["content"]["execution_state"] for s in statuses] == ["busy", "idle"]
    assert all(s["parent_header"] == msg["header"] for s in statuses)
    assert reply["msg_type"] == msg_type.replace("_request", "_reply")
    assert reply["parent_header"] == msg["header"]
    # Idle is made before the reply and sent first: it has the iopub thread to cross, the reply not
    assert statuses[-1]["header"]["date"] <= reply["header"]["date"]
    assert reply["header"]["version"] == "5.3"
    assert reply["content"]["status"] == ("complete" if msg_type == "is_complete_request" else "ok")


def test_heartbeat_echoes(wire):
    assert wire.heartbeat()
