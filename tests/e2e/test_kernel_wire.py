"""Raw-socket security and robustness: bad signatures are dropped, malformed frames do not hurt the kernel."""
import json

import pytest

from jupyter_wire import DELIMITER, execute_content, sign

SLOW = 120  # seconds for the kernel to get through a 20 MB message on a small machine


@pytest.fixture
def wire(fresh_kernel):
    client = fresh_kernel().wire()
    client.wait_for_iopub()
    yield client
    client.close()


def assert_still_serving(wire, timeout=60):
    assert wire.request("kernel_info_request", {}, timeout=timeout)["content"]["status"] == "ok"
    reply, iopub = wire.execute("1 + 1", timeout=timeout)
    assert reply["content"]["status"] == "ok"
    results = [m["content"]["data"]["text/plain"] for m in iopub if m["msg_type"] == "execute_result"]
    assert results == ["2"]


def touch_code(path):
    return f"open({str(path)!r}, 'w').close()"


def test_signed_request_runs(wire, tmp_path):
    """The control for the tests below: a well signed request that touches the marker does touch it."""
    marker = tmp_path / "marker"
    wire.execute(touch_code(marker))
    assert marker.exists()


SIGNATURES = {  # how a request's signature is spoiled, from its signed parts
    "wrong-key": lambda parts: sign(b"not the key", parts),
    "unsigned": lambda parts: b"",
    "garbage": lambda parts: b"zz" * 32,
    "truncated": lambda parts: b"0" * 63,
}


@pytest.mark.parametrize("spoil", SIGNATURES.values(), ids=SIGNATURES.keys())
def test_badly_signed_request_is_not_run(wire, tmp_path, spoil):
    marker = tmp_path / "marker"
    msg = wire.message("execute_request", execute_content(touch_code(marker)))
    frames = wire.frames(msg)
    wire.send_frames(frames[:1] + [spoil(frames[2:])] + frames[2:])
    assert_still_serving(wire)  # shell is in order: had it run, the marker would be there now
    assert not marker.exists()


def signed(wire, *parts):
    return [DELIMITER, sign(wire.key, parts), *parts]


def header_bytes(wire, msg_type="execute_request"):
    return json.dumps(wire.message(msg_type, {})["header"]).encode()


CONTENT = json.dumps(execute_content("1")).encode()

MALFORMED = {  # name: frames from the client (its identity is added by the socket)
    "delimiter-only": lambda w: [DELIMITER],
    "delimiter-and-signature": lambda w: [DELIMITER, sign(w.key, [])],
    "no-delimiter": lambda w: [b"\xff\xfe", b"garbage"],
    "missing-content": lambda w: signed(w, header_bytes(w), b"{}", b"{}"),
    "header-not-json": lambda w: signed(w, b'{"msg_type": ', b"{}", b"{}", CONTENT),
    "header-a-list": lambda w: signed(w, b"[1, 2]", b"{}", b"{}", CONTENT),
    "header-without-msg-type": lambda w: signed(w, b'{"msg_id": "x"}', b"{}", b"{}", CONTENT),
    "content-not-json": lambda w: signed(w, header_bytes(w), b"{}", b"{}", b"\x00not json"),
    "content-a-list": lambda w: signed(w, header_bytes(w), b"{}", b"{}", b"[1, 2]"),
    "unknown-msg-type": lambda w: signed(w, header_bytes(w, "kiln_bogus_request"), b"{}", b"{}", b"{}"),
    "invalid-utf8": lambda w: signed(w, header_bytes(w), b"{}", b"{}", b'{"code": "\xff\xfe"}'),
}


CASES = [(name, "shell") for name in MALFORMED]
CASES += [(name, "control") for name in ("delimiter-only", "header-not-json", "content-a-list")]


@pytest.mark.parametrize("name, channel", CASES, ids=[f"{c}-{n}" for n, c in CASES])
def test_malformed_message_is_survived(wire, name, channel):
    wire.send_frames(MALFORMED[name](wire), channel)
    assert_still_serving(wire)


def test_code_not_a_string_gets_error_reply(wire):
    reply = wire.request("execute_request", execute_content(42))
    assert reply["msg_type"] == "execute_reply"
    assert reply["content"]["status"] == "error"
    assert_still_serving(wire)


def test_twenty_megabyte_message_is_survived(wire):
    size = 20 * 1000 * 1000
    wire.send("execute_request", execute_content(f"big = '{'x' * size}'\nlen(big)"))
    assert_still_serving(wire, timeout=SLOW)
