"""bench/run.py, jit.py, arrays.py, objmode.py and interrupt.py with --quick run and print their tables (smoke tests: no timing is asserted)."""
import subprocess

from conftest import PYTHON, REPO


def quick(script, build_dir, timeout=400):
    """Runs bench/SCRIPT --quick on the build; returns its stdout."""
    command = [PYTHON, str(REPO / "bench" / script), "--build", str(build_dir), "--quick"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


def assert_table(stdout, header, starts):
    """The table's first row begins with header, and some row begins with each of starts."""
    rows = [line for line in stdout.splitlines() if line.startswith("|")]
    assert rows[0].startswith(header), stdout
    for start in starts:
        assert any(row.startswith(f"| {start}") for row in rows), stdout
    return rows


def test_bench_quick_prints_table(build_dir, kernel_binary):
    assert_table(quick("run.py", build_dir), "| metric | Kiln | ipykernel |",
                 ("launch", "empty execute", "print", "idle RSS"))


def test_jit_bench_quick_prints_table(build_dir):
    rows = assert_table(quick("jit.py", build_dir), "| metric | Kiln | Numba | Kiln/Numba |",
                        ("`import kiln`", "first call", "warm call", "fib(30)", "count primes", "sum of math.sqrt"))
    assert any("poll cost" in row for row in rows)


def test_arrays_bench_quick_prints_table(build_dir):
    assert_table(quick("arrays.py", build_dir), "| workload | Kiln (ms) | Numba (ms) | Kiln/Numba |",
                 ("first call of sum_sequence", "sum_sequence on", "2-D five-point stencil", "naive matmul",
                  "histogram", "sum of squares", "geometric mean", "sum_sequence's loop: C loop",
                  "Kiln's bounds checks on the loop", "Kiln's bounds checks on the stencil"))


def test_interrupt_bench_quick_prints_table(build_dir):
    assert "| Ctrl-C to KeyboardInterrupt" in quick("interrupt.py", build_dir, timeout=200)


def test_objmode_bench_quick_prints_table(build_dir):
    assert_table(quick("objmode.py", build_dir), "| workload | python3 (ms) | CPython in Kiln (ms) | Kiln objmode (ms) |",
                 ("the seed's sum_sequence", "count primes", "geometric mean"))
