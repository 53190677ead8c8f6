"""The object-mode benchmark's work under one runner: `kiln objmode_work.py kiln serve`,
`python3 objmode_work.py numba serve` or `python3 objmode_work.py plain serve`.

Compiles every workload in object mode (kiln.jit(forceobj=True) or
numba.jit(forceobj=True); plain runs the functions as they are) with one
warm-up call, checks each result against the plain function's, prints
"ready", then runs each workload named on stdin once and prints its
CPU seconds (process time, so that a busy machine disturbs the comparison
less). The functions are the same source for all three.
"""
import sys
import time

import numpy as np

WHICH = sys.argv[1]  # then "serve", the only mode
QUICK = "--quick" in sys.argv
N = 10 ** 4 if QUICK else 10 ** 6
PRIMES = 10 ** 4 if QUICK else 2 * 10 ** 5

if WHICH == "kiln":
    from kiln import jit
elif WHICH == "numba":
    import numba

    def jit(**options):
        # No loop lifting: Numba 0.56 fails to lift some of these loops on Python 3.11, and
        # lifted loops would be nopython code, not object mode.
        return numba.jit(looplift=False, **options)
else:
    def jit(**options):
        return lambda f: f


def sum_sequence(a, b):
    result = np.zeros_like(a)
    for i in range(len(a)):
        result[i] = a[i] - b[i]
    return result


def count_primes(n):
    primes = []
    for k in range(2, n):
        is_prime = True
        for p in primes:
            if p * p > k:
                break
            if k % p == 0:
                is_prime = False
                break
        if is_prime:
            primes.append(k)
    return len(primes)


def sum_list(xs):
    total = 0
    for i in range(len(xs)):
        total += xs[i]
    return total


def word_counts(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return len(counts), max(counts.values())


def labels(n):
    out = []
    for i in range(n):
        if i % 3 == 0:
            out.append(f"{i}:fizz")
        else:
            out.append(str(i))
    return len("".join(out))


FUNCTIONS = [sum_sequence, count_primes, sum_list, word_counts, labels]
rng = np.random.default_rng(1)
a, b = rng.random(N), rng.random(N)
xs = list(range(N))
words = [f"w{int(v)}" for v in rng.random(N) * 1000]
ARGS = {
    "sum_sequence": (a, b),
    "count_primes": (PRIMES,),
    "sum_list": (xs,),
    "word_counts": (words,),
    "labels": (N // 4,),
}

compiled = {f.__name__: jit(forceobj=True)(f) for f in FUNCTIONS}
for f in FUNCTIONS:
    name = f.__name__
    got, want = compiled[name](*ARGS[name]), f(*ARGS[name])
    same = np.array_equal(got, want) if isinstance(want, np.ndarray) else got == want
    assert same, (name, got, want)
print("ready", flush=True)
for line in sys.stdin:
    name = line.strip()
    f, args = compiled[name], ARGS[name]
    start = time.process_time()  # CPU time: other processes on the machine do not count
    f(*args)
    print(time.process_time() - start, flush=True)
