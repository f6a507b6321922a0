"""Layer weights: their size before anything is allocated, the limit on it, and keeping trained values.

A new layer is called inside `keras.StatelessScope(initialize_variables=False)`, where
Keras gives its variables their shapes but no values. Only when their size fits the
limit are the values made (from the initializers, or copied from the layer it replaces);
a layer that would need more is refused with the figure, and nothing was allocated for it.

The limit is on the weights the graph's layers hold in all: half of this machine's
memory (or of the container's, where that is smaller) unless `set_weights_limit` or
the environment variable NNCARDS_WEIGHTS_LIMIT (in bytes) says otherwise.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any, Callable

import keras
import numpy as np

# Keras keeps the variables a stateless scope left without values in this list of its global state.
from keras.src.backend.common import global_state

from .checks import CardProblem

ENVIRONMENT_VARIABLE = "NNCARDS_WEIGHTS_LIMIT"
_UNINITIALIZED = "uninitialized_variables"
_CGROUP_LIMIT = Path("/sys/fs/cgroup/memory.max")

_limit: int | None = None


def machine_memory() -> int:
    """Bytes of memory this process may use: the machine's, or its container's if smaller."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        container = _CGROUP_LIMIT.read_text().strip()
    except OSError:
        return memory
    return min(memory, int(container)) if container.isdigit() else memory


def set_weights_limit(nbytes: int | None) -> None:
    """Limit the bytes of weights the graph's layers may hold in all; None: back to half of the memory."""
    global _limit
    if nbytes is not None and (not isinstance(nbytes, int) or isinstance(nbytes, bool) or nbytes <= 0):
        raise ValueError(f"expected a positive number of bytes, or None. Received: nbytes={nbytes!r}")
    _limit = nbytes


def weights_limit() -> tuple[int, str]:
    """The limit in bytes, and where it comes from, in words."""
    if _limit is not None:
        return _limit, "set with set_weights_limit"
    configured = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if configured:
        try:
            return int(float(configured)), f"set by {ENVIRONMENT_VARIABLE}"
        except ValueError:
            pass
    memory = machine_memory()
    return memory // 2, f"half of this machine's {size_text(memory)} of memory"


def size_text(nbytes: int) -> str:
    """16000000000 -> "16.0 GB"."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if nbytes >= scale:
            return f"{nbytes / scale:.1f} {unit}"
    return f"{nbytes} bytes"


def weight_bytes(obj: Any) -> int:
    """The bytes of a layer's weights (0 for anything else, or a layer not built yet)."""
    if not isinstance(obj, keras.layers.Layer) or not obj.built:
        return 0
    return _bytes(obj.weights)


def _bytes(variables) -> int:
    return sum(math.prod(variable.shape) * np.dtype(variable.dtype).itemsize for variable in variables)


def call_within_limit(layer, call: Callable[[], Any], others: int, carry_from: Any = None) -> Any:
    """`call()`, which builds `layer`, with its new variables sized before they get values.

    Raises CardProblem, with the figures, if the new variables would take the weights
    of the graph's layers (`others` bytes without this one) past the limit; nothing
    was allocated for them then. If `carry_from` is a layer whose weights have the
    same names and shapes, the new variables start from copies of its values (a
    trained layer's, which an edit replaced) instead of their initializers'.
    """
    existing = {id(variable) for variable in layer.weights}
    pending = global_state.get_global_attribute(_UNINITIALIZED, [], set_to_default=True)
    start = len(pending)
    try:
        with keras.StatelessScope(initialize_variables=False):
            output = call()
        created = pending[start:]
        needed = _bytes(variable for variable in layer.weights if id(variable) not in existing)
        limit, origin = weights_limit()
        if others + needed > limit:
            held = f", and the other layers already hold {size_text(others)}" if others else ""
            raise CardProblem(
                f"this layer would need {size_text(needed)} of weights{held}; the graph's layers may hold "
                f"{size_text(limit)} in all ({origin}). Use fewer units or filters, or a smaller input"
            )
        if carry_from is not None and structure(carry_from) == structure(layer):
            for new, old in zip(layer.weights, carry_from.weights):
                new._initialize(keras.ops.copy(old.value))
                new._initializer = None
        else:
            for variable in created:
                variable._deferred_initialize()
        return output
    finally:
        del pending[start:]


def structure(layer: Any) -> tuple:
    """What a layer's weights are: name, shape and type of each, in order."""
    if not isinstance(layer, keras.layers.Layer) or not layer.built:
        return ()
    return tuple((variable.name, tuple(variable.shape), variable.dtype) for variable in layer.weights)
