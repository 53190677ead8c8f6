"""Array loops under Kiln and Numba side by side, against a plain C loop: warm times, first call, bounds checks."""
import argparse
import mmap
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from jit import jit_commands, report, verdict, work, workloads

WORK = Path(__file__).resolve().parent / "arrays_work.py"
# Each loop beside what it is held against, the two taking turns run by run
KEYS = ["sum_sequence", ("loop", "loop_unchecked", "c_loop"), ("stencil", "stencil_unchecked"), "matmul",
        "histogram", "reduction", "array_calls"]
GEOMEAN = ["sum_sequence", "stencil", "matmul", "histogram", "reduction"]

# The plain C loop over the same bytes as the compiled `result[i] = a[i] - b[i]`.
C_LOOP = """
void c_subtract(long *restrict r, const long *restrict a, const long *restrict b, long n)
{
    for (long i = 0; i < n; i++)
        r[i] = a[i] - b[i];
}
"""

# key, row label, Kiln's target on Kiln/Numba (or None)
ROWS = [
    ("first_call", "first call of sum_sequence on 10^7, fresh process (compile and run), memory backed", 0.2),
    ("first_call_as_found", "the same, memory as the host left it", None),
    ("sum_sequence", "sum_sequence on 10^7 int64 (allocates its result)", 1.0),
    ("stencil", "2-D five-point stencil, one sweep", 1.0),
    ("matmul", "naive matmul, three loops", 1.0),
    ("histogram", "histogram of 10^7 floats into 100 bins", 1.0),
    ("reduction", "sum of squares of 10^7 floats, a loop", 1.0),
    ("loop", "sum_sequence's loop alone, into a given array", None),
    ("array_calls", "10^5 warm calls of `first_item(a)`, `return a[0]`: the cost of passing an array", 1.0),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build", help="Kiln's build folder (default: build)")
    parser.add_argument("--quick", action="store_true", help="small inputs, few runs: checks the bench runs")
    parser.add_argument("--fresh", type=int, help="fresh processes per JIT for the first call (default 9, quick 1)")
    parser.add_argument("--runs", type=int, help="timed runs per JIT and workload (default 11, quick 3)")
    args = parser.parse_args()
    args.fresh = args.fresh or (1 if args.quick else 9)
    args.runs = args.runs or (3 if args.quick else 11)
    return args


def c_library(folder):
    source, library = Path(folder) / "loop.c", Path(folder) / "libloop.so"
    source.write_text(C_LOOP)
    subprocess.run(["cc", "-O3", "-march=native", "-shared", "-fPIC", "-o", str(library), str(source)],
                   check=True)
    return str(library)


def backing(args):
    """How many bytes the bench writes and frees before a \"memory backed\" first call."""
    return (16 if args.quick else 512) << 20


def back_memory(size):
    """Writes and frees `size` bytes in huge pages, so that the fresh process started next finds memory
    the host backs. A virtual machine whose balloon reports free pages (virtio-balloon) hands freed
    memory back to the host a few seconds after it is freed, and the host backs it again on first
    touch, at about 1.5 ms a MiB: a cost of the machine, not of the JIT, which a machine without
    that does not have."""
    # Private: shared anonymous memory would take no huge pages
    with mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS) as memory:
        if hasattr(mmap, "MADV_HUGEPAGE"):
            memory.madvise(mmap.MADV_HUGEPAGE)
        for offset in range(0, size, mmap.PAGESIZE):
            memory[offset] = 1


def first_calls(jits, args):
    """Each JIT's first calls in fresh processes, taken in turn: as the host left memory, then with memory
    backed just before (in that order, so that no backing helps the first kind); (seconds, system
    seconds) per process."""
    first = {(name, backed): [] for name in jits for backed in (True, False)}
    for backed in (False, True):
        for _ in range(args.fresh):
            for name, argv in jits.items():
                if backed:
                    back_memory(backing(args))
                done = work(argv, "first", args.quick)
                first[name, backed].append((done["first_call"], done["system"]))
    return first


def measure(jits, args, library):
    print("first calls in fresh processes...", file=sys.stderr, flush=True)
    first = first_calls(jits, args)
    print("workloads...", file=sys.stderr, flush=True)
    results = workloads(jits, args, KEYS, (library,))
    for name in jits:
        for backed, key in ((True, "first_call"), (False, "first_call_as_found")):
            results[name][key] = statistics.median(t for t, _ in first[name, backed])
            results[name][key + "_samples"] = sorted(first[name, backed])
    return results


def table(results, args):
    kiln, numba = results["Kiln"], results["Numba"]
    rows = ["| workload | Kiln (ms) | Numba (ms) | Kiln/Numba | target | meets |", "|---|---:|---:|---:|---:|:---:|"]
    for key, label, most in ROWS:
        k, n = kiln[key] * 1e3, numba[key] * 1e3
        goal, met = verdict(k, k / n, (None, most))
        rows.append(f"| {label} | {k:.3g} | {n:.3g} | {k / n:.2f} | {goal} | {met} |")
    ratios = [kiln[key] / numba[key] for key in GEOMEAN]
    geomean = statistics.geometric_mean(ratios)
    rows.append(f"| geometric mean of the five warm workloads | | | {geomean:.2f} | < 1 | "
                f"{'yes' if geomean < 1 else 'no'} |")
    bandwidth = kiln["c_loop"] / kiln["loop"]
    rows.append(f"| sum_sequence's loop: C loop time / Kiln loop time (share of C's bandwidth) | "
                f"{kiln['loop'] * 1e3:.3g} | | {bandwidth:.2f} | >= 0.8 | {'yes' if bandwidth >= 0.8 else 'no'} |")
    for key in ("loop", "stencil"):
        cost = kiln[key] / kiln[key + "_unchecked"]
        rows.append(f"| Kiln's bounds checks on the {key}: checked / unchecked time | | | {cost:.3f} | "
                    f"<= 1.05 | {'yes' if cost <= 1.05 else 'no'} |")
    note = (f"First call: median of {args.fresh} fresh processes per JIT, taken in turn. \"Memory backed\": "
            f"just before each process, the bench writes and frees {backing(args) >> 20} MiB, so that the "
            "process finds memory the host backs, as on a machine whose host does not take freed memory back. "
            "Warm times: medians "
            f"of {args.runs} runs after a warm-up call on one CPU, the JITs taking turns run by run, and each "
            "loop with what it is held against. The C loop is "
            "`cc -O3 -march=native`, called through ctypes in Kiln's process.")
    for key, memory in (("first_call", "memory backed"), ("first_call_as_found", "memory as found")):
        spread = "; ".join(f"{name} {' '.join(f'{t * 1e3:.0f} ({s * 1e3:.0f})' for t, s in results[name][key + '_samples'])}"
                           for name in ("Kiln", "Numba"))
        note += f" Every first call, {memory}, sorted, in ms (its system time in brackets): {spread}."
    note += (" System time is mostly page faults on the 80 MB result. Where the host has taken memory back "
             "since it was freed, it backs it again on first touch: 50-150 ms more in Kiln's huge pages. "
             "Numba's result lands in 4 KiB pages, whose faults cost about 200 ms either way.")
    return report(rows, note, args.quick)


def main():
    args = parse_args()
    jits = jit_commands(args.build, WORK)
    with tempfile.TemporaryDirectory() as folder:
        print(table(measure(jits, args, c_library(folder)), args))


if __name__ == "__main__":
    main()
