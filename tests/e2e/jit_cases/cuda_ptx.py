"""kiln.cuda without a GPU: PTX for seven kernels, checked by ptxas when the toolkit is installed;
launches and copies fail with a clear error when there is no driver; typing errors."""
import math
import os
import subprocess
import tempfile

import numpy as np

from kiln import TypingError, cuda, float32, int32

from _compare import raises

PTXAS = "/usr/local/cuda/bin/ptxas"


@cuda.jit("void(float32[:], float32[:], float32[:])")
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.shape[0]:
        out[i] = a[i] + b[i]


@cuda.jit
def saxpy(alpha, x, y, out):
    i = cuda.threadIdx.x + cuda.blockIdx.x * cuda.blockDim.x
    stride = cuda.gridsize(1)
    while i < x.shape[0]:
        out[i] = alpha * x[i] + y[i]
        i += stride


@cuda.jit
def scale_2d(m, factor):
    i, j = cuda.grid(2)
    if i < m.shape[0] and j < m.shape[1]:
        m[i, j] = m[i, j] * factor + math.sqrt(abs(m[i, j]))


@cuda.jit
def atomic_sum(values, total):
    i = cuda.grid(1)
    if i < values.shape[0]:
        cuda.atomic.add(total, 0, values[i])


@cuda.jit
def block_sum(values, sums):
    cache = cuda.shared.array(128, dtype=float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    cache[t] = values[i] if i < values.shape[0] else 0.0
    cuda.syncthreads()
    step = 64
    while step > 0:
        if t < step:
            cache[t] += cache[t + step]
        cuda.syncthreads()
        step //= 2
    if t == 0:
        sums[cuda.blockIdx.x] = cache[0]


@cuda.jit
def mandelbrot(image, xmin, xmax, ymin, ymax, iters):
    x, y = cuda.grid(2)
    height, width = image.shape[0], image.shape[1]
    if x >= width or y >= height:
        return
    c_re = xmin + x * (xmax - xmin) / width
    c_im = ymin + y * (ymax - ymin) / height
    z_re, z_im = 0.0, 0.0
    n = 0
    while n < iters and z_re * z_re + z_im * z_im < 4.0:
        z_re, z_im = z_re * z_re - z_im * z_im + c_re, 2.0 * z_re * z_im + c_im
        n += 1
    image[y, x] = n


@cuda.jit(device=True)
def smooth(v, k):
    return math.exp(-v * v / k) * math.sin(v)


@cuda.jit
def apply_smooth(x, out, k):
    local = cuda.local.array((2,), dtype=float32)
    i = cuda.grid(1)
    if i < x.shape[0]:
        local[0] = smooth(x[i], k)
        local[1] = smooth(-x[i], k)
        out[i] = local[0] - local[1]


F32 = "float32[:]"
KERNELS = {
    vector_add: ("void(float32[:], float32[:], float32[:])", ["ld.global.f32", "st.global.f32"]),
    saxpy: (f"void(float32, {F32}, {F32}, {F32})", ["ld.global.f32", "st.global.f32"]),
    scale_2d: ("void(float64[:, :], float64)", ["ld.global.f64", "st.global.f64", "sqrt.rn.f64"]),
    atomic_sum: (f"void({F32}, {F32})", ["ld.global.f32", "atom.global.add.f32"]),
    block_sum: (f"void({F32}, {F32})", ["bar.sync", "ld.shared.f32", "st.global.f32"]),
    mandelbrot: ("void(int32[:, :], float64, float64, float64, float64, int64)",
                 ["st.global.u32"]),
    apply_smooth: (f"void({F32}, {F32}, float32)", ["ld.global.f32", "st.global.f32"]),
}


def check_ptx(kernel, signature, needles):
    ptx = kernel.inspect_ptx(signature)
    name = kernel.__name__
    assert f".entry {name}(" in ptx, ptx
    assert ".target sm_70" in ptx, ptx[:300]
    for needle in needles:
        assert needle in ptx, f"{name}: {needle} not in\n{ptx}"
    assert "call" not in ptx or name == "apply_smooth", ptx  # everything inlined
    return ptx


def ptxas(path, arch):
    return subprocess.run([PTXAS, f"-arch={arch}", path, "-o", os.devnull],
                          capture_output=True, text=True)


def assemble(name, ptx):
    """ptxas accepts the PTX for sm_70 and sm_90 (skipped without the CUDA toolkit). CUDA 13's
    ptxas no longer knows Volta: there the oldest it has, sm_75, stands in for sm_70."""
    if not os.path.exists(PTXAS):
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"{name}.ptx")
        with open(path, "w") as f:
            f.write(ptx)
        for arch in ("sm_70", "sm_90"):
            r = ptxas(path, arch)
            if arch == "sm_70" and "is not defined for option" in r.stderr:
                r = ptxas(path, arch := "sm_75")
            assert r.returncode == 0, f"ptxas -arch={arch} {name}: {r.stderr}"


for kernel, (signature, needles) in KERNELS.items():
    assemble(kernel.__name__, check_ptx(kernel, signature, needles))

# Libdevice supplies the math functions: no call is left unresolved.
smooth_ptx = apply_smooth.inspect_ptx(KERNELS[apply_smooth][0])
assert "__nv_expf" not in smooth_ptx and ".extern" not in smooth_ptx, smooth_ptx

# inspect_ptx() with no signature: every one compiled so far, by signature.
assert len(vector_add.inspect_ptx()) == 1
assert "define" in vector_add.inspect_llvm("void(float32[:], float32[:], float32[:])")

# The architecture is overridable.
os.environ["KILN_CUDA_ARCH"] = "sm_90"


@cuda.jit
def copy(a, b):
    i = cuda.grid(1)
    if i < a.shape[0]:
        b[i] = a[i]


assert ".target sm_90" in copy.inspect_ptx("void(int32[:], int32[:])")
del os.environ["KILN_CUDA_ARCH"]

# Without a driver: a clear error, and is_available() says so.
if not cuda.is_available():
    a = np.arange(16, dtype=np.float32)
    err = raises(cuda.CudaSupportError, vector_add[1, 16], a, a, a, match="no CUDA driver found")
    assert "libcuda.so.1" in str(err)
    raises(cuda.CudaSupportError, cuda.to_device, a, match="no CUDA driver found")
    raises(cuda.CudaSupportError, cuda.device_array, 16, match="no CUDA driver found")
    raises(cuda.CudaSupportError, cuda.synchronize, match="no CUDA driver found")
    assert cuda.detect() is False

# Launch configurations and Python-side misuse.
raises(ValueError, vector_add, match="launch configuration")
raises(ValueError, lambda: vector_add[1], match="launch configuration")
raises(RuntimeError, cuda.grid, 1, match="inside a @cuda.jit kernel")


# Typing errors.
@cuda.jit
def returns_value(a):
    return a[0]


raises(TypingError, returns_value.inspect_ptx, "void(float32[:])",
       match="a CUDA kernel must return nothing")
raises(TypingError, cuda.jit("float32(float32[:])"), returns_value.py_func,
       match="must return nothing")


@cuda.jit
def bad_grid(a):
    a[0] = cuda.grid(4)


raises(TypingError, bad_grid.inspect_ptx, "void(int64[:])", match="1, 2 or 3")


@cuda.jit
def bad_shared(a, n):
    s = cuda.shared.array(n, dtype=float32)
    a[0] = s[0]


raises(TypingError, bad_shared.inspect_ptx, "void(float32[:], int64)", match="must be a constant")


@cuda.jit
def bad_atomic(a):
    cuda.atomic.add(a, (0, 1), 1)


raises(TypingError, bad_atomic.inspect_ptx, "void(int32[:])", match="integer index")



@cuda.jit
def needs_host(a):
    a[0] = a[1] ** a[2]


raises(TypingError, needs_host.inspect_ptx, "void(int64[:])", match="needs the host's kn_rt_ipow")


# A 2-D shared tile, atomic max and min on integers, int() of a float: no runtime call is left.
@cuda.jit
def tile_extremes(m, out):
    tile = cuda.shared.array((16, 16), dtype=np.float64)
    i, j = cuda.grid(2)
    tile[cuda.threadIdx.y, cuda.threadIdx.x] = m[i, j]
    cuda.syncthreads()
    cuda.atomic.max(out, 0, int(tile[0, 0]))
    cuda.atomic.min(out, 1, int(tile[1, 1]))


ptx = tile_extremes.inspect_ptx("void(float64[:, :], int32[:])")
for needle in ("atom.global.max.s32", "atom.global.min.s32", "ld.shared.f64", "bar.sync"):
    assert needle in ptx, f"{needle} not in\n{ptx}"
assemble("tile_extremes", ptx)

from kiln import njit  # noqa: E402


@njit
def host_uses_cuda(a):
    return cuda.threadIdx.x


raises(TypingError, host_uses_cuda, np.zeros(1), match="can only be used in a @cuda.jit kernel")
assert int32 is not None
print("ok")
