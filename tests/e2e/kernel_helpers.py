"""Drives a kernel through jupyter_client for the e2e tests: start, send, collect replies and iopub."""
import collections
import queue
import re
import time

from jupyter_client import KernelManager

from jupyter_wire import WireClient

TIMEOUT = 60  # seconds; the test machine is small and shared, so every wait is generous
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text):
    return ANSI.sub("", text)


class Run:
    """What one execute_request produced: its reply and its iopub messages, up to idle."""

    def __init__(self, reply, iopub):
        self.reply = reply
        self.iopub = iopub

    @property
    def content(self):
        return self.reply["content"]

    @property
    def status(self):
        return self.content["status"]

    @property
    def execution_count(self):
        return self.content["execution_count"]

    def types(self):
        return [m["msg_type"] for m in self.iopub]

    def of_type(self, msg_type):
        return [m["content"] for m in self.iopub if m["msg_type"] == msg_type]

    def stream(self, name):
        return "".join(c["text"] for c in self.of_type("stream") if c["name"] == name)

    @property
    def stdout(self):
        return self.stream("stdout")

    @property
    def stderr(self):
        return self.stream("stderr")

    @property
    def displays(self):
        return [c["data"] for c in self.of_type("display_data")]

    @property
    def result(self):
        """The text/plain of the cell's one execute_result."""
        (result,) = self.of_type("execute_result")
        return result["data"]["text/plain"]

    @property
    def error(self):
        (error,) = self.of_type("error")
        return error

    def __repr__(self):
        return f"Run(reply={self.content!r}, iopub={[(m['msg_type'], m['content']) for m in self.iopub]!r:.2000})"


class Kernel:
    """One kernel started by a KernelManager, with a blocking client on all its channels."""

    def __init__(self, kernel_name="kiln", startup_timeout=TIMEOUT):
        self.km = KernelManager(kernel_name=kernel_name)
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=startup_timeout)
        self._stash = collections.defaultdict(dict)  # channel -> parent msg_id -> deque

    @property
    def process(self):
        return self.km.provisioner.process

    def stop(self):
        self.kc.stop_channels()
        if self.km.has_kernel:
            self.km.shutdown_kernel(now=True)

    def wire(self, **options):
        """A raw pyzmq client on this kernel's ports."""
        return WireClient(self.km.get_connection_info(), **options)

    # Requests

    def send(self, msg_type, content, channel="shell"):
        """Sends a request without waiting; returns its msg_id."""
        msg = self.kc.session.msg(msg_type, content)
        getattr(self.kc, f"{channel}_channel").send(msg)
        return msg["header"]["msg_id"]

    def request(self, msg_type, content=None, channel="shell", timeout=TIMEOUT):
        """Sends a request and returns its reply."""
        msg_id = self.send(msg_type, content or {}, channel)
        return self.next(channel, msg_id, timeout)

    def send_execute(self, code, **options):
        """Sends an execute_request without waiting; returns its msg_id."""
        options.setdefault("allow_stdin", False)
        return self.kc.execute(code, **options)

    def finish(self, msg_id, timeout=TIMEOUT):
        """The Run of an execute_request already sent."""
        iopub = self.iopub_until_idle(msg_id, timeout)
        return Run(self.next("shell", msg_id, timeout), iopub)

    def execute(self, code, timeout=TIMEOUT, **options):
        return self.finish(self.send_execute(code, **options), timeout)

    # Receiving, by parent: messages for other requests wait in a stash for their turn

    def next(self, channel, parent_id, timeout=TIMEOUT):
        """The next message on channel whose parent is parent_id."""
        waiting = self._stash[channel].setdefault(parent_id, collections.deque())
        deadline = time.monotonic() + timeout
        while not waiting:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"nothing on {channel} for {parent_id} in {timeout}s")
            try:
                msg = getattr(self.kc, f"get_{channel}_msg")(timeout=left)
            except queue.Empty:
                continue
            parent = msg["parent_header"].get("msg_id")
            self._stash[channel].setdefault(parent, collections.deque()).append(msg)
        return waiting.popleft()

    def iopub_until_idle(self, parent_id, timeout=TIMEOUT):
        """The iopub messages whose parent is parent_id, up to and including status idle."""
        deadline = time.monotonic() + timeout
        seen = []
        while not seen or not is_idle(seen[-1]):
            seen.append(self.next("iopub", parent_id, deadline - time.monotonic()))
        return seen

    def wait_until_running(self, msg_id, timeout=TIMEOUT):
        """Returns once the kernel has published execute_input for msg_id."""
        while self.next("iopub", msg_id, timeout)["msg_type"] != "execute_input":
            pass


def is_idle(msg):
    return msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
