"""Control flow: if/elif/else, while/else, for over range with 1 to 3 arguments, break, continue, return."""
from kiln import njit

from _compare import INTS, SMALL_INTS, check, pairs


@njit
def classify(x):
    if x < -5:
        r = 0
    elif x < 0:
        r = 1
    elif x == 0:
        r = 2
    else:
        r = 3
    return r


check(classify, [(x,) for x in INTS])
check(classify, [(-7.5,), (-0.5,), (0.0,), (float("nan"),)])


@njit
def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


check(collatz, [(n,) for n in (1, 2, 3, 7, 27, 97, 871)])


@njit
def find_divisor(n):
    d = 2
    while d * d <= n:
        if n % d == 0:
            break
        d += 1
    else:
        return -1
    return d


check(find_divisor, [(n,) for n in (2, 4, 9, 13, 91, 97, 1001)])


@njit
def counted(n, stop):
    """A while loop runs in chunks of 65536 turns with a poll between them: results across the
    chunks' edges, with continue, break and else."""
    s = 0
    i = 0
    while i < n:
        i += 1
        if i % 7 == 0:
            continue
        if i == stop:
            break
        s += (i * i) >> 3
    else:
        s = -s
    return s, i


check(counted, [(n, stop) for n in (-1, 0, 65535, 65536, 65537, 140000) for stop in (-1, 65536, 131073)])


@njit
def range1(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


@njit
def range2(a, b):
    s = 0
    for i in range(a, b):
        s = s * 3 + i
    return s


@njit
def range3(a, b, step):
    s = 0
    count = 0
    for i in range(a, b, step):
        s += i
        count += 1
    return s, count


check(range1, [(n,) for n in (-3, 0, 1, 10, 1000)])
check(range2, pairs(SMALL_INTS))
check(range3, [(a, b, s) for a in (-5, 0, 7) for b in (-6, 0, 9) for s in (1, 2, 3, -1, -2, -4)])


@njit
def loop_control(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        if i > 20:
            break
        total += i
    else:
        total = -total
    return total


check(loop_control, [(n,) for n in (0, 1, 5, 21, 22, 100)])


@njit
def nested(n):
    count = 0
    for i in range(n):
        for j in range(i):
            if (i + j) % 5 == 0:
                break
            count += 1
        else:
            count += 100
    return count


check(nested, [(n,) for n in (0, 3, 10, 17)])


@njit
def early(x):
    for i in range(10):
        if i * i > x:
            return i
    return -1


@njit
def no_return(x):
    y = x + 1  # noqa: F841 - a function that returns nothing returns None


check(early, [(x,) for x in INTS])
check(no_return, [(1,), (2.5,)])
assert no_return(1) is None

print("ok")
