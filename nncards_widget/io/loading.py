"""What every way of making a whole graph at once (a document, a Keras model) shares."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Loading makes objects that all live on: Python's cycle collector would only walk them again and
    again as they pile up (20000 cards load three times slower with it). It runs once at the end:
    left pending, that full collection came with the next cell's first allocations (showing the
    editor of an imported DenseNet201 waited 320 ms for it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()
