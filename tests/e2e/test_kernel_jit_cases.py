"""The jit_cases scripts again, each run as a notebook cell in a kernel of its own."""
from pathlib import Path

import pytest

CASES = Path(__file__).resolve().parent / "jit_cases"
SCRIPTS = sorted(p for p in CASES.glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_case_as_cell(fresh_kernel, script):
    k = fresh_kernel()
    setup = k.execute(f"import sys; sys.path.insert(0, {str(CASES)!r})")
    assert setup.status == "ok", setup
    r = k.execute(script.read_text(), timeout=300)
    assert r.status == "ok", r
    assert r.stdout.splitlines()[-1:] == ["ok"], r
