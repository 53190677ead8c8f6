"""Ctrl-C in compiled code from the `kiln` binary: a script ends as python's would, the prompt comes back."""
import os
import pty
import select
import signal
import subprocess
import time

from conftest import default_sigint

PYTHON = "/usr/bin/python3"  # the interpreter Kiln embeds: a script must end under both alike
TIMEOUT = 60  # seconds; generous, the test machine is small and shared
SPIN = "@njit\ndef spin():\n    x = 0\n    while True:\n        x += 1\n    return x\n"


def read_until(fd, marker, seen=b"", timeout=TIMEOUT):
    """Reads fd until marker shows up after what was already seen; returns all that was read."""
    start = len(seen)
    deadline = time.monotonic() + timeout
    while marker not in seen[start:]:
        left = deadline - time.monotonic()
        assert left > 0, f"no {marker!r} in {seen[start:]!r}"
        if select.select([fd], [], [], left)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the pty's other end closed
                chunk = b""
            assert chunk, f"end of output before {marker!r}: {seen[start:]!r}"
            seen += chunk
    return seen


def interrupted(program, script):
    """Runs a script that prints 'running' and loops, sends SIGINT, and returns (exit status, stderr lines)."""
    proc = subprocess.Popen(
        [program, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=default_sigint
    )
    try:
        read_until(proc.stdout.fileno(), b"running\n")
        time.sleep(0.5)  # into the loop
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=TIMEOUT)
    finally:
        proc.kill()
    return proc.returncode, err.decode().splitlines()


def test_sigint_ends_a_script_in_a_compiled_loop_as_python_does(kiln, tmp_path):
    compiled = tmp_path / "spin.py"
    run = "\nprint('running', flush=True)\nspin()\n"
    compiled.write_text("from kiln import njit\n\n" + SPIN + "\nspin.compile(())" + run)
    plain = tmp_path / "plain.py"
    plain.write_text(SPIN.replace("@njit\n", "") + run)
    status, lines = interrupted(kiln, compiled)
    python_status, python_lines = interrupted(PYTHON, plain)
    # python prints the traceback, then dies of the signal: its parent sees a SIGINT death
    assert status == python_status == -signal.SIGINT, lines
    assert lines[0] == python_lines[0] == "Traceback (most recent call last):", lines
    assert lines[-1] == python_lines[-1] == "KeyboardInterrupt", lines
    assert any(line.strip() == "spin()" for line in lines), lines


def test_ctrl_c_at_the_prompt_stops_a_compiled_loop(kiln):
    pid, fd = pty.fork()
    if pid == 0:  # the child: kiln on the pty, its controlling terminal
        try:
            default_sigint()
            os.execv(kiln, [kiln])
        finally:
            os._exit(127)
    try:
        seen = read_until(fd, b">>> ")
        for line in ["from kiln import njit", "kept = 7", *SPIN.splitlines(), "", "spin.compile(())"]:
            os.write(fd, line.encode() + b"\n")
        os.write(fd, b"print('running', flush=True); spin()\n")
        seen = read_until(fd, b"running\r\n", seen)
        time.sleep(0.5)  # into the loop
        os.write(fd, b"\x03")  # Ctrl-C: the terminal sends SIGINT to kiln
        seen = read_until(fd, b"KeyboardInterrupt\r\n>>> ", seen)
        os.write(fd, b"1+1\n")
        seen = read_until(fd, b"2\r\n>>> ", seen)
        os.write(fd, b"kept * 6\n")
        seen = read_until(fd, b"42\r\n>>> ", seen)
        os.write(fd, b"\x04")  # Ctrl-D at an empty prompt: kiln ends
        _, status = os.waitpid(pid, 0)
        pid = 0
        assert os.waitstatus_to_exitcode(status) == 0, seen
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
