"""kiln.cuda against a fake driver (tests/fake_cuda/libcuda.c, libcuda.so.1 in the build tree):
launch configurations, arguments as the kernel's parameters, copies, modules unloaded, errors."""
import os
import subprocess
import textwrap

import pytest

PRELUDE = """
import ctypes, gc, json, struct
import numpy as np
from kiln import cuda

fake = ctypes.CDLL("libcuda.so.1")  # the library kiln.cuda opened: the same soname, one copy
fake.fake_cuda_last_launch.restype = ctypes.c_char_p
fake.fake_cuda_fail.argtypes = [ctypes.c_char_p, ctypes.c_int]

def last():
    return json.loads(fake.fake_cuda_last_launch())

def params():
    '''The last launch's parameters: ints (unsigned), floats, as their PTX types hold them.'''
    out = []
    for ptx_type, hexes in last()["params"]:
        raw = bytes.fromhex(hexes)
        kind = ptx_type[1]
        if kind == "f":
            out.append(struct.unpack("<f" if len(raw) == 4 else "<d", raw)[0])
        else:
            out.append(int.from_bytes(raw, "little"))
    return out

def raises(exc, f, *args, match=""):
    try:
        f(*args)
    except exc as e:
        assert match in str(e), (match, str(e))
        return e
    raise AssertionError(f"{f} did not raise {exc.__name__}")

HOOK = ctypes.CFUNCTYPE(None)
"""


@pytest.fixture(scope="module")
def fake_dir(build_dir):
    path = build_dir / "tests" / "fake_cuda"
    if not (path / "libcuda.so.1").is_file():
        pytest.fail(f"{path}/libcuda.so.1 is not built")
    return path


def run(kiln, fake_dir, body):
    """body after PRELUDE, run by kiln with the fake driver first on the library path."""
    code = PRELUDE + textwrap.dedent(body) + "\nprint('ok')\n"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{fake_dir}:{os.environ.get('LD_LIBRARY_PATH', '')}",
               PYTHONDONTWRITEBYTECODE="1")
    r = subprocess.run([kiln, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    report = f"exit status {r.returncode}\n--- stdout\n{r.stdout}\n--- stderr\n{r.stderr}"
    assert r.returncode == 0 and r.stdout.splitlines()[-1:] == ["ok"], report
    return r.stdout


def test_the_fake_device_is_found(kiln, fake_dir):
    out = run(kiln, fake_dir, """
        assert cuda.is_available()
        assert cuda.detect()
        cuda.synchronize()
    """)
    assert "Kiln Fake GPU" in out and "compute capability: 8.6" in out


def test_launch_configurations(kiln, fake_dir):
    run(kiln, fake_dir, """
        @cuda.jit
        def k(a):
            i = cuda.grid(1)
            if i < a.shape[0]:
                a[i] = i

        d = cuda.device_array(10, dtype=np.float32)
        k[3, 4](d)
        got = last()
        assert got["grid"] == [3, 1, 1] and got["block"] == [4, 1, 1], got
        assert got["shared"] == 0 and got["stream"] == 0, got
        k[(2, 3), (4, 5, 6), 0, 128](d)
        got = last()
        assert got["grid"] == [2, 3, 1] and got["block"] == [4, 5, 6], got
        assert got["shared"] == 128 and got["stream"] == 0, got
        k[1, 1, 0](d)
        assert last()["shared"] == 0
        assert fake.fake_cuda_launches() == 3
        raises(ValueError, lambda: k[1](d), match="launch configuration")
        raises(ValueError, lambda: k[0, 1](d), match="grid")
        raises(ValueError, lambda: k[1, 1, 0, -1](d), match="shared_bytes")
        raises(ValueError, k, d, match="launch configuration")
    """)


def test_arguments_marshalled(kiln, fake_dir):
    run(kiln, fake_dir, """
        @cuda.jit
        def many(a, i, x, b, m, f):
            if cuda.grid(1) == 0:
                a[0] = i + x + m[1, 2] + f

        a = cuda.to_device(np.zeros(3))
        m = cuda.to_device(np.zeros((4, 5), dtype=np.float32))
        many[1, 32](a, -5, 2.5, True, m, np.float32(1.5))
        p = params()
        # a: data, 1 size, 1 stride; i; x; b; m: data, 2 sizes, 2 strides; f
        assert len(p) == 3 + 1 + 1 + 1 + 5 + 1, p
        assert p[1:3] == [3, 8], p
        assert p[3] == 2**64 - 5 and p[4] == 2.5 and p[5] == 1, p
        assert p[7:11] == [4, 5, 20, 4] and p[11] == 1.5, p
        types = [t for t, _ in last()["params"]]
        assert types[4] == ".f64" and types[11] == ".f32" and types[5] in (".u8", ".s8", ".b8"), types
        assert p[0] != p[6] and p[0] != 0 and p[6] != 0, p  # two device pointers, not values

        @cuda.jit("void(int32, float32, int64[:], uint8)")
        def typed(i, x, out, u):
            out[0] = i

        out = cuda.device_array(2, dtype=np.int64)
        typed[1, 1](-7, 0.25, out, 200)
        p = params()
        assert p[0] == 2**32 - 7 and p[1] == 0.25 and p[3:5] == [2, 8] and p[5] == 200, p
        typed[1, 1](True, 3, out, 1)  # bool to int32, int to float32: safe conversions
        assert params()[0:2] == [1, 3.0], params()
        e = raises(TypeError, typed[1, 1], 2.5, 0.25, out, 1, match="No matching definition")
        assert "type(s) float64, float64, array(int64, 1d, C), int64\\n" in str(e), str(e)
        assert "\\n    (int32, float32, array(int64, 1d, A), uint8) -> none" in str(e), str(e)
        raises(OverflowError, typed[1, 1], 2**40, 0.25, out, 1)
        raises(OverflowError, typed[1, 1], 1, 0.25, out, 300)
        raises(TypeError, typed[1, 1], 1, 0.25, np.zeros(2), 1, match="No matching definition")
        raises(TypeError, many[1, 1], a, 1j, 2.5, True, m, 1.0, match="real numbers")
    """)


def test_scalars_of_each_type(kiln, fake_dir):
    run(kiln, fake_dir, """
        @cuda.jit("void(int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64, boolean, float64[:])")
        def each(a, b, c, d, e, f, g, h, x, y, z, out):
            out[0] = x

        out = cuda.device_array(1)
        each[1, 1](-1, -2, -3, -4, 5, 6, 7, 2**64 - 1, 0.5, -0.25, True, out)
        types = [t for t, _ in last()["params"]]
        sizes = [len(h) // 2 for _, h in last()["params"]]
        assert sizes == [1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 1, 8, 8, 8], (types, sizes)
        p = params()
        assert p[:8] == [2**8 - 1, 2**16 - 2, 2**32 - 3, 2**64 - 4, 5, 6, 7, 2**64 - 1], p
        assert p[8:11] == [0.5, -0.25, 1], p
        raises(OverflowError, each[1, 1], 128, 0, 0, 0, 0, 0, 0, 0, 0.5, 0.5, True, out)
        raises(OverflowError, each[1, 1], 0, 0, 0, 0, -1, 0, 0, 0, 0.5, 0.5, True, out)
    """)


def test_copies(kiln, fake_dir):
    run(kiln, fake_dir, """
        host = np.arange(12, dtype=np.int32).reshape(3, 4)
        d = cuda.to_device(host)
        assert d.shape == (3, 4) and d.dtype == np.int32 and d.nbytes == 48 and d.size == 12
        assert (d.copy_to_host() == host).all()
        back = np.empty((3, 4), dtype=np.int32)
        assert d.copy_to_host(back) is back and (back == host).all()
        d.copy_to_device(host * 2)
        assert (d.copy_to_host() == host * 2).all()
        d.copy_to_device(np.asfortranarray(host))  # any layout of the same shape
        assert (d.copy_to_host() == host).all()
        f = np.zeros((3, 4), dtype=np.int32, order="F")
        d.copy_to_host(f)
        assert (f == host).all()
        assert (cuda.to_device(host[:, ::2]).copy_to_host() == host[:, ::2]).all()

        e = raises(TypeError, d.copy_to_host, np.empty((3, 4), dtype=np.float32), match="incompatible dtype")
        assert "int32 vs. float32" in str(e), str(e)
        e = raises(ValueError, d.copy_to_host, np.empty((4, 3), dtype=np.int32), match="incompatible shape")
        assert "(3, 4) vs. (4, 3)" in str(e), str(e)
        raises(ValueError, d.copy_to_device, np.zeros((2, 6), dtype=np.int32), match="incompatible shape")
        raises(TypeError, d.copy_to_device, np.zeros((3, 4), dtype=np.uint32), match="incompatible dtype")
        d.copy_to_device(np.ones((1, 3, 4), dtype=np.int32))  # axes of 1 aside, as numba.cuda
        assert (d.copy_to_host() == 1).all()

        e = cuda.device_array((2, 5), dtype=np.float32)
        assert e.shape == (2, 5) and e.dtype == np.float32 and e.strides == (20, 4)
        like = cuda.device_array_like(host)
        assert like.shape == host.shape and like.dtype == host.dtype
        assert cuda.device_array(4).dtype == np.float64
        raises(NotImplementedError, cuda.device_array, (2, 3), np.float32, None, "F", match="order='F'")
        raises(NotImplementedError, cuda.device_array, (2, 3), np.float32, (4, 8), match="strides")
        assert cuda.device_array((2, 3), order="C").shape == (2, 3)
        before = fake.fake_cuda_allocations()
        del d, e, like
        gc.collect()
        assert fake.fake_cuda_allocations() == before - 3
    """)


def test_numpy_arguments_copied_in_and_back(kiln, fake_dir):
    run(kiln, fake_dir, """
        @cuda.jit
        def double(a, b):
            i = cuda.grid(1)
            if i < a.shape[0]:
                a[i] = 2 * b[i]

        def kernel():  # what the fake GPU runs: a[i] = 2 * b[i], from the parameters
            p = params()
            a, b, n = p[0], p[3], p[1]
            src = (ctypes.c_double * n).from_address(b)
            dst = (ctypes.c_double * n).from_address(a)
            for i in range(n):
                dst[i] = 2 * src[i]

        hook = HOOK(kernel)
        fake.fake_cuda_on_launch(hook)
        a, b = np.zeros(5), np.arange(5.0)
        allocations = fake.fake_cuda_allocations()
        double[1, 8](a, b)
        assert (a == 2 * np.arange(5.0)).all() and (b == np.arange(5.0)).all(), a
        assert fake.fake_cuda_allocations() == allocations  # the copies freed
        strided = np.zeros(10)[::2]
        double[1, 8](strided, b)
        assert (strided == 2 * b).all(), strided
        da = cuda.device_array_like(a)
        double[1, 8](da, b)
        assert (da.copy_to_host() == 2 * b).all()
        fake.fake_cuda_on_launch(None)
    """)


def test_modules_unloaded_with_the_kernel(kiln, fake_dir):
    run(kiln, fake_dir, """
        def make():
            @cuda.jit
            def fill(a, v):
                i = cuda.grid(1)
                if i < a.shape[0]:
                    a[i] = v
            return fill

        d = cuda.device_array(4)
        k = make()
        k[1, 4](d, 1.0)
        k[1, 4](d, 2)  # another specialization, another module
        k[1, 4](d, 3.0)
        assert fake.fake_cuda_modules() == 2, fake.fake_cuda_modules()
        del k
        gc.collect()
        assert fake.fake_cuda_modules() == 0, fake.fake_cuda_modules()
        for _ in range(3):
            make()[1, 4](d, 1.0)
        gc.collect()
        assert fake.fake_cuda_modules() == 0
    """)


def test_errors_of_driver_calls(kiln, fake_dir):
    run(kiln, fake_dir, """
        @cuda.jit
        def k(a):
            a[0] = 1

        d = cuda.device_array(4)
        for entry, code, name, call in (
                ("cuModuleLoadDataEx", 200, "CUDA_ERROR_INVALID_IMAGE", lambda: k[1, 1](d)),
                ("cuModuleGetFunction", 500, "CUDA_ERROR_NOT_FOUND", lambda: k[1, 1](d)),
                ("cuLaunchKernel", 1, "CUDA_ERROR_INVALID_VALUE", lambda: k[1, 1](d)),
                ("cuMemAlloc_v2", 2, "CUDA_ERROR_OUT_OF_MEMORY", lambda: cuda.device_array(3)),
                ("cuMemcpyHtoD_v2", 1, "CUDA_ERROR_INVALID_VALUE", lambda: cuda.to_device(np.ones(3))),
                ("cuMemcpyDtoH_v2", 1, "CUDA_ERROR_INVALID_VALUE", lambda: d.copy_to_host()),
                ("cuCtxSynchronize", 1, "CUDA_ERROR_INVALID_VALUE", cuda.synchronize)):
            fake.fake_cuda_fail(entry.encode(), code)
            e = raises(cuda.CudaAPIError, call, match=name)
            assert entry.replace("_v2", "") in str(e), str(e)
            if entry == "cuModuleGetFunction":  # the module loaded was unloaded again
                assert fake.fake_cuda_modules() == 0
        assert fake.fake_cuda_modules() == 1
        k[1, 1](d)  # every call works again
        assert fake.fake_cuda_launches() == 1
    """)


def test_no_device(kiln, fake_dir):
    run(kiln, fake_dir, """
        fake.fake_cuda_fail(b"cuInit", 100)
        assert not cuda.is_available()
        e = raises(cuda.CudaSupportError, cuda.device_array, 3, match="CUDA_ERROR_NO_DEVICE")
        assert "no CUDA-capable device" in str(e), str(e)
        assert not cuda.detect()
    """)
