"""The `kiln` prompt on a terminal: readline editing, indentation, completion, Ctrl-C, history, report, magics."""
import os
import pty
import re
import select
import signal
import time

import pytest

TIMEOUT = 60  # seconds; generous, the test machine is small and shared
SPIN = "@njit\ndef spin():\n    x = 0\n    while True:\n        x += 1\n    return x\n"
ADD = "from kiln import njit\n@njit\ndef add(a, b):\n    return a + b\n\n"


class Terminal:
    """kiln on a pseudo-terminal of its own, typed at as a person would."""

    def __init__(self, kiln, env, *args):
        self.seen = b""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: kiln, with the pty as its controlling terminal
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                os.execve(kiln, [kiln, *args], env)
            finally:
                os._exit(127)
        self.expect(b">>> ")

    def type(self, text):
        os.write(self.fd, text.encode())

    def expect(self, marker, timeout=TIMEOUT):
        """Reads until marker (bytes, or a compiled regex) shows up in what is new; returns what is new."""
        start = len(self.seen)
        deadline = time.monotonic() + timeout
        while not self._found(marker, start):
            left = deadline - time.monotonic()
            assert left > 0, f"no {marker!r} in {self.seen[start:]!r}"
            if select.select([self.fd], [], [], left)[0]:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # the pty's other end closed: kiln ended
                    chunk = b""
                assert chunk, f"end of output before {marker!r}: {self.seen[start:]!r}"
                self.seen += chunk
        return self.seen[start:]

    def _found(self, marker, start):
        if isinstance(marker, bytes):
            return marker in self.seen[start:]
        return marker.search(self.seen, start) is not None

    def run(self, line):
        """Types a line at >>> and returns its output, up to the next >>>."""
        self.type(line + "\n")
        return self.expect(b">>> ")

    def paste(self, code):
        """Types several lines at once; returns when all have run (a sum only their end shows)."""
        self.type(code + "6 * 7000\n")
        return self.expect(b"42000\r\n>>> ")

    def exit_status(self):
        """Waits for kiln to end (after Ctrl-D, exit(), ...); returns its exit status."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.pid = 0
                return os.waitstatus_to_exitcode(status)
            if select.select([self.fd], [], [], 0.1)[0]:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:
                    pass
        raise AssertionError(f"kiln did not end: {self.seen[-400:]!r}")

    def close(self):
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.fixture
def terminal_env(tmp_path):
    """A dumb terminal (no escape sequences to read past), a home and a history file of the test's own."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(TERM="dumb", HOME=str(tmp_path), KILN_HISTORY=str(tmp_path / "history"), INPUTRC="/dev/null")
    return env


@pytest.fixture
def terminal(kiln, terminal_env):
    """Starts kiln on a terminal: terminal(*args, **environment)."""
    started = []

    def start(*args, **env):
        started.append(Terminal(kiln, {**terminal_env, **env}, *args))
        return started[-1]

    yield start
    for t in started:
        t.close()


# Lines and cells


def test_results_underscore_and_errors(terminal):
    t = terminal()
    assert t.run("6 * 7") == b"6 * 7\r\n42\r\n>>> "
    assert b"43\r\n" in t.run("_ + 1")
    out = t.run("1 / 0")
    assert b"Traceback (most recent call last):" in out and b"ZeroDivisionError: division by zero" in out
    t.type("\x04")  # Ctrl-D at an empty prompt leaves
    assert t.exit_status() == 0


def test_multi_line_def_carries_its_indentation(terminal):
    t = terminal()
    t.type("def f():\n")
    t.expect(b"...     ")  # the body's indentation is typed for us
    t.type("return 40\n")
    t.expect(b"...     ")
    t.type("\n")  # a line of the carried indentation alone ends the block
    t.expect(b">>> ")
    assert b"42\r\n" in t.run("f() + 2")


def test_typed_indentation_replaces_the_carried_one(terminal):
    t = terminal()
    t.type("def g():\n")
    t.expect(b"...     ")
    t.type("    return 'typed'\n")  # indented by hand, as at python's prompt
    t.expect(b"... ")
    t.type("\n")
    t.expect(b">>> ")
    assert b"'typed'\r\n" in t.run("g()")


def test_pasted_block_keeps_its_own_indentation(terminal):
    t = terminal()
    out = t.paste("if False:\n    x = 1\nelse:\n    x = 2\n\nx * 21\n")
    assert b"\r\n42\r\n" in out and b"Error" not in out


def test_input_is_read_at_the_prompt(terminal):
    t = terminal()
    t.type("name = input('name? ')\n")
    t.expect(b"name? ")
    t.type("kiln\n")
    t.expect(b">>> ")
    assert b"'KILN'\r\n" in t.run("name.upper()")


@pytest.mark.parametrize("leave, status", [("exit()", 0), ("quit()", 0), ("exit(3)", 3)])
def test_exit_and_quit_leave(terminal, leave, status):
    t = terminal()
    t.type(leave + "\n")
    assert t.exit_status() == status


def test_output_shows_before_the_cell_ends(terminal):
    t = terminal()
    t.type("import time; print('part' + 'ial', end=''); time.sleep(600)\n")
    t.expect(b"partial", timeout=30)  # no newline, no flush: unbuffered
    t.type("\x03")
    t.expect(b"KeyboardInterrupt\r\n>>> ")


# Completion


@pytest.mark.parametrize(
    "setup, prefix, rest, result",
    [
        ("unique_kiln_name = 41", "unique_kiln_n", " + 1", b"42"),
        ("import os", "os.path.isab", "('/')", b"True"),
    ],
    ids=["name", "attribute"],
)
def test_tab_completes(terminal, setup, prefix, rest, result):
    t = terminal()
    t.run(setup)
    t.type(prefix + "\t")  # completed before the rest is read: the line runs only if it was
    assert result + b"\r\n" in t.run(rest)


def test_tab_on_a_blank_line_indents(terminal):
    t = terminal()
    t.type("if True:\n")
    t.expect(b"...     ")
    t.type("\b\b\b\b\tresult = 'tab'\n\n")  # the carried indentation rubbed out, Tab puts it back
    t.expect(b">>> ")
    assert b"'tab'\r\n" in t.run("result")


# Ctrl-C


def test_ctrl_c_stops_a_compiled_loop_and_keeps_variables(terminal):
    t = terminal()
    t.paste("kept = 7\nfrom kiln import njit\n" + SPIN + "\n")
    t.run("spin.compile(())")
    t.type("print('running'); spin()\n")
    t.expect(b"running\r\n")
    time.sleep(0.5)  # into the loop
    t.type("\x03")  # the terminal sends SIGINT to kiln
    out = t.expect(b"KeyboardInterrupt\r\n>>> ")
    assert b"Traceback (most recent call last):" in out
    assert b"42\r\n" in t.run("kept * 6")


def test_ctrl_c_at_the_prompt_cancels_the_input(terminal):
    t = terminal()
    t.type("half = 'typed")
    t.expect(b"half = 'typed")
    t.type("\x03")
    t.expect(b"\r\nKeyboardInterrupt\r\n>>> ")
    t.type("def never():\n")
    t.expect(b"...     ")
    t.type("\x03")  # a cell half typed is dropped too
    t.expect(b"KeyboardInterrupt\r\n>>> ")
    assert b"2\r\n>>> " in t.run("1 + 1")
    assert b"NameError" in t.run("half")
    t.type("\x04")
    assert t.exit_status() == 0


# History


def test_history_is_kept_across_runs(terminal, tmp_path):
    first = terminal()
    first.run("history_marker = 21")
    first.type("def twice(x):\n")
    first.expect(b"...     ")
    first.type("return 2 * x\n\n")
    first.expect(b">>> ")
    first.type("\x04")
    assert first.exit_status() == 0
    assert "history_marker = 21" in (tmp_path / "history").read_text()

    second = terminal()
    second.type("\x10\x10\n")  # Ctrl-P twice: the first run's first cell
    second.expect(b">>> ")
    second.type("\x10\x10\n")  # the def, its two lines as one entry
    second.expect(b"... ")
    second.type("\n")
    second.expect(b">>> ")
    assert b"42\r\n" in second.run("twice(history_marker)")


def test_history_file_keeps_the_last_1000_cells(terminal, tmp_path):
    path = tmp_path / "history"
    path.write_text("".join(f"#{1700000000 + i}\nold_{i} = {i}\n" for i in range(1500)))
    t = terminal()
    t.run("newest = 1")
    t.type("\x04")
    assert t.exit_status() == 0
    cells = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    assert len(cells) == 1000
    assert cells[0] == "old_501 = 501" and cells[-1] == "newest = 1"


def test_history_file_from_the_environment_or_home(kiln, terminal_env, tmp_path):
    env = {k: v for k, v in terminal_env.items() if k != "KILN_HISTORY"}
    t = Terminal(kiln, env)
    try:
        t.run("in_home = 1")
        t.type("\x04")
        assert t.exit_status() == 0
    finally:
        t.close()
    assert "in_home = 1" in (tmp_path / ".kiln_history").read_text()


# What compiled, magics, colours


def test_report_line_after_a_cell_that_compiled(terminal):
    t = terminal()
    t.paste(ADD)
    out = t.run("add(1, 2)")
    assert re.search(rb"3\r\ncompiled add\(int64, int64\) nopython in [0-9.]+ ms\r\n>>> $", out), out
    assert t.run("add(3, 4)") == b"add(3, 4)\r\n7\r\n>>> "  # nothing new compiled: no report


def test_magics_at_the_prompt(terminal):
    t = terminal(NO_COLOR="1")  # the IR as plain text
    assert re.search(rb"per loop \(mean .* 2 runs, 10 loops each\)", t.run("%timeit -n 10 -r 2 sum(range(100))"))
    t.paste(ADD)
    t.run("add(1, 2)")
    out = t.run("%ir add")
    assert b"define" in out and b"@" in out


@pytest.mark.parametrize(
    "args, env, colored",
    [((), {}, True), ((), {"NO_COLOR": "1"}, False), (("--no-color",), {}, False), ((), {"NO_COLOR": ""}, True)],
    ids=["terminal", "NO_COLOR", "--no-color", "NO_COLOR-empty"],
)
def test_ir_colours_on_a_terminal_unless_asked_not_to(terminal, args, env, colored):
    pytest.importorskip("pygments")  # the colours are Pygments'
    t = terminal(*args, **env)
    t.paste(ADD)
    t.run("add(1, 2)")
    out = t.run("%ir add")
    assert b"define" in out
    assert (b"\x1b[" in out) == colored, out
