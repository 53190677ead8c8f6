"""The kiln.jit API end to end: each jit_cases/*.py script run by the kiln binary prints ok at its end."""
import os
import subprocess
from pathlib import Path

import pytest

CASES = Path(__file__).resolve().parent / "jit_cases"
SCRIPTS = sorted(p for p in CASES.glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_case(build_dir, script):
    kiln = build_dir / "repl" / "kiln"
    if not kiln.is_file():
        pytest.fail(f"{kiln} is not built")
    # PYTHONPATH: the scripts import their shared helper, _compare, from their folder.
    env = dict(os.environ, PYTHONPATH=str(CASES), PYTHONDONTWRITEBYTECODE="1")
    r = subprocess.run([str(kiln), str(script)], cwd=CASES, env=env, capture_output=True,
                       text=True, timeout=300)
    report = f"exit status {r.returncode}\n--- stdout\n{r.stdout}\n--- stderr\n{r.stderr}"
    assert r.returncode == 0, report
    assert r.stdout.splitlines()[-1:] == ["ok"], report
