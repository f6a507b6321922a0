"""Import TensorFlow without its C++ start-up lines, which would fill the first notebook output.

TensorFlow's shared libraries log a few INFO lines (oneDNN, CUDA probing) through
absl before absl is initialised, and those ignore TF_CPP_MIN_LOG_LEVEL. They go to
file descriptor 2, so Python cannot filter them: the import runs with that
descriptor pointed at a temporary file, and every line but those INFO lines is
written back to stderr afterwards.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import tempfile

_ABSL_PREAMBLE = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"
_ABSL_INFO = re.compile(r"I\d{4} ")


def is_startup_info(line: str) -> bool:
    """Whether `line` is absl's INFO line (I + month and day) or the preamble it prints before the first one."""
    return line.rstrip("\n") == _ABSL_PREAMBLE or bool(_ABSL_INFO.match(line))


def import_tensorflow_quietly() -> None:
    """Import TensorFlow, dropping its start-up INFO lines unless TF_CPP_MIN_LOG_LEVEL asks for INFO (0)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" in sys.modules or os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0":
        importlib.import_module("tensorflow")
        return
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            importlib.import_module("tensorflow")
        finally:
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
            captured.seek(0)
            kept = [line for line in captured.read().decode(errors="replace").splitlines(True) if not is_startup_info(line)]
            sys.stderr.write("".join(kept))
