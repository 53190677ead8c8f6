"""The `kiln` binary: scripts and -c run as python runs them, --version, and the plain prompt."""
import os
import select
import signal
import subprocess
import sys
import time

import pytest

from conftest import default_sigint

PYTHON = "/usr/bin/python3"  # the interpreter Kiln embeds: scripts must behave under both alike
TIMEOUT = 60  # seconds; generous, the test machine is small and shared


def run(*argv, stdin="", cwd=None):
    return subprocess.run(
        argv, input=stdin, capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd, preexec_fn=default_sigint
    )


def script(tmp_path, code, name="script.py"):
    path = tmp_path / name
    path.write_text(code)
    return path


# Options


def test_version(kiln):
    done = run(kiln, "--version")
    assert done.returncode == 0
    assert done.stdout == "kiln 0.1.0 (Python %d.%d.%d)\n" % sys.version_info[:3]


def test_help(kiln):
    done = run(kiln, "--help")
    assert done.returncode == 0
    for option in ["usage: kiln", "-c CODE", "-m MODULE", "-i", "--no-color", "--version"]:
        assert option in done.stdout, option


def test_short_version(kiln):
    assert run(kiln, "-V").stdout == run(kiln, "--version").stdout


@pytest.mark.parametrize("argv", [["--no-such-option"], ["-c"], ["-m"], ["-x"]])
def test_bad_options_exit_2(kiln, argv):
    done = run(kiln, *argv)
    assert done.returncode == 2
    assert "usage: kiln" in done.stderr


def test_missing_script_exits_2(kiln, tmp_path):
    done = run(kiln, str(tmp_path / "absent.py"))
    assert done.returncode == 2
    assert "can't open file" in done.stderr and "absent.py" in done.stderr


# Scripts, as python runs them


def test_script_sees_its_arguments_file_and_folder(kiln, tmp_path):
    (tmp_path / "helper_module.py").write_text("VALUE = 'imported from the script folder'\n")
    path = script(
        tmp_path,
        "import sys, helper_module\n"
        "print(sys.argv)\n"
        "print(__name__, __file__)\n"
        "print(sys.path[0])\n"
        "print(helper_module.VALUE)\n",
    )
    done = run(kiln, str(path), "one", "two words")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        str([str(path), "one", "two words"]),
        f"__main__ {path}",
        str(tmp_path.resolve()),
        "imported from the script folder",
    ]


def test_relative_script_path_is_made_absolute(kiln, tmp_path):
    script(tmp_path, "print(__file__)\n")
    done = run(kiln, "script.py", cwd=tmp_path)
    assert done.stdout == f"{tmp_path}/script.py\n"


@pytest.mark.parametrize(
    "code, status, stderr",
    [
        ("x = 1\n", 0, ""),
        ("raise SystemExit(3)\n", 3, ""),
        ("import sys\nsys.exit()\n", 0, ""),
        ("import sys\nsys.exit('leaving now')\n", 1, "leaving now\n"),
    ],
    ids=["ends", "exit-3", "exit-none", "exit-message"],
)
def test_exit_status_as_python(kiln, tmp_path, code, status, stderr):
    path = script(tmp_path, code)
    for program in (kiln, PYTHON):
        done = run(program, str(path))
        assert (done.returncode, done.stderr) == (status, stderr), program


def test_uncaught_exception_traceback_is_pythons(kiln, tmp_path):
    path = script(tmp_path, "def divide(a):\n    return a / 0\n\nprint('before')\ndivide(1)\n")
    done = run(kiln, str(path))
    expected = run(PYTHON, str(path))
    assert done.returncode == expected.returncode == 1
    assert done.stdout == "before\n"
    assert f'File "{path}", line 2, in divide' in done.stderr
    assert done.stderr == expected.stderr


def test_dash_c_runs_code_with_arguments(kiln):
    done = run(kiln, "-c", "import sys\nprint(sys.argv)\n6 * 7", "a", "b")
    assert done.returncode == 0
    assert done.stdout == "['-c', 'a', 'b']\n"  # like python -c, the last value is not shown


def test_dash_c_error_exits_1_with_traceback(kiln):
    done = run(kiln, "-c", "x = 1\nraise ValueError('from -c')")
    assert done.returncode == 1
    assert "line 2" in done.stderr and done.stderr.endswith("ValueError: from -c\n")


def test_dash_m_runs_a_module_as_main(kiln, tmp_path):
    (tmp_path / "hello_module.py").write_text(
        "import sys\nprint(__name__, sys.argv[1:], sys.argv[0].endswith('hello_module.py'))\nsys.exit(3)\n"
    )
    done = run(kiln, "-m", "hello_module", "one", "two", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (3, "__main__ ['one', 'two'] True\n"), done.stderr


def test_dash_m_package_module_from_the_standard_library(kiln, tmp_path):
    (tmp_path / "data.json").write_text('{"b": 1, "a": [1, 2]}')
    done = run(kiln, "-m", "json.tool", "--sort-keys", "data.json", cwd=tmp_path)
    expected = run(PYTHON, "-m", "json.tool", "--sort-keys", "data.json", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, expected.stdout)


def test_dash_m_missing_module_exits_1_as_python(kiln):
    done = run(kiln, "-m", "no_such_module_anywhere")
    assert done.returncode == 1
    assert done.stderr.endswith(": No module named no_such_module_anywhere\n")


def test_dash_reads_the_program_from_stdin(kiln):
    done = run(kiln, "-", "a", "b", stdin="import sys\nprint(sys.argv)\n6 * 7\nraise SystemExit(5)\n")
    assert (done.returncode, done.stdout) == (5, "['-', 'a', 'b']\n")


def test_dash_i_runs_the_program_then_reads_cells(kiln, tmp_path):
    path = script(tmp_path, "x = 21\n6 * 7\n")
    done = run(kiln, "-i", str(path), stdin="x * 2\n")
    assert (done.returncode, done.stdout) == (0, "42\n"), done.stderr  # the script's 6 * 7 is not shown
    assert ">>> " in done.stderr  # prompts go to stderr when stdin is not a terminal


def test_dash_i_prompt_comes_after_an_error_or_exit(kiln):
    for code in ["x = 5\n1 / 0", "x = 5\nraise SystemExit(3)"]:
        done = run(kiln, "-i", "-c", code, stdin="x + 1\n")
        assert (done.returncode, done.stdout) == (0, "6\n"), code
        assert "Traceback" in done.stderr


def test_dash_i_exit_status_is_the_prompts(kiln):
    done = run(kiln, "-i", "-c", "x = 1", stdin="import sys\nsys.exit(4)\n")
    assert done.returncode == 4


def test_megabyte_printed_arrives_whole(kiln):
    done = run(kiln, "-c", "print('x' * 1000000)\nprint('end')")
    assert done.stdout == "x" * 1000000 + "\nend\n"


def test_unicode_round_trip_through_input(kiln, tmp_path):
    path = script(tmp_path, "s = input()\nprint(s[::-1], len(s))\n")
    done = run(kiln, str(path), stdin="héllo ✓ 𝄞\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "𝄞 ✓ olléh 9\n"


def test_input_reads_stdin_in_script(kiln, tmp_path):
    path = script(tmp_path, "name = input('name? ')\nprint('hello', name)\ninput()\n")
    done = run(kiln, str(path), stdin="kiln\n")
    assert done.stdout == "name? hello kiln\n"
    assert done.returncode == 1 and done.stderr.endswith("EOFError: EOF when reading a line\n")


# Ctrl-C


def start(*argv, **options):
    return subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=default_sigint,
        **options,
    )


def read_until(stream, marker, timeout=TIMEOUT):
    """Reads a pipe until marker shows up; returns what was read."""
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {marker!r} in {seen!r}"
        if select.select([stream], [], [], left)[0]:
            chunk = os.read(stream.fileno(), 65536)
            assert chunk, f"end of output before {marker!r}: {seen!r}"
            seen += chunk
    return seen


@pytest.mark.parametrize("loop", ["while True:\n    pass", "import time\ntime.sleep(600)"], ids=["busy", "sleep"])
def test_ctrl_c_ends_script_as_python_does(kiln, loop):
    code = "print('running', flush=True)\n" + loop
    ends = []
    for program in (kiln, PYTHON):
        proc = start(program, "-c", code)
        read_until(proc.stdout, b"running\n")
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=TIMEOUT)
        ends.append((proc.returncode, err.decode().splitlines()[-1]))
    assert ends[0] == ends[1] == (-signal.SIGINT, "KeyboardInterrupt")


def test_ctrl_c_at_prompt_interrupts_the_cell_and_keeps_variables(kiln):
    proc = start(kiln)
    proc.stdin.write(b"kept = 7\nimport time\nprint('running', flush=True); time.sleep(600)\n")
    proc.stdin.flush()
    read_until(proc.stdout, b"running\n")
    proc.send_signal(signal.SIGINT)
    read_until(proc.stderr, b"KeyboardInterrupt\n")
    out, err = proc.communicate(b"kept * 6\n", timeout=TIMEOUT)
    assert proc.returncode == 0, err
    assert out == b"42\n"


def test_ctrl_c_while_reading_a_line_clears_it(kiln):
    proc = start(kiln)
    proc.stdin.write(b"def unfinished():\n")
    proc.stdin.flush()
    read_until(proc.stderr, b"... ")
    proc.send_signal(signal.SIGINT)
    read_until(proc.stderr, b"KeyboardInterrupt\n>>> ")
    out, err = proc.communicate(b"6 * 7\n", timeout=TIMEOUT)
    assert proc.returncode == 0, err
    assert out == b"42\n"


# The prompt


def prompt(kiln, stdin):
    return run(kiln, stdin=stdin)


def test_prompt_shows_results(kiln):
    done = prompt(kiln, "x=2\nx*21\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "42\n"


def test_prompt_display_hook_rules(kiln):
    done = prompt(kiln, "None\nx = 5\nx\n_ + 1\n__\nprint('printed')\n1 + 1;\nIn[3]\n")
    assert done.stdout == "5\n6\n5\nprinted\n'x'\n"


def test_prompt_blocks_end_with_a_blank_line(kiln):
    done = prompt(kiln, "def f():\n    return 40\n\nfor i in range(2):\n    print(i)\n\nf() + 2\n")
    assert done.stdout == "0\n1\n42\n"


def test_prompt_getsource_of_function_defined_there(kiln):
    done = prompt(kiln, "def f(x):\n    return x + 1\n\nimport inspect\nprint(inspect.getsource(f), end='')\n")
    assert done.stdout == "def f(x):\n    return x + 1\n"


def test_prompt_error_shows_traceback_and_goes_on(kiln):
    done = prompt(kiln, "y = 3\n1 / 0\ny\n")
    assert done.returncode == 0
    assert "ZeroDivisionError: division by zero" in done.stderr
    assert 'line 1, in <module>\n    1 / 0' in done.stderr
    assert done.stdout == "3\n"


def test_prompt_input_reads_the_next_line(kiln):
    done = prompt(kiln, "name = input('name? ')\nkiln\nname.upper()\n")
    assert done.stdout == "name? 'KILN'\n"


def test_prompt_exit_status(kiln):
    done = prompt(kiln, "import sys\nsys.exit(4)\nprint('never')\n")
    assert (done.returncode, done.stdout) == (4, "")


def test_prompt_ends_at_end_of_input(kiln):
    done = prompt(kiln, "")
    assert (done.returncode, done.stdout) == (0, "")
