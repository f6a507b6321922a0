"""The arrays and numbers a training run takes, checked before anything starts, against the model's Input cards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


class TrainingDataError(ValueError):
    """Arrays or fit arguments that cannot train the model; says what was received and what is expected."""


@dataclass(frozen=True)
class FitPlan:
    """What `model.fit` is given: checked arrays (x: an array, or a dict by Input name) and loop settings."""

    x: Any
    y: np.ndarray
    validation: tuple | None
    epochs: int
    batch_size: int
    shuffle: bool

    @property
    def samples(self) -> int:
        return len(self.y)

    @property
    def batches_per_epoch(self) -> int:
        return -(-self.samples // self.batch_size)


def _whole(name: str, value: Any, at_least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < at_least:
        raise TrainingDataError(f"{name}: expected a whole number, at least {at_least}. Received: {name}={value!r:.80}")
    return int(value)


def _array(name: str, value: Any) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TrainingDataError(f"{name}: expected an array of numbers. Received: {type(value).__name__} ({error})") from None
    if array.dtype.kind not in "biuf" or array.ndim == 0:
        raise TrainingDataError(f"{name}: expected an array of numbers with a sample axis. Received: dtype {array.dtype}, shape {array.shape}")
    return array


def _inputs_of(model, x: Any, name: str) -> tuple[Any, int]:
    """`x` as the model takes it, checked against each Input's shape; and the number of samples."""
    inputs = {tensor.name: tensor for tensor in model.inputs}
    if isinstance(x, dict):
        unknown, missing = sorted(set(x) - set(inputs)), sorted(set(inputs) - set(x))
        if unknown or missing:
            raise TrainingDataError(f"{name}: expected arrays for the Inputs {sorted(inputs)}. Received: {sorted(x)}")
        arrays = {key: _array(f"{name}[{key!r}]", value) for key, value in x.items()}
    else:
        if len(inputs) != 1:
            raise TrainingDataError(f"{name}: the model has {len(inputs)} Inputs; give a dict of arrays by Input name: {sorted(inputs)}")
        arrays = {next(iter(inputs)): _array(name, x)}
    counts = set()
    for key, array in arrays.items():
        expected = tuple(inputs[key].shape[1:])
        received = array.shape[1:]
        fits = len(expected) == len(received) and all(e is None or e == r for e, r in zip(expected, received))
        if not fits:
            shown = ", ".join("any" if e is None else str(e) for e in expected)
            raise TrainingDataError(
                f"{name}: Input {key!r} takes samples of shape ({shown}). Received: an array of shape {array.shape}"
            )
        counts.add(len(array))
    if len(counts) != 1:
        raise TrainingDataError(f"{name}: every Input's array needs the same number of samples. Received: {sorted(counts)}")
    given = arrays if isinstance(x, dict) else next(iter(arrays.values()))
    return given, counts.pop()


def _targets(y: Any, samples: int, name: str) -> np.ndarray:
    targets = _array(name, y)
    if len(targets) != samples:
        raise TrainingDataError(f"{name}: expected {samples} targets, one per sample. Received: {len(targets)}")
    return targets


def fit_plan(
    model,
    x: Any,
    y: Any,
    *,
    validation_data: tuple | None = None,
    validation_split: float = 0.0,
    epochs: int = 1,
    batch_size: int = 32,
    shuffle: bool = True,
) -> FitPlan:
    """Check what a training run is given; a held-out part (`validation_split`) is taken from the end, as Keras does."""
    if model is None:
        raise TrainingDataError("There is no model to train: connect an Input card through layers to an Output card.")
    epochs, batch_size = _whole("epochs", epochs, 1), _whole("batch_size", batch_size, 1)
    if not isinstance(shuffle, bool):
        raise TrainingDataError(f"shuffle: expected True or False. Received: {shuffle!r:.80}")
    inputs, samples = _inputs_of(model, x, "x")
    targets = _targets(y, samples, "y")
    if isinstance(validation_split, bool) or not isinstance(validation_split, (int, float)) or not 0 <= validation_split < 1:
        raise TrainingDataError(f"validation_split: expected a fraction from 0 to below 1. Received: {validation_split!r:.80}")
    validation = None
    if validation_data is not None:
        if validation_split:
            raise TrainingDataError("Give validation_data or validation_split, not both.")
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TrainingDataError(f"validation_data: expected (x, y). Received: {type(validation_data).__name__}")
        held_x, held_samples = _inputs_of(model, validation_data[0], "validation_data x")
        validation = (held_x, _targets(validation_data[1], held_samples, "validation_data y"))
    elif validation_split:
        kept = int(samples * (1 - validation_split))
        if kept < 1 or kept == samples:
            raise TrainingDataError(
                f"validation_split: {validation_split} of {samples} samples leaves {samples - kept} to validate "
                f"and {kept} to train; each needs at least one."
            )
        validation = (_slice(inputs, kept, None), targets[kept:])
        inputs, targets = _slice(inputs, 0, kept), targets[:kept]
    return FitPlan(inputs, targets, validation, epochs, batch_size, shuffle)


def _slice(x: Any, start: int, stop: int | None) -> Any:
    if isinstance(x, dict):
        return {key: array[start:stop] for key, array in x.items()}
    return x[start:stop]
