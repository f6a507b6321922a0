"""Every example notebook runs top to bottom (no internet, generated data)."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))


def test_there_are_example_notebooks():
    assert len(NOTEBOOKS) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_example_notebook_runs_top_to_bottom(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs if output.output_type == "error"
    ]
    assert not errors
    assert any(
        "application/vnd.jupyter.widget-view+json" in output.get("data", {})
        for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ), "the notebook displays an editor"
