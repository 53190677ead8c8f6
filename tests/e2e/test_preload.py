"""LLVM loads in the background: from the start in `kiln`, on `import kiln` elsewhere, never with KILN_PRELOAD=0."""
import os
import subprocess

LOADED = """
def llvm_loaded():
    with open("/proc/self/maps") as maps:
        return any("libkiln-llvm" in line for line in maps)
"""


def run(kiln, code, **env):
    done = subprocess.run([str(kiln), "-c", LOADED + code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_off_loads_nothing_until_the_first_compilation(kiln):
    code = """
import kiln
@kiln.njit
def inc(x):
    return x + 1
assert kiln.typeof(1) is kiln.int64
assert not llvm_loaded(), "LLVM loaded before anything was compiled"
assert inc(1) == 2
assert llvm_loaded(), "compiling did not load LLVM"
print("ok")
"""
    assert run(kiln, code, KILN_PRELOAD="0") == "ok"


def test_preloaded_in_the_background(kiln):
    code = """
import time
deadline = time.monotonic() + 60
while not llvm_loaded() and time.monotonic() < deadline:
    time.sleep(0.01)
print(llvm_loaded())
"""
    assert run(kiln, code) == "True"


def test_first_call_while_preloading(kiln):
    code = """
import kiln
@kiln.njit
def inc(x):
    return x + 1
print(inc(41), inc(1.5))
"""
    for _ in range(3):
        assert run(kiln, code) == "42 2.5"


def test_exit_while_preloading(kiln):
    for _ in range(5):
        assert run(kiln, "print('bye')") == "bye"


def test_fork_while_preloading(kiln):
    code = """
import os, kiln
@kiln.njit
def inc(x):
    return x + 1
pid = os.fork()
if pid == 0:
    os._exit(0 if inc(1) == 2 else 1)
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status), inc(2))
"""
    assert run(kiln, code) == "0 3"


def test_errors_still_reach_the_user(kiln):
    code = """
import kiln
@kiln.njit
def bad(x):
    return x + "a"
try:
    bad(1)
except kiln.TypingError as e:
    print("TypingError")
"""
    assert run(kiln, code) == "TypingError"
