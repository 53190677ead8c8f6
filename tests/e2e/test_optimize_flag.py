"""Under python -O (PYTHONOPTIMIZE) assert statements are dropped in both modes, as CPython and Numba drop them."""
import os
import subprocess

CODE = """
import sys
from kiln import jit, njit

def checks(x):
    assert x > 0, "not positive"
    return x

f = jit(forceobj=True)(checks)
n = njit(checks)
for g in (checks, f, n):
    try:
        print(g.__name__, g(-1))
    except AssertionError as e:
        print(g.__name__, "AssertionError", e)
print("optimize", sys.flags.optimize)
"""


def run(kiln, **env):
    r = subprocess.run([kiln, "-c", CODE], env=dict(os.environ, **env), capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def test_assert_runs_without_optimize(kiln):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONOPTIMIZE"}
    r = subprocess.run([kiln, "-c", CODE], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["checks AssertionError not positive",
                                     "checks AssertionError not positive",
                                     "checks AssertionError not positive", "optimize 0"], r.stdout


def test_assert_dropped_with_optimize(kiln):
    assert run(kiln, PYTHONOPTIMIZE="1") == ["checks -1", "checks -1", "checks -1", "optimize 1"]
