"""Measures how soon Ctrl-C stops a compiled loop: SIGINT to the end of a `kiln` script in a `while True` loop.

Numba has no row of its own: nopython code never sees Ctrl-C, so its
loop would run until killed.
"""
import argparse
import os
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

SPIN = """\
import sys
from kiln import njit

@njit
def spin(x):
    while True:
        x += 1
    return x

spin.compile("(int64,)")
print("ready", flush=True)
spin(0)
"""
TARGET_MS = 100


def latency(kiln, script):
    """Seconds from SIGINT to the exit of a kiln process spinning in compiled code."""
    proc = subprocess.Popen([str(kiln), str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stdout.readline() == b"ready\n", proc.stderr.read()
    time.sleep(0.2)  # well inside the loop
    start = time.perf_counter()
    os.kill(proc.pid, signal.SIGINT)
    proc.wait(timeout=60)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read()
    assert b"KeyboardInterrupt" in err, err
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build", help="Kiln's build folder (default: build)")
    parser.add_argument("--quick", action="store_true", help="few runs: checks the bench runs")
    args = parser.parse_args()
    kiln = Path(args.build).resolve() / "repl" / "kiln"
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "spin.py"
        script.write_text(SPIN)
        runs = [latency(kiln, script) * 1e3 for _ in range(2 if args.quick else 9)]
    ms = statistics.median(runs)
    print("| metric | Kiln | Numba | target | met |")
    print("|---|---:|---:|---:|:---:|")
    print(f"| Ctrl-C to KeyboardInterrupt in a compiled `while True` loop (ms, median of {len(runs)}) "
          f"| {ms:.3g} | never | <= {TARGET_MS} | {'yes' if ms <= TARGET_MS else 'no'} |")


if __name__ == "__main__":
    main()
