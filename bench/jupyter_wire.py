"""A bare Jupyter wire-protocol client on pyzmq: framing, HMAC signing, launching a kernel."""
import hashlib
import hmac
import json
import os
import subprocess
import time
import uuid
from datetime import datetime, timezone

import zmq
from jupyter_client.connect import write_connection_file

DELIMITER = b"<IDS|MSG>"
PROTOCOL_VERSION = "5.3"


def header(msg_type, session):
    """A fresh message header for msg_type in this client session."""
    return {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": session,
        "username": "kiln-test",
        "date": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        "version": PROTOCOL_VERSION,
    }


def sign(key, parts):
    """The hex HMAC-SHA256 of the message parts, b'' when there is no key."""
    if not key:
        return b""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        mac.update(part)
    return mac.hexdigest().encode()


def encode(obj):
    return json.dumps(obj).encode()


class WireClient:
    """DEALER sockets on shell and control and a SUB on iopub, connected to one kernel."""

    def __init__(self, info, reconnect_ms=None):
        key = info["key"]
        self.key = key.encode() if isinstance(key, str) else key
        self.info = info
        self.session = uuid.uuid4().hex
        self.ctx = zmq.Context()
        self.sockets = {
            "shell": self._socket(zmq.DEALER, "shell_port", reconnect_ms),
            "control": self._socket(zmq.DEALER, "control_port", reconnect_ms),
            "iopub": self._socket(zmq.SUB, "iopub_port", reconnect_ms),
        }
        self.sockets["iopub"].setsockopt(zmq.SUBSCRIBE, b"")

    def url(self, port_name):
        return f"{self.info['transport']}://{self.info['ip']}:{self.info[port_name]}"

    def _socket(self, kind, port_name, reconnect_ms):
        sock = self.ctx.socket(kind)
        sock.setsockopt(zmq.LINGER, 0)
        if reconnect_ms is not None:  # a kernel still starting: retry its ports quickly
            sock.setsockopt(zmq.RECONNECT_IVL, reconnect_ms)
        sock.connect(self.url(port_name))
        return sock

    def close(self):
        self.ctx.destroy(linger=0)

    # Sending

    def message(self, msg_type, content, metadata=None):
        return {
            "header": header(msg_type, self.session),
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
        }

    def frames(self, msg, signature=None):
        """The multipart frames of msg; signature replaces the real HMAC when given."""
        parts = [encode(msg[k]) for k in ("header", "parent_header", "metadata", "content")]
        sig = sign(self.key, parts) if signature is None else signature
        return [DELIMITER, sig, *parts]

    def send_frames(self, frames, channel="shell"):
        self.sockets[channel].send_multipart(frames)

    def send(self, msg_type, content, channel="shell", signature=None):
        """Sends a request; returns the message sent (its header identifies the reply)."""
        msg = self.message(msg_type, content)
        self.send_frames(self.frames(msg, signature), channel)
        return msg

    # Receiving

    def recv(self, channel, timeout):
        """The next message on channel, or None after timeout seconds; checks its signature."""
        sock = self.sockets[channel]
        if not sock.poll(timeout * 1000):
            return None
        frames = sock.recv_multipart()
        at = frames.index(DELIMITER)
        sig, *parts = frames[at + 1 : at + 6]
        if sig != sign(self.key, parts):
            raise ValueError(f"bad signature on {channel}: {frames!r:.200}")
        keys = ("header", "parent_header", "metadata", "content")
        msg = {k: json.loads(p) for k, p in zip(keys, parts)}
        msg["buffers"] = frames[at + 6 :]
        msg["msg_type"] = msg["header"]["msg_type"]
        return msg

    def reply_to(self, msg, channel="shell", timeout=30):
        """The reply to msg on channel; messages answering other requests are skipped."""
        msg_id = msg["header"]["msg_id"]
        for reply in self._messages(channel, timeout):
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply
        raise TimeoutError(f"no reply to {msg['header']['msg_type']} on {channel} in {timeout}s")

    def iopub_until_idle(self, msg, timeout=30):
        """The iopub messages whose parent is msg, up to and including its status idle."""
        msg_id = msg["header"]["msg_id"]
        seen = []
        for out in self._messages("iopub", timeout):
            if out["parent_header"].get("msg_id") != msg_id:
                continue
            seen.append(out)
            if out["msg_type"] == "status" and out["content"]["execution_state"] == "idle":
                return seen
        raise TimeoutError(f"no idle for {msg['header']['msg_type']} in {timeout}s: {seen}")

    def _messages(self, channel, timeout):
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            msg = self.recv(channel, left)
            if msg is not None:
                yield msg

    def request(self, msg_type, content, channel="shell", timeout=30):
        """Sends a request and returns its reply."""
        return self.reply_to(self.send(msg_type, content, channel), channel, timeout)

    def execute(self, code, timeout=30, **options):
        """Runs code; returns (reply, iopub messages up to idle)."""
        msg = self.send("execute_request", execute_content(code, **options))
        outputs = self.iopub_until_idle(msg, timeout)
        return self.reply_to(msg, "shell", timeout), outputs

    def wait_for_iopub(self, timeout=60):
        """Sends kernel_info until iopub carries a message: the subscription is live."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = self.send("kernel_info_request", {})
            if self.recv("iopub", 0.2) is not None:
                self.reply_to(msg, "shell", timeout)
                self.drain("iopub", 0.2)
                return
        raise TimeoutError(f"iopub silent for {timeout}s")

    def drain(self, channel, quiet=0.1):
        """Drops what arrives on channel until it has been quiet for `quiet` seconds."""
        while self.recv(channel, quiet) is not None:
            pass

    def heartbeat(self, timeout=10):
        """True when the heartbeat echoes a ping within timeout seconds."""
        sock = self.ctx.socket(zmq.REQ)
        sock.setsockopt(zmq.LINGER, 0)
        sock.connect(self.url("hb_port"))
        try:
            sock.send(b"ping")
            return bool(sock.poll(timeout * 1000)) and sock.recv() == b"ping"
        finally:
            sock.close()


def execute_content(code, **options):
    content = {
        "code": code,
        "silent": False,
        "store_history": True,
        "user_expressions": {},
        "allow_stdin": False,
        "stop_on_error": True,
    }
    content.update(options)
    return content


# Launching a kernel from its kernelspec, as a notebook server would.


def new_connection_file(path):
    """Writes a connection file with free ports and a fresh key; returns its contents."""
    _, info = write_connection_file(str(path), ip="127.0.0.1", key=uuid.uuid4().hex.encode())
    return info


def kernel_argv(kernel_json, connection_file):
    with open(kernel_json) as f:
        spec = json.load(f)
    return [arg.replace("{connection_file}", str(connection_file)) for arg in spec["argv"]]


def launch(kernel_json, connection_file, **popen_options):
    """Starts the kernel a kernel.json describes on connection_file; returns its Popen."""
    argv = kernel_argv(kernel_json, connection_file)
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, env=dict(os.environ), **popen_options)


def shut_down(client, proc, timeout=10):
    """Asks the kernel to exit on control; kills it when it does not. Returns its exit code."""
    try:
        client.request("shutdown_request", {"restart": False}, "control", timeout)
    except TimeoutError:
        pass
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()
