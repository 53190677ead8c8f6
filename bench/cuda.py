"""kiln.cuda on a GPU: vector add and saxpy checked against NumPy, timed beside numba.cuda.

Run it with the kiln binary on a machine with a GPU and its driver:

    build/repl/kiln bench/cuda.py [--n 10000000] [--runs 50]

Without a driver it says so and exits 0; without Numba it times Kiln alone.
"""
import argparse
import statistics
import sys
import time

import numpy as np

from kiln import cuda


def kernels(jit, grid, gridsize):
    """vector add and saxpy for one CUDA front end (kiln.cuda or numba.cuda)."""

    @jit
    def vector_add(a, b, out):
        i = grid(1)
        if i < out.shape[0]:
            out[i] = a[i] + b[i]

    @jit
    def saxpy(alpha, x, y, out):
        i = grid(1)
        stride = gridsize(1)
        while i < x.shape[0]:
            out[i] = alpha * x[i] + y[i]
            i += stride

    return vector_add, saxpy


def front_ends():
    yield "kiln", cuda, kernels(cuda.jit, cuda.grid, cuda.gridsize)
    try:
        from numba import cuda as ncuda
    except ImportError:
        print("numba.cuda is not installed: Kiln alone", file=sys.stderr)
        return
    yield "numba", ncuda, kernels(ncuda.jit, ncuda.grid, ncuda.gridsize)


def timed(launch, sync, runs):
    """Median seconds of launch + synchronize, after one warm-up launch (which compiles)."""
    start = time.perf_counter()
    launch()
    sync()
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        launch()
        sync()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times)


def bench(name, api, pair, n, runs):
    vector_add, saxpy = pair
    rng = np.random.default_rng(0)
    a, b = rng.random(n, dtype=np.float32), rng.random(n, dtype=np.float32)
    threads = 256
    blocks = (n + threads - 1) // threads
    da, db, dout = api.to_device(a), api.to_device(b), api.device_array(n, np.float32)

    rows = {}
    rows["vector_add"] = timed(lambda: vector_add[blocks, threads](da, db, dout), api.synchronize,
                               runs)
    assert np.allclose(dout.copy_to_host(), a + b), f"{name}: vector_add differs from NumPy"

    alpha = np.float32(2.5)
    rows["saxpy"] = timed(lambda: saxpy[160, threads](alpha, da, db, dout), api.synchronize, runs)
    assert np.allclose(dout.copy_to_host(), alpha * a + b), f"{name}: saxpy differs from NumPy"

    host_out = np.empty_like(a)
    rows["vector_add, NumPy arrays copied in and out"] = timed(
        lambda: vector_add[blocks, threads](a, b, host_out), api.synchronize, max(runs // 10, 1))
    assert np.allclose(host_out, a + b), f"{name}: vector_add on host arrays differs"
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if not cuda.is_available():
        cuda.detect()
        return 0
    cuda.detect()
    results = {name: bench(name, api, pair, args.n, args.runs) for name, api, pair in front_ends()}
    names = list(results)
    print(f"\n{'kernel':45} " + " ".join(f"{n + ' first':>12} {n + ' warm':>12}" for n in names))
    for row in results["kiln"]:
        cells = " ".join(f"{results[n][row][0] * 1e3:10.3f}ms {results[n][row][1] * 1e6:10.1f}us"
                         for n in names)
        print(f"{row:45} {cells}")
    print("\ncorrectness: every kernel's result matches NumPy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
