"""Measures Kiln's JIT and Numba side by side: first call in a fresh process, warm call, run times, polls."""
import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

PYTHON = "/usr/bin/python3"  # Debian's, with python3-numba: the interpreter Kiln embeds
WORK = Path(__file__).resolve().parent / "jit_work.py"
WORKLOADS = ["warm_call", "fib", "primes", "sqrt", "int_for", "int_while", "float_for", "float_while"]
MS, NS = 1e3, 1.0  # from the seconds jit_work.py reports; warm_call is in ns already

# key, row label, unit, scale, Kiln's target as (most ms or ns, or None; most Kiln/Numba, or None)
ROWS = [
    ("import", "`import kiln` vs `import numba`", "ms", MS, (None, None)),
    ("first_call", "first call of `f(x): return x + 1`, fresh process", "ms", MS, (None, 0.1)),
    ("import_and_first", "import + first call", "ms", MS, (None, None)),
    ("warm_call", "warm call `f(1)`", "ns", NS, (50, 0.5)),
    ("fib", "fib(30), recursive", "ms", MS, (None, 1.0)),
    ("primes", "count primes below 200000, trial division", "ms", MS, (None, 1.0)),
    ("sqrt", "sum of math.sqrt(i), i < 10**7", "ms", MS, (None, 1.0)),
    ("int_for", "int loop, `for i in range(10**8)` (vectorizes; Kiln polls per chunk)", "ms", MS, (None, 1.03)),
    ("int_while", "the same int loop as `while i < n` (Kiln polls per 65536 iterations)", "ms", MS, (None, 1.03)),
    ("float_for", "float loop, `for i in range(5*10**7)` (one add chain)", "ms", MS, (None, 1.03)),
    ("float_while", "the same float loop as `while i < n` (Kiln polls per 65536 iterations)", "ms", MS, (None, 1.03)),
    ("int_poll", "int loop: while time / for time (poll cost: Kiln/Numba - 1)", "x", 1.0, (None, 1.03)),
    ("float_poll", "float loop: while time / for time (poll cost: Kiln/Numba - 1)", "x", 1.0, (None, 1.03)),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build", help="Kiln's build folder (default: build)")
    parser.add_argument("--quick", action="store_true", help="small inputs, few runs: checks the bench runs")
    parser.add_argument("--fresh", type=int, help="fresh processes per JIT for the first call (default 9, quick 2)")
    parser.add_argument("--runs", type=int, help="timed runs per JIT and workload (default 11, quick 3)")
    args = parser.parse_args()
    args.fresh = args.fresh or (2 if args.quick else 9)
    args.runs = args.runs or (3 if args.quick else 11)
    return args


def work(argv, mode, quick):
    """Runs jit_work.py under one JIT (argv: interpreter, script, JIT); returns the JSON it printed last."""
    command = [*argv, mode] + (["--quick"] if quick else [])
    done = subprocess.run(command, cwd=WORK.parent, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def first_calls(jits, n):
    """Median import and first-call seconds per JIT, over n fresh processes of each, taken in turn."""
    samples = {name: [] for name in jits}
    for _ in range(n):
        for name, argv in jits.items():
            samples[name].append(work(argv, "first", False))
    results = {}
    for name, runs in samples.items():
        results[name] = {
            "import": statistics.median(r["import"] for r in runs),
            "first_call": statistics.median(r["first_call"] for r in runs),
            "import_and_first": statistics.median(r["import"] + r["first_call"] for r in runs),
        }
    return results


def bench_cpu():
    """The one CPU every server runs on. The CPUs of a shared virtual machine can differ in speed
    (a busy sibling thread on the host makes one up to 1.6x slower here), so JITs compared on
    one CPU are compared on equal terms."""
    return min(os.sched_getaffinity(0))


class Server:
    """A work script (jit_work.py, arrays_work.py) serving under one JIT, pinned to cpu: send a
    workload name, read back its time."""

    def __init__(self, argv, quick, *extra, cpu):
        command = [*argv, "serve", *extra] + (["--quick"] if quick else [])
        self.proc = subprocess.Popen(
            command, cwd=WORK.parent, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            preexec_fn=lambda: os.sched_setaffinity(0, {cpu}),
        )
        self.read()  # "ready": everything is compiled and warm

    def read(self):
        line = self.proc.stdout.readline()
        if not line:
            sys.exit(f"{self.proc.args} ended early ({self.proc.wait()})")
        return line.strip()

    def run(self, key):
        self.proc.stdin.write(key + "\n")
        self.proc.stdin.flush()
        return float(self.read())

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def workloads(jits, args, keys=WORKLOADS, extra=()):
    """Median time of each workload per JIT, all on one CPU; the servers take turns run by run.
    A tuple of keys is a group whose workloads also take turns run by run, so that a ratio
    between them (checked / unchecked loop) is not skewed by the machine drifting in between."""
    cpu = bench_cpu()
    servers = {name: Server(argv, args.quick, *extra, cpu=cpu) for name, argv in jits.items()}
    results = {name: {} for name in jits}
    try:
        for group in keys:
            group = group if isinstance(group, tuple) else (group,)
            print(f"  {', '.join(group)}", file=sys.stderr, flush=True)
            samples = {(name, key): [] for name in jits for key in group}
            for _ in range(args.runs):
                for key in group:
                    for name, server in servers.items():
                        samples[name, key].append(server.run(key))
            for (name, key), times in samples.items():
                results[name][key] = statistics.median(times)
    finally:
        for server in servers.values():
            server.stop()
    return results


def measure(jits, args):
    print("first calls in fresh processes...", file=sys.stderr, flush=True)
    results = first_calls(jits, args.fresh)
    print("workloads...", file=sys.stderr, flush=True)
    for name, times in workloads(jits, args).items():
        r = results[name]
        r.update(times)
        r["int_poll"] = r["int_while"] / r["int_for"]
        r["float_poll"] = r["float_while"] / r["float_for"]
    return results


def verdict(value, ratio, target):
    most, most_ratio = target
    if most is None and most_ratio is None:
        return "", ""
    parts, ok = [], True
    if most is not None:
        parts.append(f"<= {most:g}")
        ok = ok and value <= most
    if most_ratio is not None:
        parts.append(f"<= {most_ratio:g}x")
        ok = ok and ratio <= most_ratio
    return " and ".join(parts), "yes" if ok else "no"


def report(rows, note, quick):
    """A markdown table and the note under it, which says when --quick made the numbers meaningless."""
    if quick:
        note += " --quick: small inputs, the numbers only show that it runs."
    return "\n".join(rows) + "\n\n" + note


def table(results, args):
    kiln, numba = results["Kiln"], results["Numba"]
    rows = [
        "| metric | Kiln | Numba | Kiln/Numba | Kiln target | Kiln meets target |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for key, label, unit, scale, target in ROWS:
        k, n = kiln[key] * scale, numba[key] * scale
        goal, met = verdict(k, k / n, target)
        rows.append(f"| {label} ({unit}) | {k:.3g} | {n:.3g} | {k / n:.2f} | {goal} | {met} |")
    calls = "10^4" if args.quick else "10^6"
    note = (
        f"First call and import: medians over {args.fresh} fresh processes of each JIT, taken in turn, timed "
        f"inside the process. Warm call and run times: medians of {args.runs} runs after a warm-up call, the two "
        f"JITs taking turns run by run (warm call: {calls} calls a run, nothing subtracted). Poll rows: each JIT's "
        "while time over its for time on the same body; Kiln/Numba - 1 is what Kiln's polls add."
    )
    return report(rows, note, args.quick)


def jit_commands(build, script):
    """The command lines that run a work script under each JIT: Kiln's binary, Numba's interpreter."""
    kiln = Path(build).resolve() / "repl" / "kiln"
    if not kiln.is_file():
        sys.exit(f"{kiln} is not built")
    return {"Kiln": [str(kiln), str(script), "kiln"], "Numba": [PYTHON, str(script), "numba"]}


def main():
    args = parse_args()
    print(table(measure(jit_commands(args.build, WORK), args), args))


if __name__ == "__main__":
    main()
