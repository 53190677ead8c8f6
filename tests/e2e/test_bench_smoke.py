"""bench/run.py and bench/jit.py with --quick run and print their tables (smoke tests: no timing is asserted)."""
import subprocess

from conftest import PYTHON, REPO


def test_bench_quick_prints_table(build_dir, kernel_binary):
    command = [PYTHON, str(REPO / "bench" / "run.py"), "--build", str(build_dir), "--quick"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stderr[-4000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert rows[0].startswith("| metric | Kiln | ipykernel |")
    for metric in ("launch", "empty execute", "print", "idle RSS"):
        assert any(row.startswith(f"| {metric}") for row in rows), done.stdout


def test_jit_bench_quick_prints_table(build_dir):
    command = [PYTHON, str(REPO / "bench" / "jit.py"), "--build", str(build_dir), "--quick"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stderr[-4000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert rows[0].startswith("| metric | Kiln | Numba | Kiln/Numba |")
    for metric in ("`import kiln`", "first call", "warm call", "fib(30)", "count primes", "sum of math.sqrt"):
        assert any(row.startswith(f"| {metric}") for row in rows), done.stdout
    assert any("poll cost" in row for row in rows), done.stdout


def test_interrupt_bench_quick_prints_table(build_dir):
    command = [PYTHON, str(REPO / "bench" / "interrupt.py"), "--build", str(build_dir), "--quick"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=200)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "| Ctrl-C to KeyboardInterrupt" in done.stdout, done.stdout
