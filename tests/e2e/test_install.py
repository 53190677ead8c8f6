"""`cmake --install` lays Kiln out as xeus kernels are, and the installed binaries run on their own."""
import json
import subprocess

import pytest


@pytest.fixture(scope="module")
def prefix(build_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("install")
    subprocess.run(["cmake", "--install", str(build_dir), "--prefix", str(root)],
                   check=True, capture_output=True, timeout=120)
    return root


def test_binaries_and_kernelspec_in_place(prefix):
    spec = prefix / "share" / "jupyter" / "kernels" / "kiln"
    for path in [prefix / "bin" / "kiln", prefix / "bin" / "kiln-kernel",
                 spec / "kernel.json", spec / "logo-32x32.png", spec / "logo-64x64.png"]:
        assert path.is_file(), path
    kernel = json.loads((spec / "kernel.json").read_text())
    assert kernel["argv"] == [str(prefix / "bin" / "kiln-kernel"), "-f", "{connection_file}"]
    assert kernel["language"] == "python"


def test_installed_kiln_compiles(prefix):
    code = "import kiln\n@kiln.njit\ndef f(x): return x + 1\nprint(f(41))"
    out = subprocess.run([str(prefix / "bin" / "kiln"), "-c", code],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "42\n"


def test_kernel_install_user_writes_to_jupyter_data_dir(prefix, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    subprocess.run([str(prefix / "bin" / "kiln-kernel"), "install", "--user"],
                   check=True, capture_output=True, timeout=60)
    kernel = json.loads((tmp_path / "kernels" / "kiln" / "kernel.json").read_text())
    assert kernel["argv"][0] == str(prefix / "bin" / "kiln-kernel")
