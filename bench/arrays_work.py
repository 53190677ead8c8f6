"""The array benchmark's work under one JIT: `kiln arrays_work.py kiln MODE` or `python3 arrays_work.py numba MODE`.

MODE first: imports the JIT, makes the seed's two arrays of 10^7 integers,
then times the decorated sum_sequence's first call (compile and run) and the
system time spent in it; prints JSON. MODE serve LIBRARY: compiles every
workload with one warm-up call, prints "ready", then runs each workload named
on stdin once and prints its seconds. LIBRARY is a shared library whose
`c_subtract` is the plain C loop the compiled loop is held against. The
functions are the same source for both JITs; two loops are also compiled with
boundscheck=False, to see what Kiln's default bounds checks cost.
"""
import ctypes
import json
import resource
import sys
import time

import numpy as np

WHICH, MODE = sys.argv[1], sys.argv[2]
QUICK = "--quick" in sys.argv
N = 10 ** 5 if QUICK else 10 ** 7
GRID = 100 if QUICK else 1000
MATRIX = 32 if QUICK else 256

if WHICH == "kiln":
    from kiln import jit, njit
else:
    from numba import jit, njit

a = np.arange(1, N)
b = np.arange(-N, -1)


def sum_sequence(a, b):
    result = np.zeros_like(a)
    for i in range(len(a)):
        result[i] = a[i] - b[i]
    return result


if MODE == "first":
    # System time apart: page faults on the result, which the host may have to back first
    def system_time():
        return resource.getrusage(resource.RUSAGE_SELF).ru_stime

    system, start = system_time(), time.perf_counter()
    jit(nopython=True)(sum_sequence)(a, b)
    print(json.dumps({"first_call": time.perf_counter() - start, "system": system_time() - system}))
    sys.exit(0)


def subtract_into(result, a, b):
    for i in range(len(a)):
        result[i] = a[i] - b[i]


def stencil(grid, out):
    """One Jacobi sweep of the five-point Laplace stencil."""
    for i in range(1, grid.shape[0] - 1):
        for j in range(1, grid.shape[1] - 1):
            out[i, j] = 0.25 * (grid[i - 1, j] + grid[i + 1, j] + grid[i, j - 1] + grid[i, j + 1])


def matmul(x, y):
    n, m, p = x.shape[0], x.shape[1], y.shape[1]
    out = np.zeros((n, p))
    for i in range(n):
        for k in range(m):
            xik = x[i, k]
            for j in range(p):
                out[i, j] += xik * y[k, j]
    return out


def histogram(values, lo, hi, nbins):
    counts = np.zeros(nbins, np.int64)
    scale = nbins / (hi - lo)
    for v in values:
        if lo <= v < hi:
            counts[int((v - lo) * scale)] += 1
    return counts


def sum_of_squares(values):
    total = 0.0
    for v in values:
        total += v * v
    return total


def first_item(values):
    return values[0]


seq = jit(nopython=True)(sum_sequence)
into = njit(subtract_into)
sweep, product, hist, squares = njit(stencil), njit(matmul), njit(histogram), njit(sum_of_squares)
head = njit(first_item)
# The cost of Kiln's bounds checks: the same loops without them (Numba checks no bounds by default)
into_unchecked = njit(boundscheck=False)(subtract_into)
stencil_unchecked = njit(boundscheck=False)(stencil)

rng = np.random.default_rng(1)
result = np.empty_like(a)
grid, out = rng.random((GRID, GRID)), np.zeros((GRID, GRID))
x, y = rng.random((MATRIX, MATRIX)), rng.random((MATRIX, MATRIX))
samples = rng.standard_normal(N)
library = ctypes.CDLL(sys.argv[3])
c_subtract = library.c_subtract
c_subtract.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]


def c_loop():
    c_subtract(result.ctypes.data, a.ctypes.data, b.ctypes.data, len(a))


def array_calls():
    for _ in range(100_000):
        head(samples)


WORK = {
    "sum_sequence": lambda: seq(a, b),
    "loop": lambda: into(result, a, b),
    "c_loop": c_loop,
    "stencil": lambda: sweep(grid, out),
    "matmul": lambda: product(x, y),
    "histogram": lambda: hist(samples, -3.0, 3.0, 100),
    "reduction": lambda: squares(samples),
    "array_calls": array_calls,
    "loop_unchecked": lambda: into_unchecked(result, a, b),
    "stencil_unchecked": lambda: stencil_unchecked(grid, out),
}

for run in WORK.values():
    run()
expected = sum_sequence(a[:1000], b[:1000])
assert np.array_equal(seq(a, b)[:1000], expected) and np.array_equal(result[:1000], expected)
print("ready", flush=True)
for line in sys.stdin:
    run = WORK[line.strip()]
    start = time.perf_counter()
    run()
    print(time.perf_counter() - start, flush=True)
