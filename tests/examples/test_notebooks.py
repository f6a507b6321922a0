"""Every example notebook runs top to bottom (no internet, generated data)."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from nncards_widget._tensorflow_import import is_startup_info

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))


def test_there_are_example_notebooks():
    assert len(NOTEBOOKS) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_example_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    notebook = nbformat.read(path, as_version=4)
    # The kernel starts as a user's would: without TensorFlow's log level set, and
    # forwarding what C++ writes to its stderr (ipykernel does not under pytest).
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs if output.output_type == "error"
    ]
    assert not errors
    streamed = "".join(
        output.text for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.outputs if output.output_type == "stream"
    )
    assert not [line for line in streamed.splitlines() if is_startup_info(line)], "TensorFlow's start-up log shows"
    assert any(
        "application/vnd.jupyter.widget-view+json" in output.get("data", {})
        for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ), "the notebook displays an editor"
