"""Importing nncards_widget does not print TensorFlow's C++ start-up lines, and keeps every other line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nncards_widget._tensorflow_import import is_startup_info

MODULE = Path(__file__).resolve().parents[2] / "nncards_widget" / "_tensorflow_import.py"


@pytest.mark.parametrize(
    "line, startup",
    [
        ("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n", True),
        ("I0000 00:00:1795580077.964701    8058 port.cc:153] oneDNN custom operations are on.\n", True),
        ("I1124 10:00:00.000000    8058 cudart_stub.cc:31] Could not find cuda drivers\n", True),
        ("W0000 00:00:1795580077.964701    8058 something.cc:1] a warning\n", False),
        ("E0000 00:00:1795580077.964701    8058 something.cc:1] an error\n", False),
        ("Traceback (most recent call last):\n", False),
        ("INFO is a word\n", False),
    ],
)
def test_only_absl_info_lines_and_their_preamble_are_startup_info(line, startup):
    assert is_startup_info(line) is startup


def _run(code: str, **environment) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env={**env, **environment}, check=True
    )


def test_importing_the_package_prints_no_startup_lines():
    stderr = _run("import nncards_widget").stderr
    assert not [line for line in stderr.splitlines() if is_startup_info(line)], stderr


def _import_fake_tensorflow_quietly(tmp_path, fake_init: str) -> str:
    """Code that imports a stand-in TensorFlow (its __init__ is `fake_init`) through import_tensorflow_quietly."""
    (tmp_path / "tensorflow").mkdir()
    (tmp_path / "tensorflow" / "__init__.py").write_text(fake_init)
    # The module alone, not the package, whose own import would reach the real TensorFlow through Keras.
    return (
        f"import importlib.util, sys; sys.path.insert(0, {str(tmp_path)!r})\n"
        f"spec = importlib.util.spec_from_file_location('quiet', {str(MODULE)!r})\n"
        "quiet = importlib.util.module_from_spec(spec); spec.loader.exec_module(quiet)\n"
        "quiet.import_tensorflow_quietly()\n"
    )


def test_lines_other_than_startup_info_still_reach_stderr(tmp_path):
    # Written to file descriptor 2, as TensorFlow's C++ libraries do.
    code = _import_fake_tensorflow_quietly(
        tmp_path,
        "import os\n"
        "os.write(2, b'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\\n')\n"
        "os.write(2, b'I0000 00:00:1.0  1 port.cc:153] oneDNN custom operations are on.\\n')\n"
        "os.write(2, b'E0000 00:00:1.0  1 kernel.cc:9] something is wrong\\n')\n",
    )
    assert _run(code).stderr.splitlines() == ["E0000 00:00:1.0  1 kernel.cc:9] something is wrong"]
    assert len(_run(code, TF_CPP_MIN_LOG_LEVEL="0").stderr.splitlines()) == 3


def test_a_failing_tensorflow_import_still_raises(tmp_path):
    code = _import_fake_tensorflow_quietly(tmp_path, "raise ImportError('no TensorFlow here')\n")
    with pytest.raises(subprocess.CalledProcessError) as failure:
        _run(code)
    assert "ImportError: no TensorFlow here" in failure.value.stderr
