"""Every examples/*.ipynb is committed clean and executes on the kiln kernel through nbconvert."""
import subprocess

import nbformat
import pytest

from conftest import PYTHON, REPO

NOTEBOOKS = sorted((REPO / "examples").glob("*.ipynb"))


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_there_are_examples():
    assert NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_without_outputs(notebook):
    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "kiln"
    assert nb.metadata.kernelspec.language == "python"
    assert all(not cell.outputs and cell.execution_count is None for cell in code_cells(nb))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(notebook, jupyter_path, tmp_path):
    command = [
        PYTHON, "-m", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.kernel_name=kiln", "--output-dir", str(tmp_path), str(notebook),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    nb = nbformat.read(tmp_path / notebook.name, as_version=4)
    cells = code_cells(nb)
    assert all(cell.execution_count for cell in cells)
    outputs = [out for cell in cells for out in cell.outputs]
    assert outputs
    assert not [out for out in outputs if out.output_type == "error"]
