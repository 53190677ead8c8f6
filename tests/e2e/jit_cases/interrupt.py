"""Interrupts: a KeyboardInterrupt that Python code raised and the program caught leaves no stale
interrupt for the compiled loops that run after it."""
import signal

from kiln import njit

from _compare import INTS, check


@njit
def loops(n):
    """A while loop, which polls on every turn, then a range loop, which polls between chunks."""
    s = 0
    i = 0
    while i < n:
        s += i
        i += 1
    for j in range(n):
        s -= j % 3
    return s


for _ in range(3):
    try:
        signal.raise_signal(signal.SIGINT)  # as ctrl-c at the terminal, or a notebook's interrupt
        for _ in range(10**7):
            pass
    except KeyboardInterrupt:
        pass
    check(loops, [(n,) for n in INTS[:11]] + [(300000,)])

print("ok")
