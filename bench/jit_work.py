"""The JIT benchmark's work under one JIT: `kiln jit_work.py kiln MODE` or `python3 jit_work.py numba MODE`.

MODE first: imports the JIT, then decorates and calls `f(x): return x + 1`
once; prints the two times as JSON. MODE serve: compiles every workload with
one warm-up call, prints "ready", then for each workload name read from
stdin runs it once and prints the seconds it took (warm_call: nanoseconds
per call of f(1), from one timeit repeat). bench/jit.py drives one server
per JIT in turn, so both see the same load on the machine. The functions are
the same source for both JITs: nothing below depends on which one runs it.
"""
import json
import math
import sys
import time
import timeit

WHICH, MODE = sys.argv[1], sys.argv[2]
QUICK = "--quick" in sys.argv[3:]


# The first call: the import, then from just before the decorated def to just after its first call.
start = time.perf_counter()
if WHICH == "kiln":
    from kiln import njit
else:
    from numba import njit
imported = time.perf_counter()


@njit
def f(x):
    return x + 1


assert f(1) == 2
called = time.perf_counter()

if MODE == "first":
    print(json.dumps({"import": imported - start, "first_call": called - imported}))
    sys.exit(0)


@njit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@njit
def count_primes(n):
    """Primes below n, by trial division."""
    count = 0
    for i in range(2, n):
        d = 2
        prime = True
        while d * d <= i:
            if i % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return count


@njit
def sum_sqrt(n):
    s = 0.0
    for i in range(n):
        s += math.sqrt(i)
    return s


# The interrupt polls' cost. Kiln polls once per 65536 iterations of an
# innermost loop, range or while; Numba never polls. The same
# body runs in both loop forms: an integer one that vectorizes, and a float
# one whose additions form one chain (strict IEEE order), so no loop form
# vectorizes it and a poll is all that differs.


@njit
def int_for(n):
    s = 0
    for i in range(n):
        s += (i * i) >> 3
    return s


@njit
def int_while(n):
    s = 0
    i = 0
    while i < n:
        s += (i * i) >> 3
        i += 1
    return s


@njit
def float_for(n):
    s = 0.0
    for i in range(n):
        x = i * 0.5
        s += x * x
    return s


@njit
def float_while(n):
    s = 0.0
    i = 0
    while i < n:
        x = i * 0.5
        s += x * x
        i += 1
    return s


# key: (function, argument, argument in --quick)
WORKLOADS = {
    "fib": (fib, 30, 20),
    "primes": (count_primes, 200_000, 20_000),
    "sqrt": (sum_sqrt, 10**7, 10**5),
    "int_for": (int_for, 10**8, 10**6),
    "int_while": (int_while, 10**8, 10**6),
    "float_for": (float_for, 5 * 10**7, 10**6),
    "float_while": (float_while, 5 * 10**7, 10**6),
}


WARM_CALL_LOOPS = 10_000 if QUICK else 1_000_000


def warm_call_ns():
    """Nanoseconds per call of f(1) once compiled: one timeit repeat, nothing subtracted."""
    return timeit.timeit("f(1)", globals=globals(), number=WARM_CALL_LOOPS) / WARM_CALL_LOOPS * 1e9


def timed(func, arg, expected):
    start = time.perf_counter()
    got = func(arg)
    elapsed = time.perf_counter() - start
    assert got == expected, (func, got, expected)
    return elapsed


def serve():
    """Answers each workload name on stdin with one timed run of it."""
    runners = {"warm_call": warm_call_ns}
    for key, (func, arg, quick_arg) in WORKLOADS.items():
        arg = quick_arg if QUICK else arg
        expected = func(arg)  # compiles, and warms up
        runners[key] = lambda func=func, arg=arg, expected=expected: timed(func, arg, expected)
    f(1)
    print("ready", flush=True)
    for line in sys.stdin:
        print(repr(runners[line.strip()]()), flush=True)


serve()
