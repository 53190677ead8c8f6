"""bench/run.py --quick runs both kernels and prints its table (a smoke test: no timing is asserted)."""
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
