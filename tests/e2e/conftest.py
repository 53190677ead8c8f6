"""Shared fixtures of the e2e tests: the build, a private Jupyter tree, and kernels started on demand."""
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))  # jupyter_wire: the raw client the benchmark uses too

from kernel_helpers import Kernel  # noqa: E402

PYTHON = "/usr/bin/python3"  # Debian's, with jupyter_client and nbconvert


@pytest.fixture(scope="session")
def repo_root():
    return REPO


@pytest.fixture(scope="session")
def build_dir():
    """The build folder under test: $KILN_BUILD_DIR, else build/ at the repository root."""
    return Path(os.environ.get("KILN_BUILD_DIR") or REPO / "build").resolve()


@pytest.fixture(scope="session")
def kiln(build_dir):
    """The `kiln` binary under test, as a string for argv."""
    path = build_dir / "repl" / "kiln"
    if not path.is_file():
        pytest.fail(f"{path} is not built")
    return str(path)


def default_sigint():
    """For preexec_fn: a child started from a background job would inherit SIGINT ignored, as python honours."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="session")
def kernel_binary(build_dir):
    path = build_dir / "kernel" / "kiln-kernel"
    if not path.is_file():
        pytest.fail(f"{path} is not built")
    return path


def install_kernelspec(binary, prefix, *options):
    """Runs `kiln-kernel install --prefix PREFIX`; returns the kernelspec folder it wrote."""
    subprocess.run([str(binary), "install", "--prefix", str(prefix), *options], check=True, timeout=60)
    return prefix / "share" / "jupyter" / "kernels" / "kiln"


@pytest.fixture(scope="session")
def jupyter_path(tmp_path_factory, kernel_binary):
    """A private Jupyter data tree holding kernelspecs kiln and kiln-message (interrupt by message).

    The environment points Jupyter at it, and its user folders at temporary ones,
    so nothing in the user's home is read or written.
    """
    root = tmp_path_factory.mktemp("jupyter")
    spec = install_kernelspec(kernel_binary, root / "prefix")
    message_spec = install_kernelspec(kernel_binary, root / "message", "--interrupt-mode", "message")
    shutil.copytree(message_spec, spec.parent / "kiln-message")
    data = spec.parent.parent
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(data))
        for var, folder in [
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("JUPYTER_CONFIG_DIR", "config"),
            ("IPYTHONDIR", "ipython"),
        ]:
            mp.setenv(var, str(root / folder))
        yield data


@pytest.fixture(scope="session")
def kernelspec(jupyter_path):
    """The folder of the kiln kernelspec."""
    return jupyter_path / "kernels" / "kiln"


@pytest.fixture(scope="module")
def kernel(jupyter_path):
    """One kiln kernel shared by the tests of a module."""
    k = Kernel("kiln")
    yield k
    k.stop()


@pytest.fixture
def fresh_kernel(jupyter_path):
    """Starts a kernel of its own for one test: fresh_kernel() or fresh_kernel('kiln-message')."""
    started = []

    def start(name="kiln"):
        started.append(Kernel(name))
        return started[-1]

    yield start
    for k in started:
        k.stop()
