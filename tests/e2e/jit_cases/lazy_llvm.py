"""Importing kiln and decorating functions loads no LLVM; the first compilation does."""
import kiln


def llvm_loaded():
    with open("/proc/self/maps") as maps:
        return any("libLLVM" in line or "libkiln-llvm" in line for line in maps)


assert not llvm_loaded(), "LLVM is loaded before anything was compiled"


@kiln.njit
def inc(x):
    return x + 1


assert kiln.typeof(1) is kiln.int64 and repr(kiln.float64(kiln.int64)) == "(int64,) -> float64"
assert not llvm_loaded(), "decorating a function loaded LLVM"
assert inc(1) == 2
assert llvm_loaded(), "compiling did not load LLVM"

print("ok")
