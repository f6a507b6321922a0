"""What every way of making a whole graph at once (a document, a Keras model) shares."""

from __future__ import annotations

import asyncio
import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Loading makes objects that all live on: Python's cycle collector would only walk them again and
    again as they pile up (20000 cards load three times slower with it). It runs again afterwards, and
    in a kernel the full collection the loading made due runs as soon as the kernel is idle: left to
    come with the next cell's first allocations, it held up whatever that cell did (showing the editor
    of an imported DenseNet201 waited 320 ms for it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            _collect_when_idle()


def _collect_when_idle() -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        # No event loop (a script): nothing waits between statements, the collection comes when due.
        return
    loop.call_soon(gc.collect)
