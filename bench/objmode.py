"""Object mode against plain CPython: Kiln's jit(forceobj=True) and Numba's, on loop-heavy Python code."""
import argparse
import statistics
import sys
from pathlib import Path

from jit import PYTHON, jit_commands, report, workloads

WORK = Path(__file__).resolve().parent / "objmode_work.py"
TARGET = 1.2  # Kiln object mode: at least this much faster than the plain functions on its libpython

# key, row label
ROWS = [
    ("sum_sequence", "the seed's sum_sequence on 10^6 floats (NumPy items, a range loop)"),
    ("count_primes", "count primes below 200000 with a list of primes (lists, ints, break)"),
    ("sum_list", "sum a list of 10^6 ints by index (range loop, list items)"),
    ("word_counts", "count 10^6 words in a dict (dict.get, str keys)"),
    ("labels", "250000 labels, f-strings and str(), joined"),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build", help="Kiln's build folder (default: build)")
    parser.add_argument("--quick", action="store_true", help="small inputs, few runs: checks the bench runs")
    parser.add_argument("--runs", type=int, help="timed runs per runner and workload (default 11, quick 3)")
    args = parser.parse_args()
    args.runs = args.runs or (3 if args.quick else 11)
    return args


def table(results, args):
    python, embedded = results["python3"], results["embedded"]
    kiln, numba = results["Kiln"], results["Numba"]
    rows = ["| workload | python3 (ms) | CPython in Kiln (ms) | Kiln objmode (ms) | Numba objmode (ms) | "
            "in Kiln / Kiln objmode | python3 / Kiln objmode | python3 / Numba objmode | target | meets |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|"]
    for key, label in ROWS:
        p, e, k, n = python[key] * 1e3, embedded[key] * 1e3, kiln[key] * 1e3, numba[key] * 1e3
        met = "yes" if e / k >= TARGET else "no"
        rows.append(f"| {label} | {p:.3g} | {e:.3g} | {k:.3g} | {n:.3g} | {e / k:.2f} | {p / k:.2f} | "
                    f"{p / n:.2f} | >= {TARGET:g}x | {met} |")

    def mean(base, runner):
        return statistics.geometric_mean(base[key] / runner[key] for key, _ in ROWS)

    speedup = mean(embedded, kiln)
    rows.append(f"| geometric mean | | | | | {speedup:.2f} | {mean(python, kiln):.2f} | "
                f"{mean(python, numba):.2f} | >= {TARGET:g}x | {'yes' if speedup >= TARGET else 'no'} |")
    note = (f"Medians of {args.runs} runs (CPU time) after a warm-up call, the four runners taking turns "
            "run by run on one CPU. "
            "python3 and CPython in Kiln run the plain functions: the first under /usr/bin/python3 (Debian's, "
            "statically linked and profile-optimized), the second in Kiln's process, on the shared "
            "libpython3.11.so that Kiln embeds, whose C API object mode calls, so the ratio of the two "
            "Kiln columns is object mode's own gain (the target). Kiln objmode and Numba objmode run the "
            "same source compiled with jit(forceobj=True) (Numba's with looplift=False: pure object mode, "
            "as Kiln's), Numba under /usr/bin/python3.")
    return report(rows, note, args.quick)


def main():
    args = parse_args()
    runners = jit_commands(args.build, WORK)
    runners["python3"] = [PYTHON, str(WORK), "plain"]
    runners["embedded"] = [runners["Kiln"][0], str(WORK), "plain"]
    print("workloads...", file=sys.stderr, flush=True)
    print(table(workloads(runners, args, [key for key, _ in ROWS]), args))


if __name__ == "__main__":
    main()
